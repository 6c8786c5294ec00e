package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.loopback.EtherscanServer;
import io.chaintrace.loopback.Faults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chaintrace fetch eth --explorer} and {@code investigate --explorer} as a user runs them,
 * against the Etherscan account API on loopback answering from ethereum-etl's mainnet recordings,
 * with an API key the server requires: killed with SIGKILL five times and resumed, the store is the one an
 * uninterrupted fetch makes; a failing API is one line and exit 5; the key appears in no output,
 * store, report or metrics file.
 */
class FetchEthExplorerIT {
    static final String KEY = "Zx81KeyOfTheInvestigator5512";
    static final String SEED = "0x3763e6e1228bfeab94191c856412d1bb0a8e6996"; // paid 0.405738107 ETH in block 1,755,635
    static EtherscanServer explorer;

    @TempDir
    Path dir;

    @BeforeAll
    static void serve() throws IOException {
        explorer = EtherscanServer.fromRecordings(TestData.shared().resolve("data/eth/etl"));
        explorer.requireKey(KEY);
    }

    @AfterAll
    static void stop() {
        explorer.close();
    }

    @AfterEach
    void clear() {
        explorer.faults().clear();
        explorer.faults().latency(0);
    }

    record Child(int exit, String out, String err) {
    }

    private ProcessBuilder child(String... args) {
        ProcessBuilder pb = TestData.child(List.of(), args);
        pb.environment().put("EXPLORER_KEY", KEY);
        return pb;
    }

    private List<String> fetchArgs(Path store, String... extra) {
        List<String> args = new ArrayList<>(List.of("fetch", "eth", "--explorer", explorer.url(), "--api-key-env", "EXPLORER_KEY",
                "--seed", SEED, "--hops", "3", "--direction", "both", "--confirmations", "0", "--store", store.toString()));
        args.addAll(List.of(extra));
        return args;
    }

    private Child run(List<String> args) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        Path err = dir.resolve("err-" + System.nanoTime() + ".txt");
        Process p = child(args.toArray(String[]::new)).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Child(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String chainDigest(Path store) {
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            return cs.chainDigest();
        }
    }

    @Test
    void killedThenResumedEqualsAnUninterruptedFetch() throws Exception {
        Path whole = dir.resolve("whole");
        long before = explorer.requests();
        Child c = run(fetchArgs(whole));
        assertEquals(0, c.exit(), c.err());
        long uninterrupted = explorer.requests() - before;
        assertTrue(c.err().contains("transfers stored"), c.err());

        Path killed = dir.resolve("killed");
        explorer.faults().latency(60);
        List<Long> asked = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Process p = child(fetchArgs(killed, "--no-progress").toArray(String[]::new)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long at = explorer.requests();
            while (explorer.requests() < at + 2 + i && p.isAlive()) {
                Thread.sleep(5);
            }
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            try (ChainStore cs = ChainStore.openReadOnly(killed)) {
                asked.add(cs.ethStats().fetchedAddresses());
            }
        }
        explorer.faults().latency(0);
        long wholeAsked;
        try (ChainStore cs = ChainStore.openReadOnly(whole)) {
            wholeAsked = cs.ethStats().fetchedAddresses();
        }
        assertTrue(asked.stream().anyMatch(n -> n < wholeAsked), "killed before the fetch ended: " + asked + " of " + wholeAsked);
        before = explorer.requests();
        Child resumed = run(fetchArgs(killed, "--no-progress"));
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(explorer.requests() - before < uninterrupted, "the resume asks less than a whole fetch: " + asked);
        assertEquals(chainDigest(whole), chainDigest(killed));
    }

    @Test
    void aFailingApiIsOneLineAndExit5() throws Exception {
        explorer.faults().always(Faults.Fault.SERVER_ERROR);
        Child c = run(fetchArgs(dir.resolve("s"), "--timeout", "2", "--no-progress"));
        assertEquals(ExitCode.NODE, c.exit(), c.err());
        assertEquals(1, c.err().strip().lines().count(), c.err());
        assertTrue(c.err().contains("explorer API at " + explorer.url() + ": head block failed after 5 attempts: HTTP 503"), c.err());
        explorer.faults().clear();
        // A key the explorer refuses: one line, exit 5, the key not in it.
        List<String> args = fetchArgs(dir.resolve("s2"), "--no-progress");
        ProcessBuilder pb = child(args.toArray(String[]::new));
        pb.environment().put("EXPLORER_KEY", "NotTheKey77aa88bb99cc");
        Path err = dir.resolve("refused.txt");
        Process p = pb.redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String e = Files.readString(err);
        assertEquals(ExitCode.NODE, p.exitValue(), e);
        assertEquals(1, e.strip().lines().count(), e);
        assertTrue(e.contains("API key was refused"), e);
        assertFalse(e.contains("NotTheKey77aa88bb99cc"), e);
        // No variable, no key: said in one line.
        TestData.Run missing = TestData.run("fetch", "eth", "--explorer", explorer.url(), "--api-key-env", "NO_SUCH_VARIABLE_HERE",
                "--seed", SEED, "--store", dir.resolve("s3").toString());
        assertEquals(ExitCode.BAD_INPUT, missing.exit(), missing.err());
        assertTrue(missing.err().contains("NO_SUCH_VARIABLE_HERE: that environment variable is not set"), missing.err());
    }

    @Test
    void investigateWritesTheReportAndTheKeyAppearsNowhere() throws Exception {
        Path report = dir.resolve("case");
        Child r = run(List.of("-v", "investigate", "--seed", "0x9e669f970ec0f49bb735f20799a7e7c4a1c274e2", "--explorer", explorer.url(),
                "--api-key-env", "EXPLORER_KEY", "--hops", "2", "--direction", "backward", "--report", report.toString()));
        assertEquals(0, r.exit(), r.err());
        Path store = dir.resolve("case.store");
        Child trace = run(List.of("trace", "--store", store.toString(), "--seed", "0x9e669f970ec0f49bb735f20799a7e7c4a1c274e2", "--hops", "2",
                "--direction", "backward", "--json"));
        assertEquals(0, trace.exit(), trace.err());
        assertTrue(trace.out().contains("\"seeded\" : \"11000440000000000\""), trace.out());
        Child stats = run(List.of("stats", "--store", store.toString(), "--json"));
        Child fetch = run(List.of("-v", "fetch", "eth", "--explorer", explorer.url(), "--api-key-env", "EXPLORER_KEY", "--seed", SEED,
                "--store", dir.resolve("m").toString(), "--confirmations", "0"));
        assertEquals(0, fetch.exit(), fetch.err());
        assertTrue(stats.out().contains("\"ethAddressesFetched\""), stats.out());
        assertTrue(stats.out().contains("explorer API at " + explorer.url()), stats.out());
        List<String> texts = new ArrayList<>(List.of(r.out(), r.err(), trace.out(), trace.err(), stats.out(), stats.err(), fetch.err()));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                texts.add(f + "\n" + new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(texts.size() > 10, "the report, the stores and the outputs are read");
        for (String t : texts) {
            assertFalse(t.contains(KEY), "the key in: " + t.lines().findFirst().orElse(""));
        }
    }
}
