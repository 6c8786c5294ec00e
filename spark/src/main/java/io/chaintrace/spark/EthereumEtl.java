package io.chaintrace.spark;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.EtlRows;
import io.chaintrace.core.account.TransferExtractor;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * An ethereum-etl export read as the {@code transfers} table (docs/PARQUET.md, "An ethereum-etl export instead"), so
 * the account-chain jobs need no store: the files of {@code export_all} (or of the single exports) named after their
 * tables - {@code transactions}, {@code traces}, {@code token_transfers}, {@code blocks}, {@code tokens} - as CSV with
 * a header or as JSON lines. The rows of each block are gathered from every table and core's own reading of them
 * ({@link EtlRows}, {@link TransferExtractor}) makes the block's transfers, as {@code chaintrace ingest eth-etl} does:
 * native value of successful transactions, internal value of frames that did not fail, ERC-20 transfers with the
 * tokens table's symbol and decimals. A bad row stops the job with one line naming the file, the block and what is
 * wrong.
 */
final class EthereumEtl {
    private EthereumEtl() {
    }

    /** The tables read, by the names ethereum-etl gives their files. */
    static final List<String> TABLES = List.of("blocks", "transactions", "traces", "token_transfers", "tokens");

    private static final StructType RAW = new StructType().add("block", DataTypes.StringType).add("table", DataTypes.StringType)
            .add("file", DataTypes.StringType).add("columns", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

    private static final StructType MADE = ParquetTables.TRANSFERS.add("error", DataTypes.StringType);

    /**
     * The export's files by table, or null when {@code dir} is no ethereum-etl export: none of its files is named after
     * a table, or its {@code transactions} are bitcoin-etl's (they have inputs and outputs, not a payer).
     */
    static Map<String, List<String>> files(SparkSession spark, String dir) {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
        Map<String, List<String>> out = new TreeMap<>();
        try {
            FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
                return null;
            }
            FileWalk.files(fs, root, p -> {
                String n = p.getName().toLowerCase(Locale.ROOT);
                if (n.endsWith(".csv") || n.endsWith(".json")) {
                    for (String t : TABLES) {
                        if (n.startsWith(t + ".") || n.startsWith(t + "_")) {
                            out.computeIfAbsent(t, k -> new ArrayList<>()).add(p.toString());
                        }
                    }
                }
                return true;
            });
            if (out.isEmpty()) {
                return null;
            }
            out.values().forEach(l -> l.sort(null));
            if (out.containsKey("transactions")) {
                String first = firstLine(fs, new org.apache.hadoop.fs.Path(out.get("transactions").getFirst()));
                if (first != null && !first.contains("from_address")) {
                    return null; // bitcoin-etl's transactions (inputs, outputs): BitcoinEtl reads them
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("ethereum-etl " + dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static String firstLine(FileSystem fs, org.apache.hadoop.fs.Path p) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
            return r.readLine();
        }
    }

    /** The export's transfers as the {@code transfers} table ({@link ParquetTables#TRANSFERS}); every row checked first. */
    static Dataset<Row> transfers(SparkSession spark, String dir, Map<String, List<String>> files) {
        // Symbol and decimals per contract as text (an Asset is no Serializable): made into assets where the blocks are.
        HashMap<String, String[]> tokens = tokens(spark, dir, files.getOrDefault("tokens", List.of()));
        Dataset<Row> raw = null;
        for (String t : List.of("blocks", "transactions", "traces", "token_transfers")) {
            for (String[] paths : batches(spark, dir, files.getOrDefault(t, List.of()))) {
                Dataset<Row> d = read(spark, paths[0].toLowerCase(Locale.ROOT).endsWith(".csv"), paths);
                if (d == null) {
                    continue; // every file empty: ethereum-etl writes an empty file for an empty table
                }
                Dataset<Row> rows = d.withColumn("_file", functions.input_file_name()).flatMap((FlatMapFunction<Row, Row>) r -> {
                    Row x = raw(t, r);
                    return x == null ? java.util.Collections.emptyIterator() : List.of(x).iterator();
                }, Encoders.row(RAW));
                raw = raw == null ? rows : raw.union(rows);
            }
        }
        if (raw == null) {
            return spark.createDataFrame(List.<Row>of(), ParquetTables.TRANSFERS);
        }
        Dataset<Row> made = raw.groupByKey((MapFunction<Row, String>) r -> r.isNullAt(0) ? "" : r.getString(0), Encoders.STRING())
                .flatMapGroups(new Blocks(tokens), Encoders.row(MADE))
                .localCheckpoint();
        List<Row> bad = made.where("error is not null").select("error").limit(1).collectAsList();
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("ethereum-etl " + bad.getFirst().getString(0));
        }
        return made.drop("error");
    }

    /**
     * The files of one table in groups Spark reads together: JSON lines all at once (columns matched by name); CSV by
     * header (Spark matches a CSV file's columns to the first file's by position, so exports with other columns - with
     * or without receipts - are read apart). Empty files are left out.
     */
    private static List<String[]> batches(SparkSession spark, String dir, List<String> files) {
        List<String[]> out = new ArrayList<>();
        List<String> json = files.stream().filter(f -> f.toLowerCase(Locale.ROOT).endsWith(".json")).toList();
        if (!json.isEmpty()) {
            out.add(json.toArray(String[]::new));
        }
        Map<String, List<String>> byHeader = new LinkedHashMap<>();
        try {
            for (String f : files) {
                if (f.toLowerCase(Locale.ROOT).endsWith(".csv")) {
                    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f);
                    String header = firstLine(p.getFileSystem(spark.sparkContext().hadoopConfiguration()), p);
                    if (header != null && !header.isBlank()) {
                        byHeader.computeIfAbsent(header.strip(), k -> new ArrayList<>()).add(f);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("ethereum-etl " + dir + ": cannot read: " + e.getMessage(), e);
        }
        byHeader.values().forEach(l -> out.add(l.toArray(String[]::new)));
        return out;
    }

    /** The files of one table and format as rows of text (JSON numbers as written; arrays joined by commas), or null when empty. */
    private static Dataset<Row> read(SparkSession spark, boolean csv, String[] paths) {
        Dataset<Row> d = csv ? spark.read().option("header", "true").option("mode", "PERMISSIVE").csv(paths)
                : spark.read().option("primitivesAsString", "true").option("mode", "PERMISSIVE").json(paths);
        return d.schema().fields().length == 0 ? null : d;
    }

    private static Row raw(String table, Row r) {
        Map<String, String> m = new LinkedHashMap<>();
        String file = r.getString(r.fieldIndex("_file"));
        for (int i = 0; i < r.length(); i++) {
            String name = r.schema().fields()[i].name();
            if (name.equals("_file") || r.isNullAt(i)) {
                continue;
            }
            Object v = r.get(i);
            m.put(name, v instanceof scala.collection.Seq<?> s ? String.join(",", scala.jdk.javaapi.CollectionConverters.asJava(s).stream()
                    .map(String::valueOf).toList()) : String.valueOf(v));
        }
        String corrupt = m.remove("_corrupt_record");
        if (corrupt != null) {
            m.put("_corrupt", "yes");
        }
        // JSON items name their own table (ethereum-etl's stream writes them so): that wins over the file's name, and an
        // item of a table the job does not read (log, receipt, contract) is left out.
        String type = m.get("type");
        if (type != null) {
            table = switch (type) {
                case "transaction" -> "transactions";
                case "trace" -> "traces";
                case "token_transfer" -> "token_transfers";
                case "block" -> "blocks";
                case "token" -> "tokens";
                default -> null;
            };
            if (table == null) {
                return null;
            }
        }
        String block = m.get(table.equals("blocks") ? "number" : "block_number");
        return RowFactory.create(block, table, file, scala.jdk.javaapi.CollectionConverters.asScala(m));
    }

    /** The tokens table (symbol, decimals per contract): small, read on the driver, checked as the import checks it. */
    private static HashMap<String, String[]> tokens(SparkSession spark, String dir, List<String> files) {
        HashMap<String, String[]> out = new HashMap<>();
        for (String[] paths : batches(spark, dir, files)) {
            Dataset<Row> d = read(spark, paths[0].toLowerCase(Locale.ROOT).endsWith(".csv"), paths);
            if (d == null) {
                continue;
            }
            for (Row r : d.withColumn("_file", functions.input_file_name()).collectAsList()) {
                Row x = raw("tokens", r);
                if (x == null || !x.getString(1).equals("tokens")) {
                    continue;
                }
                Map<String, String> m = scala.jdk.javaapi.CollectionConverters.asJava(x.<String, String>getMap(3));
                String file = r.getString(r.fieldIndex("_file"));
                String decimals = m.getOrDefault("decimals", "");
                try {
                    String key = EtlRows.address("address", m.getOrDefault("address", ""));
                    int dec = decimals.isEmpty() ? -1 : Integer.parseInt(decimals);
                    if (dec > 255) {
                        throw new IllegalArgumentException("decimals " + dec + " is above 255");
                    }
                    String symbol = m.getOrDefault("symbol", "");
                    out.put(key, new String[] {symbol.isEmpty() ? "unknown" : symbol, dec < 0 ? null : Integer.toString(dec)});
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("ethereum-etl " + file + ": token " + m.get("address") + ": decimals '" + decimals
                            + "' is not a number");
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("ethereum-etl " + file + ": bad token row: " + e.getMessage());
                }
            }
        }
        return out;
    }

    /**
     * Makes each block's transfers with one {@link TransferExtractor} per task: its cache of accounts is megabytes, so one
     * per block spent the job's time allocating it (a task deserialises its own copy of this function, so the extractor,
     * made on first use, is never shared between tasks nor shipped).
     */
    private static final class Blocks implements FlatMapGroupsFunction<String, Row, Row> {
        private final HashMap<String, String[]> tokens;
        private transient TransferExtractor extractor;

        Blocks(HashMap<String, String[]> tokens) {
            this.tokens = tokens;
        }

        @Override
        public Iterator<Row> call(String block, Iterator<Row> rows) {
            if (extractor == null) {
                extractor = new TransferExtractor(contract -> {
                    String[] known = tokens.get(contract);
                    return new Asset(Chain.ETHEREUM, Optional.of(Address.parse(contract)), known == null ? "unknown" : known[0],
                            known == null || known[1] == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(known[1])));
                });
            }
            return block(block, rows, extractor);
        }
    }

    /** One block's rows from every table, made into its transfers as the import makes them; a bad row is an error row. */
    private static Iterator<Row> block(String key, Iterator<Row> rows, TransferExtractor extractor) {
        List<Row> out = new ArrayList<>();
        String where = "";
        try {
            Map<Hash256, EtlRows.TxRow> txs = new LinkedHashMap<>();
            List<EthRows.Trace> traces = new ArrayList<>();
            List<Map<String, String>> tokenRows = new ArrayList<>();
            List<String> tokenFiles = new ArrayList<>();
            Hash256 hash = Hash256.ZERO;
            Hash256 parent = Hash256.ZERO;
            long time = 0;
            Long blockTime = null;
            while (rows.hasNext()) {
                Row r = rows.next();
                String table = r.getString(1);
                where = r.getString(2) + ": " + table + " row of block " + (key.isEmpty() ? "(none)" : key) + ": ";
                Map<String, String> m = scala.jdk.javaapi.CollectionConverters.asJava(r.<String, String>getMap(3));
                if (m.containsKey("_corrupt")) {
                    throw new IllegalArgumentException("not a CSV row or JSON object of the export");
                }
                String column = table.equals("blocks") ? "number" : "block_number";
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("missing " + column);
                }
                if (!key.chars().allMatch(Character::isDigit) || key.length() > 18) {
                    throw new IllegalArgumentException(column + " '" + key + "' is not a block number");
                }
                switch (table) {
                    case "transactions" -> {
                        EtlRows.TxRow t = EtlRows.transaction(m);
                        EtlRows.TxRow before = txs.putIfAbsent(t.tx().hash(), t);
                        if (before != null && !before.equals(t)) {
                            throw new IllegalArgumentException("transaction 0x" + t.tx().hash().hex() + " again, with other fields than before");
                        }
                        if (!t.blockHash().isZero()) {
                            hash = t.blockHash();
                        }
                        time = Math.max(time, t.timestamp());
                    }
                    case "traces" -> traces.add(EtlRows.trace(m));
                    case "token_transfers" -> {
                        EtlRows.tokenTransferTx(m);
                        tokenRows.add(m);
                        tokenFiles.add(where);
                    }
                    case "blocks" -> {
                        hash = Hash256.fromHex(m.getOrDefault("hash", ""));
                        String p = m.getOrDefault("parent_hash", "");
                        parent = p.isEmpty() ? Hash256.ZERO : Hash256.fromHex(p);
                        try {
                            blockTime = Long.parseLong(m.getOrDefault("timestamp", ""));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("timestamp '" + m.getOrDefault("timestamp", "") + "' is not a number");
                        }
                    }
                    default -> throw new IllegalStateException(table);
                }
            }
            long number = Long.parseLong(key);
            Map<Hash256, Integer> txIndex = new HashMap<>();
            txs.values().forEach(t -> txIndex.put(t.tx().hash(), t.tx().index()));
            // Logs in the order of their transactions and indexes (the files' order is not kept by a shuffle); the same log
            // twice (overlapping exports) once, and a log twice with other fields is a bad export.
            Map<String, EthRows.TokenTransfer> logs = new TreeMap<>();
            for (int i = 0; i < tokenRows.size(); i++) {
                where = tokenFiles.get(i);
                Hash256 tx = EtlRows.tokenTransferTx(tokenRows.get(i));
                Integer index = txIndex.get(tx);
                if (index == null) {
                    throw new IllegalArgumentException("token transfer of transaction 0x" + tx.hex()
                            + " which no transactions file of the block names (export the transactions too)");
                }
                EthRows.TokenTransfer t = EtlRows.tokenTransfer(tokenRows.get(i), index);
                EthRows.TokenTransfer before = logs.putIfAbsent(String.format("%010d:%010d", index, t.logIndex()), t);
                if (before != null && !before.equals(t)) {
                    throw new IllegalArgumentException("log " + t.logIndex() + " of transaction 0x" + tx.hex() + " again, with other fields than before");
                }
            }
            // Frames in execution order, as ethereum-etl writes them (an internal transfer's index counts the value-moving
            // frames before it); a shuffle does not keep the files' order.
            Set<EthRows.Trace> ordered = new LinkedHashSet<>();
            traces.stream().sorted(Comparator.comparingInt(EthRows.Trace::txIndex).thenComparing(EthRows.Trace::traceAddress, EthRows.EXECUTION_ORDER))
                    .forEach(ordered::add);
            where = "block " + number + ": ";
            List<AccountTransfer> made = EtlRows.transfers(extractor, number, hash, parent, blockTime != null ? blockTime : time,
                    new ArrayList<>(txs.values()), new ArrayList<>(ordered), new ArrayList<>(logs.values()));
            int range = (int) (Math.floorDiv(number, ParquetTables.RANGE) * ParquetTables.RANGE);
            for (AccountTransfer t : made) {
                out.add(RowFactory.create("0x" + t.txHash().hex(), number, t.block().time(), t.txIndex(), t.kind().name().toLowerCase(Locale.ROOT),
                        t.index(), t.from().shown(), t.to().shown(), t.amount().asset().symbol(),
                        t.amount().asset().contract().map(Address::shown).orElse(null),
                        t.amount().asset().decimals().isPresent() ? t.amount().asset().decimals().getAsInt() : null, t.amount().units().toString(),
                        range, null));
            }
        } catch (IllegalArgumentException e) {
            out.clear();
            out.add(RowFactory.create(null, null, null, null, null, null, null, null, null, null, null, null, null, where + e.getMessage()));
        }
        return out.iterator();
    }
}
