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
 * The store as Parquet, read back by Spark (local, on loopback): real Bitcoin blocks 0-589 and the Ethereum rows of blocks
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
            new EtlSource(cs, List.of(etl.resolve("expected_transactions.json"), etl.resolve("expected_token_transfers.json"))).run(IngestListener.NONE);
            cs.putLabels(Address.parse("12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S"), List.of(new Label(Address.parse("12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S"),
                    "Early miner", LabelCategory.OTHER, "test", 1.0, "miner")));
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
        assertEquals(1, table("labels").count());
        assertEquals(summary.transactions(), stats.txs());
        ParquetTables.check(spark, out, List.copyOf(ParquetTables.ALL.keySet()));
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

    @Test
    void aMissingTableOrAWrongColumnIsOneLineNamingIt() throws Exception {
        Path broken = dir.resolve("broken");
        Files.createDirectories(broken);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ParquetTables.check(spark, broken, List.of("outputs")));
        assertTrue(missing.getMessage().contains("table 'outputs' is missing"), missing.getMessage());
        spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("aa", "1")), new org.apache.spark.sql.types.StructType()
                .add("txid", "string").add("value", "string")).write().parquet(broken.resolve("outputs").toString());
        IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
                () -> ParquetTables.check(spark, broken, List.of("outputs")));
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
}
