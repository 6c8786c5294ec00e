package io.chaintrace.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs on a bitcoin-etl export, no Chaintrace store needed: real blocks 0-589 and a block of January 2019 from
 * ../shared/data, written in bitcoin-etl's layout straight from the block files ({@link BitcoinEtlFiles}, bitcoinj), read as
 * the export's tables. They hold what the independent parser's reference figures say; they equal the export of a store
 * that ingested the same blocks, row for row; batch taint, clustering and pattern windows on them equal the single
 * machine's; a bad line, column or value stops with one line naming file, transaction and column.
 */
class BitcoinEtlTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path etl;
    static Path export;
    static Path store;

    @BeforeAll
    static void write() throws Exception {
        Path first = ParquetExportTest.shared().resolve("data/btc/blk/firstblocks.blk");
        Path jan2019 = ParquetExportTest.shared().resolve("data/btc/blk/block2019Jan.blk");
        assertTrue(Files.exists(first) && Files.exists(jan2019), "these tests need ../shared/data beside the repository");
        spark = Sessions.start("local[2]", "chaintrace etl test");
        etl = dir.resolve("etl");
        BitcoinEtlFiles.write(List.of(new BitcoinEtlFiles.Source(first, 0), new BitcoinEtlFiles.Source(jan2019, -1)), etl);
        store = dir.resolve("store");
        export = dir.resolve("export");
        try (ChainStore cs = ChainStore.open(store)) {
            new BlockFileSource(cs, List.of(first)).run(IngestListener.NONE);
            new BlockFileSource(cs, List.of(jan2019)).run(IngestListener.NONE);
            ParquetExportTest.labelServices(cs);
            cs.compactPages();
            cs.cluster(50_000, n -> { });
            ParquetExport.write(spark, cs, export, false, n -> { });
        }
        // An investigator's labels beside the bitcoin-etl tables, in the export's layout.
        spark.read().parquet(export.resolve("labels").toString()).write().parquet(etl.resolve("labels").toString());
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static Map<String, Dataset<Row>> etlTables() {
        return Tables.read(spark, etl.toString(), List.of("transactions", "outputs", "inputs", "labels"));
    }

    /** The reference figures of the independent parser (bitcoinjs-lib): transactions, inputs, outputs, value, per file. */
    @Test
    void theTablesHoldWhatTheReferenceFiguresSay() throws Exception {
        long txs = 0;
        long inputs = 0;
        long outputs = 0;
        long value = 0;
        for (String line : Files.readAllLines(ParquetExportTest.shared().resolve("data/btc/REFERENCE.jsonl"))) {
            JsonNode r = new ObjectMapper().readTree(line);
            if (Set.of("firstblocks.blk", "block2019Jan.blk").contains(r.get("file").asText())) {
                txs += r.get("txs").asLong();
                inputs += r.get("inputs").asLong();
                outputs += r.get("outputs").asLong();
                value += Long.parseLong(r.get("value").asText());
            }
        }
        Map<String, Dataset<Row>> t = etlTables();
        assertTrue(BitcoinEtl.holds(spark, etl.toString()));
        assertEquals(txs, t.get("transactions").count());
        assertEquals(inputs, t.get("inputs").count());
        assertEquals(outputs, t.get("outputs").count());
        assertEquals(value, t.get("outputs").agg(org.apache.spark.sql.functions.sum("value")).first().getLong(0));
        assertEquals(inputs, t.get("transactions").agg(org.apache.spark.sql.functions.sum("input_count")).first().getLong(0));
    }

    /** Row for row the export of a store that ingested the same blocks: owners, spenders, resolved inputs, coinbases. */
    @Test
    void theTablesAreTheExportOfTheSameBlocks() {
        Map<String, Dataset<Row>> t = etlTables();
        for (String name : List.of("transactions", "outputs", "inputs", "labels")) {
            Dataset<Row> expected = spark.read().parquet(export.resolve(name).toString());
            Dataset<Row> found = t.get(name).select(expected.columns()[0], java.util.Arrays.copyOfRange(expected.columns(), 1, expected.columns().length));
            assertEquals(expected.count(), found.count(), name);
            assertEquals(0, expected.exceptAll(found).count(), name + ": rows of the export not made from bitcoin-etl");
            assertEquals(0, found.exceptAll(expected).count(), name + ": rows made from bitcoin-etl not in the export");
        }
        assertTrue(t.get("inputs").filter("status = 'unresolved'").count() > 0, "the 2019 block spends coins the data does not hold");
        assertTrue(t.get("outputs").filter("kind = 'p2pk'").count() > 0 && t.get("outputs").filter("kind = 'op_return'").count() > 0);
    }

    @Test
    void batchTaintOnBitcoinEtlEqualsTheSingleMachine() throws Exception {
        List<TaintBatch.SeedLine> seeds = ParquetExportTest.seeds(spark.read().parquet(export.resolve("outputs").toString()));
        for (String policy : TaintBatch.POLICIES) {
            List<TaintBatch.Result> found = TaintBatch.run(spark, etl.toString(), seeds, policy, 6, Set.of("exchange"));
            List<TaintBatch.Result> expected;
            try (ChainStore cs = ChainStore.openReadOnly(store)) {
                expected = ParquetExportTest.singleMachineBatch(cs, seeds, policy, 6, java.util.EnumSet.of(LabelCategory.EXCHANGE));
            }
            assertEquals(expected, found, policy);
            assertTrue(expected.stream().mapToLong(TaintBatch.Result::endpoints).sum() > 0, "some seeds reach the services");
        }
    }

    @Test
    void clusteringAndPatternWindowsOnBitcoinEtlEqualTheSingleMachine() {
        SparkClustering.Outcome o = SparkClustering.run(spark, etl.toString());
        List<Row> expected = spark.read().parquet(export.resolve("entities").toString()).orderBy("address", "entity").collectAsList();
        assertTrue(expected.size() > 10, "the blocks have entities: " + expected.size());
        assertEquals(expected, o.entities().orderBy("address", "entity").collectAsList());
        var settings = io.chaintrace.core.pattern.PatternSettings.defaults();
        java.util.Set<String> alerts = new java.util.TreeSet<>();
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            alerts.addAll(ParquetExportTest.singleMachineAlerts(cs, settings));
        }
        java.util.Set<String> found = new java.util.TreeSet<>();
        for (Row r : SparkPatterns.run(spark, etl.toString(), settings).collectAsList()) {
            found.add(r.getString(0) + " " + r.getList(2));
        }
        assertTrue(!alerts.isEmpty());
        assertEquals(alerts, found);
    }

    /** A line that is no transaction, a script that is not hex, a value that is not whole satoshi, a column missing: one line each. */
    @Test
    void badInputIsOneLineNamingFileTransactionAndColumn() throws Exception {
        Path lines = Files.list(etl.resolve("transactions/start_block=00000000/end_block=00099999")).findFirst().orElseThrow();
        List<String> good = Files.readAllLines(lines);
        String tx = new ObjectMapper().readTree(good.get(5)).get("hash").asText();
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"type\": \"block\", \"number\": 5}", "column 'hash' is missing or not a number");
        cases.put(good.get(5).replaceFirst("\"script_hex\":\"[0-9a-f]+\"", "\"script_hex\":\"zz\""), "transaction " + tx + ": column 'outputs[0].script_hex'");
        cases.put(good.get(5).replaceFirst("\"value\":\\d+", "\"value\":0.5"), "transaction " + tx + ": column 'outputs[0].value'");
        cases.put(good.get(5).replaceFirst("\"value\":\\d+", "\"value\":\"lots\""), "transaction " + tx + ": column 'outputs[0].value'");
        int k = 0;
        for (var c : cases.entrySet()) {
            Path bad = dir.resolve("bad" + k++);
            Path file = bad.resolve("transactions/start_block=00000000/end_block=00099999/transactions_00000000_00099999.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", good.subList(0, 10)) + "\n" + c.getKey() + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Tables.read(spark, bad.toString(), List.of("transactions", "outputs", "inputs")));
            assertTrue(e.getMessage().contains(c.getValue()) && e.getMessage().contains(file.getFileName().toString()), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        // Parquet without the locking scripts, and with amounts in floating point BTC: named by column.
        Path noScript = dir.resolve("no-script");
        spark.read().schema(BitcoinEtl.JSON).json(etl.resolve("transactions").toString())
                .selectExpr("hash", "block_number", "block_timestamp", "`index`", "is_coinbase", "inputs",
                        "transform(outputs, o -> named_struct('index', o.`index`, 'value', o.value)) as outputs")
                .write().parquet(noScript.resolve("transactions").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tables.read(spark, noScript.toString(), List.of("outputs")));
        assertEquals("blockchain-etl " + noScript + ": table 'transactions' has no column 'outputs.script_hex'", e.getMessage());
        Path floats = dir.resolve("floats");
        spark.read().schema(BitcoinEtl.JSON).json(etl.resolve("transactions").toString())
                .selectExpr("hash", "block_number", "block_timestamp", "`index`", "is_coinbase", "inputs",
                        "transform(outputs, o -> named_struct('index', o.`index`, 'script_hex', o.script_hex, 'value', cast(o.value / 1e8 as double))) as outputs")
                .write().parquet(floats.resolve("transactions").toString());
        e = assertThrows(IllegalArgumentException.class, () -> Tables.read(spark, floats.toString(), List.of("outputs")));
        assertTrue(e.getMessage().contains("column 'outputs.value' is double, not whole satoshi"), e.getMessage());
    }

    /** The same tables from Parquet (as the public BigQuery dataset exports them: timestamps, numeric values). */
    @Test
    void parquetWithTimestampsAndDecimalsIsReadTheSame() {
        Path pq = dir.resolve("bigquery");
        spark.read().schema(BitcoinEtl.JSON).json(etl.resolve("transactions").toString())
                .selectExpr("hash", "block_number", "timestamp_seconds(block_timestamp) as block_timestamp", "`index`", "is_coinbase", "inputs", "outputs")
                .write().parquet(pq.resolve("transactions").toString());
        assertTrue(BitcoinEtl.holds(spark, pq.toString()));
        for (String name : List.of("transactions", "outputs", "inputs")) {
            Dataset<Row> a = Tables.read(spark, pq.toString(), List.of(name)).get(name);
            Dataset<Row> b = etlTables().get(name);
            assertEquals(0, a.exceptAll(b).count() + b.exceptAll(a).count(), name);
        }
    }
}
