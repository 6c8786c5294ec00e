package io.chaintrace.spark;

import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.demo.SyntheticWriter;
import io.chaintrace.scenarios.SyntheticChain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark jobs against the single-machine engine on the synthetic chain (seed 42, as benchmarks/ uses it), run by
 * {@code benchmarks/spark}: equality first (every seed's account, to the satoshi, haircut and poison; the clustering
 * partition; the pattern alerts), then time, shuffle bytes and peak memory, on one machine (the engine), Spark local, and a
 * standalone cluster of one worker with both cores and of two workers with one core each. Prints a line per run; throws
 * at the first difference.
 *
 * <p>Arguments: outputs (edges; 2,590,000 = about 10^6 transactions), seeds, hops, what to run (a comma list of
 * batch, cluster, patterns, standalone: batch on standalone clusters, standalone-jobs: clustering and patterns on them,
 * standalone-cluster, standalone-patterns: one of the two alone on them; single-patterns: the single machine's scan alone,
 * in a JVM without Spark, with its peak heap and resident memory).
 */
public final class SparkScale {
    private SparkScale() {
    }

    private static final Set<LabelCategory> STOPS = EnumSet.of(LabelCategory.EXCHANGE, LabelCategory.DEPOSIT, LabelCategory.BRIDGE,
            LabelCategory.MIXER, LabelCategory.DEX, LabelCategory.SANCTIONED);

    public static void main(String[] args) throws Exception {
        int edges = args.length > 0 ? Integer.parseInt(args[0]) : 2_590_000;
        int seedCount = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int hops = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Set<String> what = Set.of((args.length > 3 ? args[3] : "batch,cluster,patterns,standalone").split(","));
        Path root = Path.of(System.getenv().getOrDefault("CHAINTRACE_STORES", "target/stores")).toAbsolutePath();
        Path store = root.resolve("synthetic-42-" + edges);
        Path parquet = root.resolve("synthetic-42-" + edges + "-parquet");
        if (!Files.exists(store.resolve("done"))) {
            long t0 = System.nanoTime();
            int txs;
            try (ChainStore cs = ChainStore.open(store)) {
                txs = SyntheticWriter.write(SyntheticChain.Settings.of(42, edges), cs, h -> { });
                cs.compactPages();
                say("store: %,d transactions written in %.1f s", txs, (System.nanoTime() - t0) / 1e9);
            }
            Files.writeString(store.resolve("done"), "done");
        }
        // The single machine's clustering, once (the entities table the Spark clustering is compared with comes from it).
        if (what.contains("cluster") && !Files.exists(store.resolve("clustered"))) {
            long t1 = System.nanoTime();
            try (ChainStore cs = ChainStore.open(store)) {
                cs.cluster(100_000, n -> { });
            }
            say("clustered on one machine in %.1f s", (System.nanoTime() - t1) / 1e9);
            Files.writeString(store.resolve("clustered"), "clustered");
            ParquetExport.delete(parquet); // exported before the clustering: export again
        }
        if (what.contains("single-patterns")) {
            // The single machine's scan alone, in a JVM with no Spark in it: its time and the process's peak memory.
            long t0 = System.nanoTime();
            int alerts;
            try (ChainStore cs = ChainStore.openToScan(store)) {
                alerts = ParquetExportTest.singleMachineAlerts(cs, io.chaintrace.core.pattern.PatternSettings.defaults()).size();
            }
            say("single machine (the fan-out, fan-in and pass-through detectors, one thread, store read included): %,d alerts in %.1f s;"
                    + " heap limit %,d MB, peak heap %,d MB, peak RSS %s", alerts, (System.nanoTime() - t0) / 1e9,
                    Runtime.getRuntime().maxMemory() >> 20, peakHeap() >> 20, peakRss());
            return;
        }
        SparkSession spark = Sessions.start("local[*]", "chaintrace scale");
        try {
            if (!Files.exists(parquet.resolve("entities"))) {
                long t0 = System.nanoTime();
                try (ChainStore cs = ChainStore.openToScan(store)) {
                    ParquetExport.Summary s = ParquetExport.write(spark, cs, parquet, true, n -> { });
                    say("export: %s in %.1f s (%s)", ParquetExport.counts(s), (System.nanoTime() - t0) / 1e9, size(parquet));
                }
            }
            // Seeds: output 0 of transactions spread over the whole chain (a hash order, the same every run).
            List<TaintBatch.SeedLine> seeds = new ArrayList<>();
            for (Row r : spark.read().parquet(parquet.resolve("outputs").toString()).filter("vout = 0 and value > 0")
                    .orderBy(org.apache.spark.sql.functions.xxhash64(org.apache.spark.sql.functions.col("txid"))).limit(seedCount).collectAsList()) {
                seeds.add(new TaintBatch.SeedLine("s" + seeds.size(), r.getString(0) + ":0"));
            }
            Path seedFile = root.resolve("spark-seeds-" + edges + "-" + seedCount + ".csv");
            StringBuilder sb = new StringBuilder("id,seed\n");
            seeds.forEach(s -> sb.append(s.id()).append(',').append(s.seed()).append('\n'));
            Files.writeString(seedFile, sb);
            Set<String> stopNames = new TreeSet<>();
            STOPS.forEach(c -> stopNames.add(c.name().toLowerCase()));
            java.util.Map<String, List<TaintBatch.Result>> expected = new java.util.HashMap<>();
            if (what.contains("batch") || what.contains("standalone")) {
                for (String policy : List.of("haircut", "poison")) {
                    long t0 = System.nanoTime();
                    try (ChainStore cs = ChainStore.openReadOnly(store)) {
                        expected.put(policy, ParquetExportTest.singleMachineBatch(cs, seeds, policy, hops, STOPS));
                    }
                    say("single machine (CompactTracer, one thread): %s, %,d seeds, %d hops: %.1f s; %,d edges visited", policy, seeds.size(), hops,
                            (System.nanoTime() - t0) / 1e9, expected.get(policy).stream().mapToLong(TaintBatch.Result::edgesVisited).sum());
                }
            }
            if (what.contains("batch")) {
                for (String policy : List.of("haircut", "poison")) {
                    JobCost cost = JobCost.start();
                    List<TaintBatch.Result> got = TaintBatch.run(spark, parquet.toString(), seeds, policy, hops, stopNames);
                    if (!got.equals(expected.get(policy))) {
                        throw new AssertionError(policy + ": Spark local differs from the single machine, first at " + firstDifference(expected.get(policy), got));
                    }
                    say("spark local[*] batch %s: equal for all %,d seeds; %s", policy, seeds.size(), cost.end());
                }
            }
            try (ChainStore cs = ChainStore.openToScan(store)) {
                if (what.contains("cluster")) {
                    JobCost cost = JobCost.start();
                    SparkClustering.Outcome o = SparkClustering.run(spark, parquet.toString());
                    long diff = o.entities().except(spark.read().parquet(parquet.resolve("entities").toString())).count()
                            + spark.read().parquet(parquet.resolve("entities").toString()).except(o.entities()).count();
                    if (diff != 0) {
                        throw new AssertionError("clustering: " + diff + " rows differ from the store's entities");
                    }
                    say("spark local[*] cluster: the store's partition (%,d entities, %,d addresses, %d rounds); %s", o.summary().entities(),
                            o.summary().addresses(), o.summary().rounds(), cost.end());
                }
                if (what.contains("patterns")) {
                    var settings = io.chaintrace.core.pattern.PatternSettings.defaults();
                    Set<String> single = singleMachineAlerts(cs, root.resolve("synthetic-42-" + edges + "-alerts.txt"));
                    JobCost cost = JobCost.start();
                    Set<String> found = new TreeSet<>();
                    for (Row r : SparkPatterns.run(spark, parquet.toString(), settings).collectAsList()) {
                        found.add(r.getString(0) + " " + r.getList(2));
                    }
                    if (!found.equals(single)) {
                        throw new AssertionError("patterns differ: " + found.size() + " vs " + single.size());
                    }
                    say("patterns: %,d alerts, equal; spark local[*] %s", single.size(), cost.end());
                }
            }
            boolean clusterJobs = what.contains("standalone-jobs") || what.contains("standalone-cluster");
            boolean patternJobs = what.contains("standalone-jobs") || what.contains("standalone-patterns");
            if (what.contains("standalone") || clusterJobs || patternJobs) {
                // The single machine's alerts, for the standalone patterns job.
                Set<String> singleAlerts = null;
                if (patternJobs) {
                    try (ChainStore cs = ChainStore.openToScan(store)) {
                        singleAlerts = singleMachineAlerts(cs, root.resolve("synthetic-42-" + edges + "-alerts.txt"));
                    }
                }
                List<Row> entities = clusterJobs
                        ? spark.read().parquet(parquet.resolve("entities").toString()).orderBy("address", "entity").collectAsList() : List.of();
                spark.stop();
                for (int[] shape : new int[][] {{1, 2}, {2, 1}}) {
                    Path d = Files.createTempDirectory("chaintrace-standalone-");
                    try (LocalCluster c = new LocalCluster(d, shape[0], shape[1], shape[0] == 1 ? "10g" : "5g")) {
                        if (clusterJobs || patternJobs) {
                            standaloneJobs(c, d, shape, parquet, clusterJobs ? entities : null, singleAlerts);
                        }
                        for (String policy : what.contains("standalone") ? List.of("haircut", "poison") : List.<String>of()) {
                            Path out = d.resolve("results-" + policy + ".jsonl");
                            PeakRss rss = PeakRss.watch(c);
                            long t0 = System.nanoTime();
                            c.run("batch-" + policy, shape[0] == 1 ? "8g" : "4g", "batch", "--parquet", parquet.toString(), "--seeds", seedFile.toString(),
                                    "--out", out.toString(), "--policy", policy, "--hops", Integer.toString(hops), "--stop-at", String.join(",", stopNames));
                            double secs = (System.nanoTime() - t0) / 1e9;
                            List<TaintBatch.Result> got = new ArrayList<>();
                            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                            for (String l : Files.readAllLines(out).subList(1, seeds.size() + 1)) {
                                got.add(json.readValue(l, TaintBatch.Result.class));
                            }
                            if (!got.equals(expected.get(policy))) {
                                throw new AssertionError(policy + " on " + shape[0] + " workers differs, first at " + firstDifference(expected.get(policy), got));
                            }
                            String metrics = Files.readAllLines(d.resolve("batch-" + policy + ".log")).stream().filter(l -> l.startsWith("spark: "))
                                    .findFirst().orElse("");
                            say("standalone, %d worker(s) x %d core(s): batch %s equal; %.1f s wall (spark-submit to results); %s; executors' peak RSS %s",
                                    shape[0], shape[1], policy, secs, metrics, rss.stop());
                        }
                    }
                }
            }
        } finally {
            spark.stop();
        }
    }

    /**
     * Clustering and pattern windows submitted to a standalone cluster: equal to the store's, timed, with the job's metrics
     * (the patterns only when {@code singleAlerts} is given).
     */
    private static void standaloneJobs(LocalCluster c, Path d, int[] shape, Path parquet, List<Row> entities, Set<String> singleAlerts)
            throws Exception {
        String memory = shape[0] == 1 ? "8g" : "4g";
        if (entities != null) {
            standaloneClustering(c, d, shape, parquet, entities, memory);
        }
        if (singleAlerts == null) {
            return;
        }
        Path alerts = d.resolve("alerts.jsonl");
        PeakRss rss = PeakRss.watch(c);
        long t0 = System.nanoTime();
        c.run("patterns", memory, "patterns", "--parquet", parquet.toString(), "--out", alerts.toString());
        double secs = (System.nanoTime() - t0) / 1e9;
        String peak = rss.stop();
        Set<String> found = new TreeSet<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        try (var lines = Files.lines(alerts)) {
            for (String l : (Iterable<String>) lines::iterator) {
                java.util.Map<?, ?> m = json.readValue(l, java.util.Map.class);
                found.add(m.get("pattern") + " " + m.get("transactions"));
            }
        }
        if (!found.equals(singleAlerts)) {
            throw new AssertionError("standalone patterns on " + shape[0] + " workers: " + found.size() + " alerts vs " + singleAlerts.size());
        }
        say("standalone, %d worker(s) x %d core(s): patterns equal (%,d alerts); %.1f s wall; %s; executors' peak RSS %s", shape[0], shape[1],
                found.size(), secs, metricsLine(d.resolve("patterns.log")), peak);
    }

    private static void standaloneClustering(LocalCluster c, Path d, int[] shape, Path parquet, List<Row> entities, String memory)
            throws Exception {
        Path out = d.resolve("entities");
        PeakRss rss = PeakRss.watch(c);
        long t0 = System.nanoTime();
        c.run("cluster", memory, "cluster", "--parquet", parquet.toString(), "--out", out.toString());
        double secs = (System.nanoTime() - t0) / 1e9;
        String peak = rss.stop();
        SparkSession check = Sessions.start("local[2]", "chaintrace scale check");
        try {
            if (!check.read().parquet(out.toString()).orderBy("address", "entity").collectAsList().equals(entities)) {
                throw new AssertionError("standalone clustering on " + shape[0] + " workers differs from the store's entities");
            }
        } finally {
            check.stop();
        }
        say("standalone, %d worker(s) x %d core(s): cluster equal (%,d rows); %.1f s wall (spark-submit to entities); %s; executors' peak RSS %s",
                shape[0], shape[1], entities.size(), secs, metricsLine(d.resolve("cluster.log")), peak);
    }

    /**
     * The single machine's fan-out, fan-in and pass-through alerts (every detector's scan of the store, one thread), timed
     * once and kept in {@code cache}: at 10^7 transactions the scan takes about 20 minutes, and each run compares with it.
     */
    private static Set<String> singleMachineAlerts(ChainStore cs, Path cache) throws java.io.IOException {
        if (Files.exists(cache)) {
            Set<String> alerts = new TreeSet<>(Files.readAllLines(cache));
            say("single machine's alerts: %,d, read from %s (timed when it was written)", alerts.size(), cache);
            return alerts;
        }
        long t0 = System.nanoTime();
        Set<String> alerts = new TreeSet<>(ParquetExportTest.singleMachineAlerts(cs, io.chaintrace.core.pattern.PatternSettings.defaults()));
        say("single machine (the fan-out, fan-in and pass-through detectors, one thread, store read included): %,d alerts in %.1f s;"
                + " peak heap of this JVM so far %,d MB", alerts.size(),
                (System.nanoTime() - t0) / 1e9, peakHeap() >> 20);
        Path part = cache.resolveSibling(cache.getFileName() + ".part");
        Files.write(part, alerts);
        Files.move(part, cache, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return alerts;
    }

    private static long peakHeap() {
        long peak = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** This process's peak resident memory (Linux's VmHWM). */
    private static String peakRss() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> l.substring(6).strip()).findFirst().orElse("unknown");
    }

    private static String metricsLine(Path log) throws java.io.IOException {
        return Files.readAllLines(log).stream().filter(l -> l.startsWith("spark: ")).findFirst().orElse("");
    }

    private static String firstDifference(List<TaintBatch.Result> a, List<TaintBatch.Result> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return a.get(i) + " vs " + b.get(i);
            }
        }
        return "sizes " + a.size() + " vs " + b.size();
    }

    static void say(String format, Object... args) {
        System.out.println("[spark-scale] " + String.format(format, args));
    }

    static String size(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return String.format("%.0f MB", files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1e6);
        }
    }

    /** Time and the session's metrics over one job (the metrics are cumulative: differences). */
    record JobCost(long t0, String before) {
        static JobCost start() {
            return new JobCost(System.nanoTime(), Sessions.METRICS.summary());
        }

        String end() {
            return String.format("%.1f s; %s (session totals, before: %s); driver heap %d MB", (System.nanoTime() - t0) / 1e9,
                    Sessions.METRICS.summary(), before, (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
    }

    /** The largest resident set of the executors' JVMs, sampled twice a second (Linux /proc). */
    static final class PeakRss {
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;

        private PeakRss(LocalCluster c) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    long sum = 0;
                    for (ProcessHandle h : c.executors()) {
                        sum += rss(h.pid());
                    }
                    peak.accumulateAndGet(sum, Math::max);
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        static PeakRss watch(LocalCluster c) {
            return new PeakRss(c);
        }

        String stop() {
            thread.interrupt();
            return String.format("%,d MB (all executors together)", peak.get() >> 20);
        }

        private static long rss(long pid) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (l.startsWith("VmRSS:")) {
                        return Long.parseLong(l.replaceAll("[^0-9]", "")) << 10;
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                return 0; // gone between the listing and the read
            }
            return 0;
        }
    }
}
