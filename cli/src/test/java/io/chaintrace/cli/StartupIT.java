package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code chaintrace} script's start-up aids, as a user meets them: the class-data archive is made by the first run
 * and made again, silently, when the jar changes (a stale archive's complaints would land in the JSON a command prints);
 * RocksDB's JNI library is unpacked beside the jar once and loaded from there (not copied out of its jar on every run).
 */
class StartupIT {
    @TempDir
    static Path dir;

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JAR = ROOT.resolve("cli/target/chaintrace.jar");
    private static final Path ARCHIVE = ROOT.resolve("cli/target/chaintrace.jsa");

    record Out(int exit, String out, String err) {
    }

    private static Out script(String... args) throws Exception {
        return scriptWith("", args);
    }

    @Test
    void aStaleArchiveIsMadeAgainSilentlyAndRocksDbLoadsFromBesideTheJar() throws Exception {
        assertTrue(Files.exists(JAR), "the jar is built before the integration tests");
        Path store = dir.resolve("store");
        assertEquals(0, TestData.run("ingest", "btc-blocks", TestData.shared().resolve("data/btc/blk/firstblocks.blk").toString(), "--store",
                store.toString(), "--no-progress").exit());
        // The jar newer than every source: the script runs it as it is (no build).
        Files.setLastModifiedTime(JAR, FileTime.fromMillis(System.currentTimeMillis()));
        Files.deleteIfExists(ARCHIVE);
        Out first = script("--version");
        assertEquals(new Out(0, "chaintrace 0.1.0\n", ""), first);
        assertTrue(Files.size(ARCHIVE) > 1_000_000, "the first run made the archive");
        // The jar rebuilt: the archive is stale. The next run's output is the command's alone, and the archive is made again.
        Thread.sleep(1100);
        Files.setLastModifiedTime(JAR, FileTime.fromMillis(System.currentTimeMillis()));
        FileTime stale = Files.getLastModifiedTime(ARCHIVE);
        Out trace = script("trace", "--store", store.toString(), "--seed", "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0",
                "--hops", "6", "--json");
        assertEquals(0, trace.exit(), trace.err());
        assertEquals("", trace.err());
        JsonNode json = new ObjectMapper().readTree(trace.out());
        assertEquals(5_000_000_000L, json.get("account").get("seeded").asLong());
        assertTrue(Files.getLastModifiedTime(ARCHIVE).compareTo(stale) > 0, "the archive was made again");
        // RocksDB's library came from beside the jar (the JVM's log of the libraries it loads), not out of its jar.
        Out logged = scriptWith("-Xlog:library=info:stderr", "stats", "--store", store.toString());
        assertEquals(0, logged.exit(), logged.err());
        assertTrue(logged.err().lines().anyMatch(l -> l.contains("Loaded library") && l.contains(ROOT.resolve("cli/target/native").toString())
                && l.contains("librocksdbjni")), logged.err());
    }

    private static Out scriptWith(String javaOpts, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(ROOT.resolve("chaintrace").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CHAINTRACE_JAVA_OPTS", javaOpts);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        int exit = pb.start().waitFor();
        return new Out(exit, Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }
}
