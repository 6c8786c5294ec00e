package io.chaintrace.spark;

import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.core.pattern.account.AccountFanIn;
import io.chaintrace.core.pattern.account.AccountFanOut;
import io.chaintrace.core.pattern.account.AccountPassThrough;
import io.chaintrace.core.pattern.account.AccountPatterns;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The account-chain windows on Spark against the single machine's rules on an Ethereum store (the synthetic history of
 * {@code EthPatternBenchmark}: 100,000 accounts, pools, mixers, labelled exchanges, ETH and a token): equality first,
 * then time, shuffle and peak memory; Spark local, and standalone clusters of one and of two workers.
 * {@code benchmarks/spark-eth STORE [local,standalone]}.
 */
public final class SparkAccountScale {
    private SparkAccountScale() {
    }

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]).toAbsolutePath();
        Set<String> what = Set.of((args.length > 1 ? args[1] : "local,standalone").split(","));
        Path parquet = store.resolveSibling(store.getFileName() + "-parquet");
        PatternSettings settings = PatternSettings.defaults();
        Set<String> expected = new TreeSet<>();
        long transfers;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            transfers = cs.ethStats().transfers();
            // The three rules alone (as the job runs them), then every account rule as `chaintrace patterns` runs them.
            AccountPatterns all = settings.accountPatterns();
            AccountPatterns three = new AccountPatterns(all.rules().stream().filter(r -> r instanceof AccountFanOut || r instanceof AccountFanIn
                    || r instanceof AccountPassThrough).toList(), all.busyTransfers());
            long t0 = System.nanoTime();
            cs.forEachEthTransfer(0, Long.MAX_VALUE, t -> three.accept(t, cs, a -> { }));
            three.finish(a -> expected.add(a.pattern() + " " + a.parameters().get("subject") + " "
                    + a.transactions().stream().map(h -> h.hex()).toList()));
            SparkScale.say("single machine, fan-out, fan-in, pass-through over %,d transfers: %,d alerts in %.1f s", transfers, expected.size(),
                    (System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            int[] n = {0};
            cs.forEachEthTransfer(0, Long.MAX_VALUE, t -> all.accept(t, cs, a -> { }));
            all.finish(a -> n[0]++);
            SparkScale.say("single machine, every account rule: %,d alerts in %.1f s", n[0], (System.nanoTime() - t1) / 1e9);
            if (!Files.exists(parquet.resolve("transfers"))) {
                SparkSession spark = Sessions.start("local[*]", "chaintrace scale export");
                try {
                    long t2 = System.nanoTime();
                    ParquetExport.Summary s = ParquetExport.write(spark, cs, parquet, true, x -> { });
                    SparkScale.say("export: %s in %.1f s (%s)", ParquetExport.counts(s), (System.nanoTime() - t2) / 1e9, SparkScale.size(parquet));
                } finally {
                    spark.stop();
                }
            }
        }
        if (what.contains("local")) {
            SparkSession spark = Sessions.start("local[*]", "chaintrace scale");
            try {
                SparkScale.JobCost cost = SparkScale.JobCost.start();
                Set<String> found = new TreeSet<>();
                for (Row r : SparkAccountPatterns.run(spark, parquet.toString(), settings).collectAsList()) {
                    found.add(r.getString(0) + " " + r.getString(1) + " " + r.getList(2));
                }
                check(expected, found, "local");
                SparkScale.say("spark local[*] account windows: %,d alerts, equal; %s", found.size(), cost.end());
            } finally {
                spark.stop();
            }
        }
        if (what.contains("standalone")) {
            for (int[] shape : new int[][] {{1, 2}, {2, 1}}) {
                Path d = Files.createTempDirectory("chaintrace-standalone-");
                try (LocalCluster c = new LocalCluster(d, shape[0], shape[1], shape[0] == 1 ? "10g" : "5g")) {
                    Path alerts = d.resolve("alerts.jsonl");
                    SparkScale.PeakRss rss = SparkScale.PeakRss.watch(c);
                    long t0 = System.nanoTime();
                    c.run("patterns", shape[0] == 1 ? "8g" : "4g", "patterns", "--parquet", parquet.toString(), "--chain", "ethereum", "--out",
                            alerts.toString());
                    double secs = (System.nanoTime() - t0) / 1e9;
                    String peak = rss.stop();
                    Set<String> found = new TreeSet<>();
                    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                    for (String l : Files.readAllLines(alerts)) {
                        java.util.Map<?, ?> m = json.readValue(l, java.util.Map.class);
                        found.add(m.get("pattern") + " " + m.get("address") + " " + m.get("transactions"));
                    }
                    check(expected, found, shape[0] + " workers");
                    String metrics = Files.readAllLines(d.resolve("patterns.log")).stream().filter(l -> l.startsWith("spark: ")).findFirst().orElse("");
                    SparkScale.say("standalone, %d worker(s) x %d core(s): account windows equal (%,d alerts); %.1f s wall; %s; executors' peak RSS %s",
                            shape[0], shape[1], found.size(), secs, metrics, peak);
                }
            }
        }
    }

    private static void check(Set<String> expected, Set<String> found, String where) {
        if (!found.equals(expected)) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(found);
            Set<String> extra = new TreeSet<>(found);
            extra.removeAll(expected);
            throw new AssertionError(where + ": " + found.size() + " alerts vs " + expected.size() + "; missing " + missing.stream().limit(3).toList()
                    + "; extra " + extra.stream().limit(3).toList());
        }
    }
}
