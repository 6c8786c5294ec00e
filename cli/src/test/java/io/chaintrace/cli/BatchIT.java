package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.demo.SyntheticWriter;
import io.chaintrace.scenarios.SyntheticChain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chaintrace batch} over a synthetic store written through the store's ingest path: a run
 * SIGKILLed half-way (its /metrics scraped while it ran) and then rerun finishes every seed once,
 * without redoing done ones; results equal the object tracer's; bad seeds become error lines.
 */
class BatchIT {
    static final int SEEDS = 40_000;
    private static final java.util.regex.Pattern SEEDS_DONE =
            java.util.regex.Pattern.compile("chaintrace_batch_seeds_total\\{application=\"chaintrace\",outcome=\"done\"} ([0-9.E]+)");
    @TempDir
    static Path dir;
    static Path store;
    static Path seeds;
    static List<String> seedTexts = new ArrayList<>();

    @BeforeAll
    static void writeStoreAndSeeds() throws Exception {
        store = dir.resolve("store");
        try (ChainStore cs = ChainStore.open(store)) {
            SyntheticWriter.write(SyntheticChain.Settings.of(42, 100_000), cs, h -> { });
        }
        List<Hash256> txids = new ArrayList<>();
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            cs.forEachTransaction(t -> txids.add(t.txid()));
        }
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder("id,seed\n");
        for (int i = 0; i < SEEDS; i++) {
            String seed = txids.get(rnd.nextInt(txids.size())).hex() + ":0";
            seedTexts.add(seed);
            sb.append("s").append(i).append(',').append(seed).append('\n');
        }
        seeds = dir.resolve("seeds.csv");
        Files.writeString(seeds, sb);
    }

    @Test
    void killedHalfwayAndRerunFinishesEverySeedOnce() throws Exception {
        Path out = dir.resolve("results.jsonl");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process child = TestData.child(List.of(), "batch", "--store", store.toString(), "--seeds", seeds.toString(), "--out", out.toString(),
                "--policy", "haircut", "--hops", "6", "--threads", "1", "--no-progress", "--metrics-port", Integer.toString(port))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(dir.resolve("batch.err").toFile()).start();
        // Scrape /metrics while it runs.
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String scraped = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (scraped == null && System.nanoTime() < deadline && child.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                // Scraped once seeds are being done: the meters are all registered and counting.
                java.util.regex.Matcher done = SEEDS_DONE.matcher(r.body());
                if (r.statusCode() == 200 && done.find() && Double.parseDouble(done.group(1)) > 0) {
                    scraped = r.body();
                    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
                } else {
                    Thread.sleep(20);
                }
            } catch (java.io.IOException e) {
                Thread.sleep(20); // not listening yet
            }
        }
        assertTrue(scraped != null, "scraped /metrics during the batch");
        assertTrue(scraped.contains("# TYPE chaintrace_trace_latency_seconds histogram"), scraped);
        assertTrue(scraped.contains("jvm_memory_used_bytes"), "JVM meters too");
        // A second batch on the same results file while the first writes it: refused, nothing written (two runs at once
        // used to interleave torn lines into one file).
        long writtenBefore = Files.size(out);
        Run second = run("batch", "--store", store.toString(), "--seeds", seeds.toString(), "--out", out.toString(), "--no-progress");
        assertEquals(1, second.exit(), second.err());
        assertTrue(second.err().contains("is being written by another chaintrace batch"), second.err());
        assertTrue(child.isAlive() && Files.size(out) >= writtenBefore, "the first batch goes on");
        // Kill it part-way through.
        long lines = 0;
        while (child.isAlive() && (lines = lineCount(out)) < SEEDS / 4) {
            Thread.sleep(5);
        }
        assertTrue(child.isAlive(), "the batch was still running at " + lines + " lines of " + SEEDS);
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        long before = lineCount(out);
        assertTrue(before > 0 && before < SEEDS, before + " lines after the kill");

        // Rerun: it skips what has a complete line and traces the rest.
        Run r = run("batch", "--store", store.toString(), "--seeds", seeds.toString(), "--out", out.toString(), "--policy", "haircut",
                "--hops", "6", "--no-progress");
        assertEquals(0, r.exit(), r.err());
        List<String> all = results(out);
        ObjectMapper json = new ObjectMapper();
        Set<String> ids = new HashSet<>();
        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : all) {
            JsonNode n = json.readTree(line);
            assertTrue(ids.add(n.get("id").asText()), "traced twice: " + n.get("id"));
            byId.put(n.get("id").asText(), n);
        }
        assertEquals(SEEDS, ids.size());
        // The summary says how many it skipped: every complete line the killed run left (a cut line is redone).
        long skipped = Long.parseLong(r.err().replaceAll("(?s).*, ([0-9,]+) already done and skipped.*", "$1").replace(",", ""));
        assertTrue(skipped >= before && skipped <= before + 1, "skipped " + skipped + " of " + before + " lines left by the kill");

        // Results agree with the object tracer on the same store (20 seeds).
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            for (int i = 0; i < SEEDS; i += SEEDS / 20) {
                JsonNode n = byId.get("s" + i);
                TraceResult t = new UtxoTracer(cs).trace(new TraceRequest(List.of(new Seed.OutpointSeed(Outpoint.parse(seedTexts.get(i)))),
                        TaintPolicy.named("haircut"), Direction.FORWARD, Limits.DEFAULT.withHops(6), TraceRequest.SERVICES, false));
                assertEquals(t.account().seeded(), n.get("seeded").asLong(), "s" + i);
                assertEquals(t.account().endpoints(), n.get("endpoints").asLong(), "s" + i);
                assertEquals(t.account().unspent(), n.get("unspent").asLong(), "s" + i);
                assertEquals(t.account().fees(), n.get("fees").asLong(), "s" + i);
            }
        }
    }

    @Test
    void badSeedsAreErrorLinesAndTheRunGoesOn() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, String.join("\n",
                "{\"id\":\"ok\",\"seed\":\"" + seedTexts.get(0) + "\"}",
                "{\"id\":\"format\",\"seed\":\"bc1-not-an-address\"}",
                "{\"id\":\"absent\",\"seed\":\"" + "ab".repeat(32) + ":0\"}",
                "{\"id\":\"broken\", \"seed\":",
                "{\"id\":\"noseed\"}",
                "{\"id\":\"eth\",\"seed\":\"0x52908400098527886e0f7030069857d2e4169ee7\"}") + "\n");
        Path out = dir.resolve("bad-results.jsonl");
        Run r = run("batch", "--store", store.toString(), "--seeds", bad.toString(), "--out", out.toString(), "--no-progress");
        assertEquals(ExitCode.BAD_INPUT, r.exit(), "seeds failed: exit 1 (it was 0) " + r.err());
        Map<String, String> errors = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : results(out)) {
            JsonNode n = json.readTree(line);
            errors.put(n.get("id").asText(), n.has("error") ? n.get("error").asText() : null);
        }
        assertEquals(6, errors.size(), errors.toString());
        assertEquals(null, errors.get("ok"));
        assertTrue(errors.get("format").contains("no txid:vout, txid or address"), errors.get("format"));
        assertTrue(errors.get("absent").contains("is not in the store (ingest the blocks that hold it"), errors.get("absent"));
        assertTrue(errors.get("bad.jsonl line 4").contains("bad.jsonl line 4: not JSON"), errors.toString());
        assertTrue(errors.get("bad.jsonl line 5").contains("no \"seed\" field"), errors.toString());
        assertTrue(errors.get("eth").contains("is an Ethereum address: the compact engine traces Bitcoin"), errors.get("eth"));
        assertTrue(r.err().contains("1 seeds traced, 5 failed"), r.err());
    }

    /**
     * Bitcoin addresses as seeds: each seeded with what it received from others (not its change to
     * itself), as the object tracer seeds an address; both give the same account. Addresses are
     * the owners of random outputs (many receive several times and spend to themselves); an address
     * the store has never seen is an error line.
     */
    @Test
    void addressSeedsAgreeWithTheObjectTracer() throws Exception {
        List<String> addresses = new ArrayList<>();
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            SplittableRandom rnd = new SplittableRandom(11);
            while (addresses.size() < 20) {
                String seed = seedTexts.get(rnd.nextInt(seedTexts.size()));
                cs.transaction(Outpoint.parse(seed).txid()).orElseThrow().outputs().getFirst().owner().map(a -> a.text())
                        .filter(a -> !addresses.contains(a) && cs.transactionsOf(io.chaintrace.core.model.Address.parse(a)).size() < 100)
                        .ifPresent(addresses::add);
            }
        }
        String unseen = "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"; // BIP 173's example: valid, not in the synthetic chain
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < addresses.size(); i++) {
            sb.append("{\"id\":\"a").append(i).append("\",\"seed\":\"").append(addresses.get(i)).append("\"}\n");
        }
        sb.append("{\"id\":\"unseen\",\"seed\":\"").append(unseen).append("\"}\n");
        Path in = dir.resolve("addresses.jsonl");
        Files.writeString(in, sb);
        Path out = dir.resolve("address-results.jsonl");
        Run r = run("batch", "--store", store.toString(), "--seeds", in.toString(), "--out", out.toString(), "--policy", "haircut",
                "--hops", "6", "--no-progress");
        assertEquals(ExitCode.BAD_INPUT, r.exit(), "the unseen address failed: " + r.err());
        Map<String, JsonNode> byId = new HashMap<>();
        for (String line : results(out)) {
            JsonNode n = new ObjectMapper().readTree(line);
            byId.put(n.get("id").asText(), n);
        }
        assertTrue(byId.get("unseen").get("error").asText().contains("address " + unseen + " is not in the store"),
                byId.get("unseen").toString());
        int selfFunded = 0;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            for (int i = 0; i < addresses.size(); i++) {
                io.chaintrace.core.model.Address a = io.chaintrace.core.model.Address.parse(addresses.get(i));
                JsonNode n = byId.get("a" + i);
                assertTrue(n != null && !n.has("error"), String.valueOf(n));
                TraceResult t = new UtxoTracer(cs).trace(new TraceRequest(List.of(new Seed.AddressSeed(a)),
                        TaintPolicy.named("haircut"), Direction.FORWARD, Limits.DEFAULT.withHops(6), TraceRequest.SERVICES, false));
                assertTrue(t.account().seeded() > 0, a.text());
                assertEquals(t.account().seeded(), n.get("seeded").asLong(), a.text());
                assertEquals(t.account().endpoints(), n.get("endpoints").asLong(), a.text());
                assertEquals(t.account().unspent(), n.get("unspent").asLong(), a.text());
                assertEquals(t.account().fees(), n.get("fees").asLong(), a.text());
                assertEquals(t.account().absorbedBySeeds(), n.get("absorbedBySeeds").asLong(), a.text());
                for (Hash256 txid : cs.transactionsOf(a)) {
                    if (cs.transaction(txid).orElseThrow().inputs().stream().anyMatch(in2 -> in2.owner().filter(o -> o.text().equals(a.text())).isPresent())) {
                        selfFunded++;
                    }
                }
            }
        }
        // The case the inflow rule is for: addresses that also spend their own coins.
        assertTrue(selfFunded > 0, "some of the addresses spend their own coins");
    }

    /** The result lines of a results file: every line after its header, which must be there. */
    private static List<String> results(Path f) throws java.io.IOException {
        List<String> all = Files.readAllLines(f);
        assertEquals(io.chaintrace.cli.app.ResultsFile.HEADER, all.getFirst(), f + " starts with the results header");
        return all.subList(1, all.size());
    }

    private static long lineCount(Path f) throws java.io.IOException {
        if (!Files.exists(f)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(f);
        long n = -1; // the header's newline
        for (byte x : b) {
            if (x == '\n') {
                n++;
            }
        }
        return n;
    }

    record Run(int exit, String err) {
    }

    static Run run(String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            return new Run(Chaintrace.run(args), buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }
}
