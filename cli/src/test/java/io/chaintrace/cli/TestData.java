package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: real blocks from ../shared/data, and block files made from them. */
final class TestData {
    private TestData() {
    }

    /** ../shared (or -Dchaintrace.shared), where the real data lies. */
    static Path shared() {
        String prop = System.getProperty("chaintrace.shared");
        return prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
    }

    static Path blk(String name) {
        Path f = shared().resolve("data").resolve("btc").resolve("blk").resolve(name);
        if (!Files.isRegularFile(f)) {
            fail("real block data not found at " + f.toAbsolutePath()
                    + ": these tests need ../shared/data beside the repository (set -Dchaintrace.shared=DIR)");
        }
        return f;
    }

    /** The records (magic + length + block) of a framed file, in file order. */
    static List<byte[]> records(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.remaining() >= 8) {
            int start = b.position();
            b.getInt();
            int len = b.getInt();
            byte[] rec = new byte[8 + len];
            b.position(start);
            b.get(rec);
            out.add(rec);
        }
        return out;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static long offsetOf(List<byte[]> records, int index) {
        long off = 0;
        for (int i = 0; i < index; i++) {
            off += records.get(i).length;
        }
        return off;
    }

    /**
     * The children's temporary directory, removed when the tests end. RocksDB unpacks its native
     * library (16 MB) into the temporary directory at every start and deletes it at exit; a child
     * these tests kill never exits, and in the system's /tmp its copies piled up run after run.
     */
    private static final Path CHILD_TMP = childTmp();

    private static Path childTmp() {
        try {
            Path d = Files.createTempDirectory("chaintrace-children");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.walk(d)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException e) {
                    // the system cleans its temporary directory in the end
                }
            }));
            return d;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the CLI in a child JVM with this test's class path. */
    static ProcessBuilder child(List<String> prefix, String... args) {
        return child(prefix, List.of(), args);
    }

    /** The same with options for the child's JVM (system properties). */
    static ProcessBuilder child(List<String> prefix, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmOptions);
        cmd.add("-Djava.io.tmpdir=" + CHILD_TMP);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Chaintrace.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    /** What an in-process run of the command printed and returned. */
    record Run(int exit, String out, String err) {
    }

    /** Runs the command in this JVM, capturing standard output and error. */
    static Run run(String... args) {
        java.io.PrintStream out = System.out;
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream e = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(o, true, java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(e, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return new Run(Chaintrace.run(args), o.toString(java.nio.charset.StandardCharsets.UTF_8),
                    e.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** A store at {@code store} holding one of the real block files of ../shared/data, ingested by the command. */
    static Path ingested(Path store, String blockFile) {
        Run r = run("ingest", "btc-blocks", blk(blockFile).toString(), "--store", store.toString(), "--no-progress");
        if (r.exit() != 0) {
            throw new AssertionError("ingest of " + blockFile + " failed: " + r.err());
        }
        return store;
    }
}
