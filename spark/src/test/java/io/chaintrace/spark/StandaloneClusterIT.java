package io.chaintrace.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs on a real cluster manager: a Spark standalone master and two workers, each its own JVM started from spark-core's
 * deploy classes on 127.0.0.1 (SPARK_HOME = the module's spark-home, a distribution's jars/), and the shaded job jar
 * submitted to them by {@code SparkSubmit} in a JVM of its own, as {@code spark-submit} does. Over real blocks 0-589 and a
 * block of 2019: batch taint (haircut and poison) equals the single-machine engine for every seed; the clustering equals the
 * store's; the pattern windows equal the single-machine detectors'. A submission killed mid-run leaves no output, and the
 * resubmission writes it once (and equal). Everything is stopped after.
 */
class StandaloneClusterIT {
    @TempDir
    static Path dir;
    static Path parquet;
    static LocalCluster cluster;
    static List<TaintBatch.SeedLine> seeds;

    @BeforeAll
    static void cluster() throws Exception {
        Path shared = ParquetExportTest.shared();
        parquet = dir.resolve("parquet");
        SparkSession spark = Sessions.start("local[2]", "chaintrace test");
        try (ChainStore cs = ChainStore.open(dir.resolve("store"))) {
            new BlockFileSource(cs, List.of(shared.resolve("data/btc/blk/firstblocks.blk"), shared.resolve("data/btc/blk/block2019Jan.blk")))
                    .run(IngestListener.NONE);
            ParquetExportTest.labelServices(cs);
            cs.compactPages();
            cs.cluster(50_000, n -> { });
            ParquetExport.write(spark, cs, parquet, false, n -> { });
            seeds = ParquetExportTest.seeds(spark.read().parquet(parquet.resolve("outputs").toString()));
        } finally {
            spark.stop();
        }
        StringBuilder sb = new StringBuilder("id,seed\n");
        seeds.forEach(s -> sb.append(s.id()).append(',').append(s.seed()).append('\n'));
        Files.writeString(dir.resolve("seeds.csv"), sb);
        cluster = new LocalCluster(dir, 2, 1, "1500m");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void run(String name, String... args) throws Exception {
        cluster.run(name, "1g", args);
    }

    private static List<TaintBatch.Result> results(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(file);
        assertEquals("{\"chaintrace\":\"batch results\",\"format\":1}", lines.getFirst());
        List<TaintBatch.Result> out = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) {
            out.add(json.readValue(l, TaintBatch.Result.class));
        }
        return out;
    }

    @Test
    void batchTaintOnTwoWorkersEqualsTheSingleMachineEngine() throws Exception {
        for (String policy : List.of("haircut", "poison")) {
            Path out = dir.resolve("results-" + policy + ".jsonl");
            String[] args = {"batch", "--parquet", parquet.toString(), "--seeds", dir.resolve("seeds.csv").toString(), "--out", out.toString(),
                "--policy", policy, "--hops", "6", "--stop-at", "exchange,deposit"};
            if (policy.equals("haircut")) {
                killMidRun("killed", args, out);
            }
            run("batch-" + policy, args);
            List<TaintBatch.Result> expected;
            try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
                expected = ParquetExportTest.singleMachineBatch(cs, seeds, policy, 6, java.util.EnumSet.of(LabelCategory.EXCHANGE, LabelCategory.DEPOSIT));
            }
            assertEquals(expected, results(out), policy);
        }
        // Both workers ran executors of the applications.
        for (Path w : cluster.workDirs) {
            try (var apps = Files.list(w)) {
                assertTrue(apps.anyMatch(a -> a.getFileName().toString().startsWith("app-")), w + " ran an executor");
            }
        }
    }

    @Test
    void clusteringOnTwoWorkersIsTheStoresPartition() throws Exception {
        Path out = dir.resolve("entities");
        run("cluster", "cluster", "--parquet", parquet.toString(), "--out", out.toString());
        SparkSession spark = Sessions.start("local[1]", "chaintrace test");
        try {
            List<Row> expected = spark.read().parquet(parquet.resolve("entities").toString()).filter("address not like '0x%'")
                    .orderBy("address", "entity").collectAsList();
            List<Row> found = spark.read().parquet(out.toString()).orderBy("address", "entity").collectAsList();
            assertTrue(expected.size() > 10);
            assertEquals(expected, found);
        } finally {
            spark.stop();
        }
    }

    @Test
    void patternWindowsOnTwoWorkersAreTheDetectorsAlerts() throws Exception {
        Path out = dir.resolve("alerts.jsonl");
        run("patterns", "patterns", "--parquet", parquet.toString(), "--out", out.toString());
        Set<String> expected;
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
            expected = new TreeSet<>(ParquetExportTest.singleMachineAlerts(cs, io.chaintrace.core.pattern.PatternSettings.defaults()));
        }
        Set<String> found = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String l : Files.readAllLines(out)) {
            Map<?, ?> m = json.readValue(l, Map.class);
            found.add(m.get("pattern") + " " + m.get("transactions"));
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, found);
    }

    /** The account-chain windows over an ethereum-etl export (no store), on the two workers, equal the single machine's rules. */
    @Test
    void accountWindowsOverAnEthereumEtlExportOnTwoWorkersAreTheRulesAlerts() throws Exception {
        Path demo = dir.resolve("demo");
        io.chaintrace.ingest.demo.CaseFiles.write(io.chaintrace.scenarios.ExchangeHack.generate(5, 3_000), demo);
        List<Path> files;
        try (var s = Files.list(demo.resolve("eth"))) {
            files = s.sorted().toList();
        }
        Path config = dir.resolve("chaintrace.conf");
        Files.writeString(config, "patterns.fanOut.minPayees = 3\npatterns.fanIn.minPayers = 3\npatterns.passThrough.minLength = 2\n");
        Path out = dir.resolve("account-alerts.jsonl");
        run("account-patterns", "patterns", "--parquet", demo.resolve("eth").toString(), "--config", config.toString(), "--out", out.toString());
        Set<String> expected = new TreeSet<>();
        try (ChainStore cs = ChainStore.open(dir.resolve("eth-store"))) {
            new io.chaintrace.ingest.eth.EtlSource(cs, files).run(IngestListener.NONE);
            var rules = SparkCommand.Patterns.settings(config).accountPatterns();
            cs.forEachEthTransfer(0, Long.MAX_VALUE, t -> rules.accept(t, cs, a -> { }));
            rules.finish(a -> {
                if (SparkAccountPatternsTest.PATTERNS.contains(a.pattern())) {
                    expected.add(a.pattern() + " " + a.parameters().get("subject") + " " + a.transactions().stream().map(h -> h.hex()).toList());
                }
            });
        }
        Set<String> found = new TreeSet<>();
        ObjectMapper json = new ObjectMapper();
        for (String l : Files.readAllLines(out)) {
            Map<?, ?> m = json.readValue(l, Map.class);
            found.add(m.get("pattern") + " " + m.get("address") + " " + m.get("transactions"));
        }
        assertFalse(expected.isEmpty());
        assertEquals(expected, found);
    }

    /** A driver killed mid-run (its executors running on the cluster) leaves no results, nor a temporary beside them. */
    private static void killMidRun(String name, String[] args, Path out) throws Exception {
        long launched = cluster.launched(1);
        Process p = cluster.submit(name, "1g", args).start();
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (cluster.launched(1) == launched && System.nanoTime() < end) {
            assertTrue(p.isAlive(), Files.readString(dir.resolve(name + ".log")));
            Thread.sleep(200);
        }
        Thread.sleep(5_000);
        assertTrue(p.isAlive(), "still running when killed");
        p.destroyForcibly().waitFor();
        assertFalse(Files.exists(out), "nothing written by the killed run");
        try (var files = Files.list(out.getParent())) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("." + out.getFileName())), "no temporary left beside it");
        }
    }
}
