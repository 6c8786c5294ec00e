package io.chaintrace.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.demo.CaseFiles;
import io.chaintrace.ingest.eth.EtlSource;
import io.chaintrace.scenarios.ExchangeHack;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs read an ethereum-etl export without a store: real rows ethereum-etl exported (../shared/data: mainnet blocks
 * 17,173,049-050 as JSON lines; blocks 47,218-219 and 483,920 with its token transfers as CSV), laid out as {@code export_all} writes them, make
 * the transfers that {@code ingest eth-etl} stores for the same files, row for row; so does the demo's export (native
 * value, internal frames from traces, USDT transfers with the tokens table), and the account-chain windows over it
 * equal the single-machine rules'. Bad rows stop with one line naming file and block.
 */
class EthereumEtlTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path real;
    static List<Path> realFiles;
    static Path demo;
    static List<Path> demoFiles;

    @BeforeAll
    static void layout() throws Exception {
        spark = Sessions.start("local[2]", "chaintrace test");
        Path etl = ParquetExportTest.shared().resolve("data/eth/etl");
        Path stream = etl.resolve("test_stream/blocks_17173049_17173050");
        Path logs = etl.resolve("test_export_blocks_job/block_with_logs");
        Path early = etl.resolve("test_export_blocks_job/blocks_with_transactions");
        Path tokens = etl.resolve("test_export_token_transfers_job/block_with_transfers");
        assertTrue(Files.isDirectory(stream) && Files.isDirectory(logs), "these tests need ../shared/data beside the repository");
        real = dir.resolve("real");
        realFiles = List.of(stream.resolve("expected_transactions.json"), stream.resolve("expected_token_transfers.json"),
                stream.resolve("expected_blocks.json"), logs.resolve("expected_transactions.csv"), logs.resolve("expected_blocks.csv"),
                tokens.resolve("expected_token_transfers.csv"), early.resolve("expected_transactions.csv"), early.resolve("expected_blocks.csv"));
        // export_all's layout: <table>/start_block=A/end_block=B/<table>_A_B.<ext>
        for (Path f : realFiles) {
            String table = f.getFileName().toString().replace("expected_", "").replaceAll("\\.(csv|json)$", "");
            String ext = f.getFileName().toString().endsWith(".csv") ? "csv" : "json";
            String range = f.startsWith(stream) ? "17173049_17173050" : f.startsWith(early) ? "47218_47219" : "483920_483920";
            Path to = real.resolve(table).resolve("start_block=" + range).resolve(table + "_" + range + "." + ext);
            Files.createDirectories(to.getParent());
            Files.copy(f, to);
        }
        // ethereum-etl's stream writes items of several tables to one file, each naming its own: logs among the
        // transactions are left out, as the import leaves them.
        Path tx = real.resolve("transactions/start_block=17173049_17173050/transactions_17173049_17173050.json");
        Files.write(tx, Files.readAllLines(stream.resolve("expected_logs.json")), java.nio.file.StandardOpenOption.APPEND);
        demo = dir.resolve("demo");
        CaseFiles.write(ExchangeHack.generate(5, 3_000), demo);
        try (Stream<Path> s = Files.list(demo.resolve("eth"))) {
            demoFiles = s.sorted().toList();
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** The store's transfers for the same files, through the import and the export: every column as text. */
    private static Set<String> stored(List<Path> files, String name) throws Exception {
        Path out = dir.resolve(name + "-parquet");
        try (ChainStore cs = ChainStore.open(dir.resolve(name + "-store"))) {
            new EtlSource(cs, files).run(IngestListener.NONE);
            ParquetExport.write(spark, cs, out, false, n -> { });
        }
        return rows(spark.read().parquet(out.resolve("transfers").toString()).collectAsList());
    }

    private static Set<String> rows(List<Row> rows) {
        Set<String> out = new TreeSet<>();
        for (Row r : rows) {
            out.add(r.toString());
        }
        return out;
    }

    private static Set<String> read(Path etl) {
        return rows(Tables.read(spark, etl.toString(), List.of("transfers")).get("transfers").select(ParquetTables.TRANSFERS.fieldNames()[0],
                java.util.Arrays.copyOfRange(ParquetTables.TRANSFERS.fieldNames(), 1, ParquetTables.TRANSFERS.size())).collectAsList());
    }

    @Test
    void realExportRowsMakeTheTransfersTheImportStores() throws Exception {
        Set<String> expected = stored(realFiles, "real");
        Set<String> found = read(real);
        assertTrue(expected.size() > 50 && expected.stream().anyMatch(r -> r.contains(",token,")) && expected.stream().anyMatch(r -> r.contains(",native,")),
                expected.size() + " transfers");
        assertEquals(expected, found);
        assertEquals(List.of("ethereum"), Tables.chains(spark, real.toString()));
    }

    @Test
    void demoExportWithTracesAndTokensMakesTheSameTransfers() throws Exception {
        Set<String> expected = stored(demoFiles, "demo");
        assertTrue(expected.stream().anyMatch(r -> r.contains(",internal,")) && expected.stream().anyMatch(r -> r.contains(",USDT,")),
                "the demo moves ETH inside calls and USDT");
        assertEquals(expected, read(demo.resolve("eth")));
        // The store's own export of them holds no Bitcoin rows (its transactions table is empty): Ethereum's windows only.
        assertEquals(List.of("ethereum"), Tables.chains(spark, dir.resolve("demo-parquet").toString()));
    }

    /** Two transactions files whose columns come in another order are each read by their own header. */
    @Test
    void csvFilesWithOtherColumnsAreReadByTheirOwnHeader() throws Exception {
        Path split = copyOfDemo("split");
        List<String> lines = Files.readAllLines(split.resolve("transactions.csv"));
        int half = lines.size() / 2;
        Files.write(split.resolve("transactions.csv"), lines.subList(0, half));
        List<String> reversed = new ArrayList<>();
        for (String l : java.util.stream.Stream.concat(Stream.of(lines.getFirst()), lines.subList(half, lines.size()).stream()).toList()) {
            List<String> cols = new ArrayList<>(List.of(l.split(",", -1)));
            java.util.Collections.reverse(cols);
            reversed.add(String.join(",", cols));
        }
        Files.write(split.resolve("transactions_2.csv"), reversed);
        assertEquals(stored(demoFiles, "split"), read(split));
    }

    /** The account-chain windows over the export equal the single-machine rules over the store the same files make. */
    @Test
    void accountWindowsOverTheExportAreTheRulesAlerts() throws Exception {
        Path store = dir.resolve("windows-store");
        try (ChainStore cs = ChainStore.open(store)) {
            new EtlSource(cs, demoFiles).run(IngestListener.NONE);
        }
        PatternSettings settings = PatternSettings.of(java.util.Map.of("fanOut.minPayees", "3", "fanIn.minPayers", "3", "passThrough.minLength", "2"));
        Set<String> expected = new TreeSet<>();
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            var rules = settings.accountPatterns();
            cs.forEachEthTransfer(0, Long.MAX_VALUE, t -> rules.accept(t, cs, a -> { }));
            rules.finish(a -> {
                if (SparkAccountPatternsTest.PATTERNS.contains(a.pattern())) {
                    expected.add(a.pattern() + " " + a.parameters().get("subject") + " " + a.transactions().stream().map(h -> h.hex()).toList());
                }
            });
        }
        Set<String> found = new TreeSet<>();
        for (Row r : SparkAccountPatterns.run(spark, demo.resolve("eth").toString(), settings).collectAsList()) {
            found.add(r.getString(0) + " " + r.getString(1) + " " + r.getList(2));
        }
        assertFalse(expected.isEmpty(), "the demo's thief splits and forwards the loot");
        assertEquals(expected, found);
    }

    private static Path copyOfDemo(String name) throws Exception {
        Path to = dir.resolve(name);
        Files.createDirectories(to);
        for (Path f : demoFiles) {
            Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }

    private static void replaceLine(Path file, int line, String text) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(line, text);
        Files.write(file, lines);
    }

    @Test
    void aBadRowIsOneLineNamingFileAndBlock() throws Exception {
        Path bad = copyOfDemo("bad-value");
        List<String> tx = Files.readAllLines(bad.resolve("transactions.csv"));
        String[] cols = tx.get(1).split(",", -1);
        cols[7] = "12.5";
        replaceLine(bad.resolve("transactions.csv"), 1, String.join(",", cols));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(bad));
        assertTrue(e.getMessage().contains("transactions.csv") && e.getMessage().contains("block " + cols[3])
                && e.getMessage().contains("value '12.5' is not a whole number"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());

        Path orphan = copyOfDemo("orphan-log");
        List<String> logs = Files.readAllLines(orphan.resolve("token_transfers.csv"));
        String[] l = logs.get(1).split(",", -1);
        l[4] = "0x" + "ab".repeat(32);
        replaceLine(orphan.resolve("token_transfers.csv"), 1, String.join(",", l));
        e = assertThrows(IllegalArgumentException.class, () -> read(orphan));
        assertTrue(e.getMessage().contains("token_transfers.csv") && e.getMessage().contains("no transactions file"), e.getMessage());

        Path json = dir.resolve("not-json");
        Files.createDirectories(json);
        Files.write(json.resolve("transactions_1.json"), List.of("{\"hash\": \"0x" + "cd".repeat(32) + "\", \"from_address\": \"0x" + "11".repeat(20)
                + "\", \"block_number\": 5, \"transaction_index\": 0, \"value\": 1}", "{not json"));
        e = assertThrows(IllegalArgumentException.class, () -> read(json));
        assertTrue(e.getMessage().contains("transactions_1.json") && e.getMessage().contains("not a CSV row or JSON object"), e.getMessage());
    }

    /** From the command line: one line, exit 1, no stack trace. */
    @Test
    void theCommandLineSaysItInOneLine() throws Exception {
        Path bad = copyOfDemo("bad-cli");
        List<String> tx = Files.readAllLines(bad.resolve("transactions.csv"));
        String[] cols = tx.get(2).split(",", -1);
        cols[5] = "0xnothex";
        replaceLine(bad.resolve("transactions.csv"), 2, String.join(",", cols));
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            code = SparkCommand.run("check", "--parquet", bad.toString());
        } finally {
            System.setErr(err);
            spark = Sessions.start("local[2]", "chaintrace test"); // the command stops the session it shares with the tests
        }
        String text = captured.toString(StandardCharsets.UTF_8).lines().filter(x -> x.startsWith("chaintrace:")).findFirst().orElse("");
        assertEquals(1, code, captured.toString(StandardCharsets.UTF_8));
        assertTrue(text.contains("transactions.csv") && text.contains("from_address '0xnothex' is not an Ethereum address"), text);
        assertFalse(captured.toString(StandardCharsets.UTF_8).contains("\tat "), "no stack trace");
    }
}
