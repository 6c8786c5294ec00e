package io.chaintrace.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.StoreStats;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileSource;
import io.chaintrace.ingest.eth.EtlSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store as Parquet, read back by Spark (local, on loopback): real Bitcoin blocks 0-589, a block of January 2019, and the Ethereum rows of blocks
 * 17,173,049-050 from ../shared/data, labels and the clustering. Every table's rows equal the store's counts and sums;
 * each spent output's spender is the transaction whose input names it; a missing table or a column of the wrong type
 * stops with one line naming them; an export is not replaced unasked.
 */
class ParquetExportTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path out;
    static StoreStats stats;
    static long transfers;
    static long links;
    static ParquetExport.Summary summary;

    static Path shared() {
        String prop = System.getProperty("chaintrace.shared");
        return prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
    }

    @BeforeAll
    static void export() throws Exception {
        Path blocks = shared().resolve("data/btc/blk/firstblocks.blk");
        Path etl = shared().resolve("data/eth/etl/test_stream/blocks_17173049_17173050");
        assertTrue(Files.exists(blocks) && Files.isDirectory(etl), "these tests need ../shared/data beside the repository");
        spark = Sessions.start("local[2]", "chaintrace test");
        out = dir.resolve("parquet");
        try (ChainStore cs = ChainStore.open(dir.resolve("store"))) {
            new BlockFileSource(cs, List.of(blocks)).run(IngestListener.NONE);
            // A 2019 block: SegWit, change outputs, inputs funded outside the data.
            new BlockFileSource(cs, List.of(shared().resolve("data/btc/blk/block2019Jan.blk"))).run(IngestListener.NONE);
            new EtlSource(cs, List.of(etl.resolve("expected_transactions.json"), etl.resolve("expected_token_transfers.json"))).run(IngestListener.NONE);
            cs.putLabels(Address.parse("12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S"), List.of(new Label(Address.parse("12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S"),
                    "Early miner", LabelCategory.OTHER, "test", 1.0, "miner")));
            labelServices(cs);
            cs.compactPages();
            io.chaintrace.graph.ClusterRun run = cs.cluster(50_000, n -> { });
            links = run.multiInputLinks() + run.changeLinks() + run.depositAddressLinks();
            summary = ParquetExport.write(spark, cs, out, false, n -> { });
            stats = cs.stats();
            transfers = cs.ethStats().transfers();
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Dataset<Row> table(String name) {
        return spark.read().parquet(out.resolve(name).toString());
    }

    @Test
    void everyTableHoldsWhatTheStoreHolds() {
        assertEquals(stats.txs(), table("transactions").count());
        assertEquals(stats.outputs(), table("outputs").count());
        assertEquals(stats.inputs(), table("inputs").count());
        assertEquals(stats.outputValue(), table("outputs").agg(org.apache.spark.sql.functions.sum("value")).first().getLong(0));
        assertEquals(transfers, table("transfers").count());
        assertTrue(table("labels").count() > 1);
        assertEquals(summary.transactions(), stats.txs());
        ParquetTables.check(spark, out.toString(), List.copyOf(ParquetTables.ALL.keySet()));
    }

    @Test
    void eachSpentOutputsSpenderNamesItInItsInputs() {
        Dataset<Row> outputs = table("outputs").alias("o");
        Dataset<Row> inputs = table("inputs").alias("i");
        Dataset<Row> spent = outputs.filter("o.spent_by is not null");
        Dataset<Row> joined = spent.join(inputs, org.apache.spark.sql.functions.expr("o.txid = i.prev_txid and o.vout = i.prev_vout"));
        assertTrue(spent.count() > 0);
        assertEquals(spent.count(), joined.count());
        assertEquals(0, joined.filter("o.spent_by <> i.txid").count());
        // And every resolved input's value is its output's.
        Dataset<Row> resolved = inputs.filter("i.status = 'resolved'");
        assertEquals(resolved.count(), resolved.join(outputs,
                org.apache.spark.sql.functions.expr("o.txid = i.prev_txid and o.vout = i.prev_vout and o.value = i.value")).count());
    }

    /** Each union the clustering made joins two entities into one: members minus entities is the number of links. */
    @Test
    void entitiesAreTheClustering() {
        Dataset<Row> entities = table("entities");
        long members = entities.count();
        long groups = entities.select("entity").distinct().count();
        assertTrue(groups > 0);
        assertEquals(links, members - groups);
    }

    /** The whole chain's clustering on Spark is the store's: the same entities, each named by the same first-seen address. */
    @Test
    void sparkClusteringIsTheStoresPartition() {
        SparkClustering.Outcome o = SparkClustering.run(spark, out.toString());
        List<Row> expected = table("entities").filter("address not like '0x%'").orderBy("address", "entity").collectAsList();
        List<Row> found = o.entities().orderBy("address", "entity").collectAsList();
        assertTrue(expected.size() > 10, "the blocks have entities to find: " + expected.size());
        assertEquals(expected, found);
        assertEquals(expected.stream().map(r -> r.getString(1)).distinct().count(), o.summary().entities());
        assertTrue(o.summary().changePairs() > 0 && o.summary().multiInputPairs() > 0, o.summary().toString());
    }

    /** Fan-out, fan-in and pass-through on Spark give the single-machine detectors' alerts, on the same settings. */
    @Test
    void sparkPatternWindowsAreTheDetectorsAlerts() {
        io.chaintrace.core.pattern.PatternSettings settings = io.chaintrace.core.pattern.PatternSettings.defaults();
        java.util.Set<String> expected = new java.util.TreeSet<>();
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
            expected.addAll(singleMachineAlerts(cs, settings));
        }
        java.util.Set<String> found = new java.util.TreeSet<>();
        for (Row r : SparkPatterns.run(spark, out.toString(), settings).collectAsList()) {
            found.add(r.getString(0) + " " + r.getList(2));
        }
        assertTrue(expected.stream().anyMatch(a -> a.startsWith("fan_out")) && expected.stream().anyMatch(a -> a.startsWith("fan_in")),
                "the blocks hold fan-outs and fan-ins: " + expected.size());
        assertEquals(expected, found);
    }

    /**
     * The same on a generated chain with every pattern planted among near-misses (pass-through chains, slow ones, batch
     * payouts, payrolls...), through a block file and the ingest, on a tighter setting too.
     */
    @Test
    void sparkPatternWindowsOnPlantedPatterns() throws Exception {
        Path blk = dir.resolve("planted.blk");
        io.chaintrace.ingest.demo.CaseFiles.writeBitcoin(io.chaintrace.scenarios.PatternPlanter.plant(7, 4, 3_000).scenario(), blk);
        Path parquet = dir.resolve("planted-parquet");
        try (ChainStore cs = ChainStore.open(dir.resolve("planted-store"))) {
            new BlockFileSource(cs, List.of(blk)).run(IngestListener.NONE);
            ParquetExport.write(spark, cs, parquet, false, n -> { });
        }
        for (var settings : List.of(io.chaintrace.core.pattern.PatternSettings.defaults(), io.chaintrace.core.pattern.PatternSettings.of(
                java.util.Map.of("fanOut.minPayees", "3", "fanIn.minPayers", "3", "passThrough.minLength", "2", "passThrough.maxDelay", "7200")))) {
            java.util.Set<String> expected = new java.util.TreeSet<>();
            try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("planted-store"))) {
                expected.addAll(singleMachineAlerts(cs, settings));
            }
            java.util.Set<String> found = new java.util.TreeSet<>();
            for (Row r : SparkPatterns.run(spark, parquet.toString(), settings).collectAsList()) {
                found.add(r.getString(0) + " " + r.getList(2));
            }
            for (String p : SparkPatterns.PATTERNS) {
                assertTrue(expected.stream().anyMatch(a -> a.startsWith(p + " ")), p + " planted and found: " + expected.size());
            }
            assertEquals(expected, found, settings.values().toString());
        }
    }

    /** The alerts of fan-out, fan-in and pass-through as {@code chaintrace patterns} finds them: every transaction in chain order. */
    static List<String> singleMachineAlerts(ChainStore cs, io.chaintrace.core.pattern.PatternSettings settings) {
        List<String> alerts = new java.util.ArrayList<>();
        // The detectors of the patterns the job finds, alone: the others' alerts are not compared, and their walks (peel
        // chains followed forward through the store) would be most of the time.
        var detectors = settings.detectors().stream().filter(d -> SparkPatterns.PATTERNS.contains(d.name())).toList();
        var ledger = new io.chaintrace.core.pattern.RecentLedger(cs, 200_000);
        cs.forEachTransaction(tx -> {
            ledger.remember(tx);
            detectors.forEach(d -> d.accept(tx, ledger, a -> {
                if (SparkPatterns.PATTERNS.contains(a.pattern())) {
                    alerts.add(a.pattern() + " " + a.transactions().stream().map(io.chaintrace.core.model.Hash256::hex).toList());
                }
            }));
        });
        return alerts;
    }

    @Test
    void aMissingTableOrAWrongColumnIsOneLineNamingIt() throws Exception {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ParquetTables.check(spark, broken.toString(), List.of("outputs")));
        assertTrue(missing.getMessage().contains("table 'outputs' is missing"), missing.getMessage());
        spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("aa", "1")), new org.apache.spark.sql.types.StructType()
                .add("txid", "string").add("value", "string")).write().parquet(broken.resolve("outputs").toString());
        IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
                () -> ParquetTables.check(spark, broken.toString(), List.of("outputs")));
        assertTrue(column.getMessage().contains("table 'outputs' has no column 'vout'"), column.getMessage());
        assertEquals(1, column.getMessage().lines().count());
    }

    @Test
    void anExportIsNotReplacedUnasked() throws Exception {
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParquetExport.write(spark, cs, out, false, n -> { }));
            assertTrue(e.getMessage().contains("already holds an export"), e.getMessage());
        }
        // Nothing half-written beside it.
        try (var files = Files.list(out.getParent())) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(".parquet-")));
        }
    }

    /** Poison on Spark, hop by hop for all seeds at once, equals the single-machine engine for every seed, to the satoshi. */
    @Test
    void poisonBatchEqualsTheCompactTracer() throws Exception {
        batchEqualsTheCompactTracer("poison");
    }

    /** Haircut on Spark, each transaction split once in rounds, equals the single-machine engine for every seed, to the satoshi. */
    @Test
    void haircutBatchEqualsTheCompactTracer() throws Exception {
        batchEqualsTheCompactTracer("haircut");
    }

    /** A seed the tables do not hold is an error line (chaintrace batch's fields), not an account of nothing. */
    @Test
    void seedsTheTablesDoNotHoldAreErrorLines() {
        String real = seeds(table("outputs")).getFirst().seed();
        String txid = real.substring(0, 64);
        List<TaintBatch.SeedLine> seeds = List.of(new TaintBatch.SeedLine("real", real, 2), new TaintBatch.SeedLine("vout", txid + ":999", 3),
                new TaintBatch.SeedLine("tx", "ab".repeat(32), 4));
        List<TaintBatch.Result> results = TaintBatch.run(spark, out.toString(), seeds, "haircut", 2, java.util.Set.of("exchange"));
        java.util.Map<Integer, TaintBatch.SeedError> missing = TaintBatch.missing(spark, seeds);
        assertEquals(java.util.Set.of(1, 2), missing.keySet());
        assertTrue(results.getFirst().seeded() > 0);
        assertEquals(new TaintBatch.SeedError("vout", txid + ":999", 3, "output " + txid + ":999 is not in the tables (export a store that holds it:"
                + " chaintrace export parquet --store DIR --out DIR)"), missing.get(1));
        assertTrue(missing.get(2).error().startsWith("transaction " + "ab".repeat(32) + " is not in the tables"), missing.get(2).error());
    }

    private static void batchEqualsTheCompactTracer(String policy) throws Exception {
        List<TaintBatch.SeedLine> seeds = seeds(table("outputs"));
        List<TaintBatch.Result> spark = TaintBatch.run(ParquetExportTest.spark, out.toString(), seeds, policy, 6, java.util.Set.of("exchange", "deposit"));
        List<TaintBatch.Result> expected;
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("store"))) {
            expected = singleMachineBatch(cs, seeds, policy, 6, java.util.EnumSet.of(LabelCategory.EXCHANGE, LabelCategory.DEPOSIT));
        }
        assertEquals(expected, spark);
        assertTrue(expected.stream().mapToLong(TaintBatch.Result::endpoints).sum() > 0, "some seeds reach the services");
        assertTrue(expected.stream().mapToLong(TaintBatch.Result::cutByHops).sum() > 0, "some seeds are cut by the hop limit");
    }

    /** 40 seeds over the export: mostly coins that moved (in 2009 most never did), a few that did not; every eighth a whole transaction. */
    static List<TaintBatch.SeedLine> seeds(Dataset<Row> outputs) {
        List<Row> picks = new java.util.ArrayList<>(outputs.filter("value > 0 and spent_by is not null").orderBy("height", "txid", "vout")
                .collectAsList());
        picks.addAll(outputs.filter("value > 0 and spent_by is null").orderBy("height", "txid", "vout").limit(5).collectAsList());
        List<TaintBatch.SeedLine> seeds = new java.util.ArrayList<>();
        for (int i = 0; i < picks.size() && seeds.size() < 40; i += Math.max(1, picks.size() / 40)) {
            Row r = picks.get(i);
            seeds.add(new TaintBatch.SeedLine("s" + seeds.size(), seeds.size() % 8 == 7 ? r.getString(0) : r.getString(0) + ":" + r.getInt(1)));
        }
        return seeds;
    }

    /** Services to stop at: the payees of every third transaction that spends coins (not a coinbase), from block 100 on. */
    static void labelServices(ChainStore cs) {
        int labelled = 0;
        for (int h = 100; h < 590 && labelled < 40; h++) {
            for (var id : cs.blockAt(h).map(b -> cs.transactionIds(cs.block(b).orElseThrow().ref().height())).orElse(List.of())) {
                if (!cs.transaction(id).orElseThrow().coinbase() && Math.floorMod(id.hashCode(), 3) == 0) {
                    for (var o : cs.transaction(id).orElseThrow().outputs()) {
                        if (o.owner().isPresent()) {
                            Address a = o.owner().get();
                            cs.putLabels(a, List.of(new Label(a, "Exchange " + (labelled % 5), LabelCategory.EXCHANGE, "test", 0.9)));
                            labelled++;
                        }
                    }
                }
            }
        }
    }

    /**
     * What {@code chaintrace batch} gives for each seed: the single-machine engine ({@code CompactTracer} over the store's
     * compact rows), endpoints named by their most confident label among the stop categories.
     */
    static List<TaintBatch.Result> singleMachineBatch(ChainStore cs, List<TaintBatch.SeedLine> seeds, String policy, int hops,
                                                      java.util.Set<LabelCategory> stops) {
        io.chaintrace.core.compact.CompactTracer tracer = new io.chaintrace.core.compact.CompactTracer(cs.compactRows(stops, 64L << 20));
        List<TaintBatch.Result> results = new java.util.ArrayList<>();
        for (TaintBatch.SeedLine line : seeds) {
            String seed = line.seed();
            List<io.chaintrace.core.model.Outpoint> outs = new java.util.ArrayList<>();
            if (seed.contains(":")) {
                outs.add(io.chaintrace.core.model.Outpoint.parse(seed));
            } else {
                var id = io.chaintrace.core.model.Hash256.fromHex(seed);
                cs.transaction(id).orElseThrow().outputs().forEach(o -> outs.add(new io.chaintrace.core.model.Outpoint(id, o.index())));
            }
            int[] tx = new int[outs.size()];
            int[] vout = new int[outs.size()];
            for (int i = 0; i < outs.size(); i++) {
                var ref = cs.rowOf(outs.get(i)).orElseThrow();
                tx[i] = ref.tx();
                vout[i] = ref.vout();
            }
            var r = tracer.forward(new io.chaintrace.core.compact.OutputRefs(tx, vout), io.chaintrace.core.trace.TaintPolicy.named(policy), hops);
            java.util.Map<String, Long> byEntity = new java.util.TreeMap<>();
            r.endpointTaint().forEach((owner, amount) -> {
                Address a = cs.address(owner);
                String name = cs.labelsOf(a).stream().filter(l -> stops.contains(l.category()))
                        .max(java.util.Comparator.comparingDouble(Label::confidence)).map(Label::entity).orElse(a.shown());
                byEntity.merge(name, amount, Long::sum);
            });
            results.add(new TaintBatch.Result(line.id(), seed, policy, hops, r.seeded(), r.endpoints(), r.unspent(), r.fees(), r.cutByHops(),
                    r.absorbedBySeeds(), byEntity, r.edgesVisited()));
        }
        return results;
    }
}
