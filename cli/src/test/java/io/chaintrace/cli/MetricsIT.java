package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /metrics during a real ingest (real mainnet block files, a child process): it answers in
 * Prometheus' text format on 127.0.0.1 while blocks are written, its block counter only grows,
 * and {@code --metrics-out} holds the final counts, equal to what the store holds.
 */
class MetricsIT {
    private static final Pattern BLOCKS = Pattern.compile("^chaintrace_ingest_blocks_total\\{[^}]*chain=\"bitcoin\"[^}]*} ([0-9.E]+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void scrapedDuringAnIngest() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path store = dir.resolve("store");
        Path out = dir.resolve("metrics.prom");
        List<String> args = new ArrayList<>(List.of("ingest", "btc-blocks"));
        for (String f : List.of("firstblocks.blk", "multiblock.blk", "version3.blk", "version4.blk", "scriptwitness.blk", "block2019Jan.blk",
                "scriptwitness2.blk")) {
            args.add(TestData.blk(f).toString());
        }
        args.addAll(List.of("--store", store.toString(), "--no-progress", "--threads", "1", "--no-cluster", "--metrics-port",
                Integer.toString(port), "--metrics-out", out.toString()));
        Process child = TestData.child(List.of(), args.toArray(String[]::new)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(dir.resolve("ingest.err").toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<Double> seen = new ArrayList<>();
        String body = null;
        while (child.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                Matcher m = BLOCKS.matcher(r.body());
                if (m.find() && child.isAlive()) {
                    seen.add(Double.parseDouble(m.group(1)));
                    body = r.body();
                }
            } catch (java.io.IOException e) {
                // not listening yet, or just closed
            }
            Thread.sleep(10);
        }
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), Files.readString(dir.resolve("ingest.err")));
        assertTrue(!seen.isEmpty(), "scraped while the ingest ran");
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i) >= seen.get(i - 1), "a counter only grows: " + seen);
        }
        assertTrue(body.contains("# TYPE chaintrace_ingest_blocks_total counter"), body);
        assertTrue(body.contains("chaintrace_ingest_lag_blocks"), "lag to head");
        assertTrue(body.contains("chaintrace_ingest_rate"), "rate");
        // The file written at the end: the final counts, as the store holds them.
        String last = Files.readString(out);
        Matcher m = BLOCKS.matcher(last);
        assertTrue(m.find(), last);
        long stored;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            stored = cs.stats().blocks();
        }
        assertEquals((double) stored, Double.parseDouble(m.group(1)));
        Matcher txs = Pattern.compile("^chaintrace_ingest_transactions_total\\{[^}]*} ([0-9.E]+)$", Pattern.MULTILINE).matcher(last);
        assertTrue(txs.find(), last);
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            assertEquals((double) cs.stats().txs(), Double.parseDouble(txs.group(1)));
        }
    }
}
