package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.loopback.BitcoinCoreServer;
import io.chaintrace.loopback.EsploraServer;
import io.chaintrace.loopback.Faults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bitcoinj.base.BitcoinNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chaintrace fetch btc --esplora} as a user runs it, against Esplora's API on loopback serving
 * the real blocks 0-589: killed five times with SIGKILL and resumed, it ends with the store an
 * uninterrupted fetch makes, and asks the API nothing twice; run again, it asks only the tip; a
 * failing API is one line and exit 5, damaged bytes one line and exit 1 naming the transaction.
 */
class FetchBtcIT {
    static final String SEED = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0"; // block 9's coinbase
    static EsploraServer esplora;

    @TempDir
    Path dir;

    @BeforeAll
    static void serve() throws IOException {
        esplora = new EsploraServer(BitcoinNetwork.MAINNET,
                BitcoinCoreServer.inChainOrder(io.chaintrace.loopback.Loopback.framedBlocks(TestData.blk("firstblocks.blk"))), 0);
    }

    @AfterAll
    static void stop() {
        esplora.close();
    }

    record Child(int exit, String err) {
    }

    private Process start(Path store, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("fetch", "btc", "--esplora", esplora.url(), "--seed", SEED, "--hops", "6", "--store",
                store.toString()));
        args.addAll(List.of(extra));
        return TestData.child(List.of(), args.toArray(String[]::new)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("err-" + System.nanoTime() + ".txt").toFile()).start();
    }

    private Child run(Path store, String... extra) throws Exception {
        Path err = dir.resolve("err-" + System.nanoTime() + ".txt");
        List<String> args = new ArrayList<>(List.of("fetch", "btc", "--esplora", esplora.url(), "--seed", SEED, "--hops", "6", "--store",
                store.toString()));
        args.addAll(List.of(extra));
        Process p = TestData.child(List.of(), args.toArray(String[]::new)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Child(p.exitValue(), Files.readString(err));
    }

    private static String chainDigest(Path store) {
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            return cs.chainDigest();
        }
    }

    @Test
    void killedFiveTimesThenResumedEqualsAnUninterruptedFetchAndAsksNothingTwice() throws Exception {
        Path whole = dir.resolve("uninterrupted");
        long before = esplora.requests();
        Child c = run(whole);
        assertEquals(0, c.exit(), c.err());
        long uninterrupted = esplora.requests() - before;
        assertTrue(c.err().contains("fetched 10 transactions (10 new)"), c.err());

        // Run again: everything but the tip comes from the store's cache.
        before = esplora.requests();
        Child again = run(whole);
        assertEquals(0, again.exit(), again.err());
        assertEquals(1, esplora.requests() - before, again.err());
        assertTrue(again.err().contains("(0 new)"), again.err());

        Path killed = dir.resolve("killed");
        esplora.faults().latency(40);
        try {
            before = esplora.requests();
            List<Long> storedAfterKill = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Process p = start(killed);
                // Kill once the child has asked for something more (it is fetching), at a different point each time.
                long asked = esplora.requests();
                while (esplora.requests() < asked + 3 + 4 * i && p.isAlive()) {
                    Thread.sleep(5);
                }
                p.destroyForcibly(); // SIGKILL
                p.waitFor();
                try (ChainStore cs = ChainStore.openReadOnly(killed)) {
                    storedAfterKill.add(cs.stats().fetchedTxs());
                }
            }
            assertTrue(storedAfterKill.stream().anyMatch(n -> n > 0 && n < 10), "killed mid-fetch: " + storedAfterKill);
            Child resumed = run(killed);
            assertEquals(0, resumed.exit(), resumed.err());
            long total = esplora.requests() - before;
            // Killed runs ask again only what was in flight and the tip and the mutable answers of the one run cut.
            assertTrue(total < uninterrupted + 5 * 3, total + " requests for the killed fetches and the resume, " + uninterrupted
                    + " for one uninterrupted fetch");
        } finally {
            esplora.faults().latency(0);
        }
        assertEquals(chainDigest(whole), chainDigest(killed));
    }

    @Test
    void aFailingApiIsOneLineAndExit5AndDamagedBytesExit1() throws Exception {
        esplora.faults().always(Faults.Fault.SERVER_ERROR);
        try {
            Child c = run(dir.resolve("s1"), "--timeout", "2", "--no-progress");
            assertEquals(ExitCode.NODE, c.exit(), c.err());
            assertEquals(1, c.err().strip().lines().count(), c.err());
            assertTrue(c.err().contains("Esplora API at " + esplora.url() + ": tip height failed after 5 attempts: HTTP 502"), c.err());
        } finally {
            esplora.faults().clear();
        }
        esplora.faults().always(Faults.Fault.CORRUPT);
        try {
            Child c = run(dir.resolve("s2"), "--no-progress");
            assertEquals(ExitCode.BAD_INPUT, c.exit(), c.err());
            assertEquals(1, c.err().strip().lines().count(), c.err());
            assertTrue(c.err().contains("sent transaction " + SEED.substring(0, 64) + " with bytes that do not"), c.err());
        } finally {
            esplora.faults().clear();
        }
    }

    @Test
    void investigateFetchesTracesAndWritesTheReportThatTraceWrites() throws Exception {
        Path report = dir.resolve("case");
        TestData.Run r = TestData.run("investigate", "--seed", SEED, "--esplora", esplora.url(), "--hops", "4", "--report", report.toString(),
                "--no-progress");
        assertEquals(0, r.exit(), r.err());
        Path store = dir.resolve("case.store");
        assertTrue(r.err().contains("store: " + store), r.err());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.JsonNode inReport = json.readTree(report.resolve("report.json").toFile());
        TestData.Run again = TestData.run("trace", "--store", store.toString(), "--seed", SEED, "--hops", "4", "--json");
        assertEquals(0, again.exit(), again.err());
        com.fasterxml.jackson.databind.JsonNode traced = json.readTree(again.out());
        assertEquals(50L * 100_000_000L, traced.get("account").get("seeded").asLong());
        // The report's account (BTC, in words) is the trace's (satoshi).
        com.fasterxml.jackson.databind.JsonNode account = inReport.get("legs").get(0).get("account");
        assertEquals(new java.math.BigDecimal(traced.get("account").get("unspent").asLong()).movePointLeft(8).stripTrailingZeros(),
                new java.math.BigDecimal(account.get("still unspent").asText()).stripTrailingZeros());
        assertEquals(new java.math.BigDecimal(traced.get("account").get("cutByHops").asLong()).movePointLeft(8).stripTrailingZeros(),
                new java.math.BigDecimal(account.get("cut by the hop limit").asText()).stripTrailingZeros());
        for (String f : List.of("report.html", "report.json", "edges.csv", "endpoints.csv", "flow.graphml", "flow.gexf")) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        // Without a source it says what to give, in one line.
        TestData.Run none = TestData.run("investigate", "--seed", SEED, "--report", dir.resolve("x").toString());
        assertEquals(ExitCode.USAGE, none.exit(), none.err());
        assertTrue(none.err().contains("give one of --esplora URL") && none.err().contains("--explorer URL"), none.err());
        // A Bitcoin Core node follows nothing forward: one line saying what to use.
        TestData.Run forward = TestData.run("investigate", "--seed", SEED, "--rpc", "http://127.0.0.1:1/", "--report",
                dir.resolve("y").toString(), "--no-progress");
        assertEquals(ExitCode.BAD_INPUT, forward.exit(), forward.err());
        assertTrue(forward.err().contains("has no index of spends") && forward.err().contains("--esplora URL"), forward.err());
    }

    @Test
    void credentialsInTheApiUrlAppearNowhere() throws Exception {
        String password = "Pa55-w0rd-9d8e7f";
        String url = esplora.url().replace("http://", "http://alice:" + password + "@");
        Path report = dir.resolve("creds");
        TestData.Run r = TestData.run("-v", "investigate", "--seed", SEED, "--esplora", url, "--hops", "3", "--report", report.toString());
        assertEquals(0, r.exit(), r.err());
        TestData.Run stats = TestData.run("stats", "--store", dir.resolve("creds.store").toString(), "--json");
        List<String> texts = new ArrayList<>(List.of(r.out(), r.err(), stats.out(), stats.err()));
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                texts.add(f + "\n" + new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        for (String t : texts) {
            assertTrue(!t.contains(password), "the password in: " + t.lines().findFirst().orElse(""));
        }
        assertTrue(stats.out().contains("Esplora API at http://***@127.0.0.1:"), stats.out());
        // A failing API with credentials in its URL: one line, no password, with -v too.
        esplora.faults().always(Faults.Fault.SERVER_ERROR);
        try {
            for (String v : List.of("", "-v")) {
                List<String> args = new ArrayList<>(List.of("fetch", "btc", "--esplora", url, "--seed", SEED, "--store",
                        dir.resolve("f").toString(), "--timeout", "2"));
                if (!v.isEmpty()) {
                    args.addFirst(v);
                }
                TestData.Run f = TestData.run(args.toArray(String[]::new));
                assertEquals(ExitCode.NODE, f.exit(), f.err());
                assertTrue(!(f.out() + f.err()).contains(password), f.err());
            }
        } finally {
            esplora.faults().clear();
        }
    }
}
