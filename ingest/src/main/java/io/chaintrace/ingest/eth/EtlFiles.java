package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.EtlRows;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;

/**
 * Reads blockchain-etl exports (ethereum-etl; the public BigQuery {@code crypto_ethereum} tables):
 * {@code transactions}, {@code token_transfers}, {@code traces}, {@code blocks}, as CSV with a
 * header or as JSON lines. Which table a file is comes from its name, else from its columns (or
 * the {@code type} field of JSON lines). Bad rows are errors naming file and line.
 */
public final class EtlFiles {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build();

    private EtlFiles() {
    }

    /** The tables ethereum-etl exports that carry value. */
    public enum Table {
        BLOCKS, TRANSACTIONS, TOKEN_TRANSFERS, TRACES, LOGS,
        /** ethereum-etl's {@code tokens}: a contract's symbol and decimals. */
        TOKENS, OTHER
    }

    /** One row: its columns as text (numbers exactly as written), and where it came from. */
    public record Row(Path file, long line, Table table, Map<String, String> columns) {
        String get(String column) {
            String v = columns.get(column);
            return v == null ? "" : v;
        }

        String required(String column) {
            String v = get(column);
            if (v.isEmpty()) {
                throw new EtlFormatException(file, line, "missing " + column);
            }
            return v;
        }
    }

    /** A row that cannot be read: file, line, what. */
    public static final class EtlFormatException extends RuntimeException {
        public EtlFormatException(Path file, long line, String problem) {
            super(file + ": line " + line + ": " + problem);
        }
    }

    /** Every row of a file, in order (see {@link #read}). */
    public static List<Row> rows(Path file) {
        List<Row> rows = new ArrayList<>();
        read(file, rows::add);
        return rows;
    }

    /**
     * Hands every row of a file to {@code each} as it is read, in order, and returns how many there were: nothing of the
     * file is held, so an export of any size streams through. A file that is binary, or whose columns (or JSON
     * {@code type}) name no table ethereum-etl exports, is refused: importing nothing from it without a word would look
     * like success.
     */
    public static long read(Path file, Consumer<Row> each) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Consumer<Row> checked = r -> {
            if (r.table() == Table.OTHER) {
                throw new EtlFormatException(file, r.line(), "not a row of an ethereum-etl table (transactions, token_transfers,"
                        + " traces, blocks, tokens, logs): columns " + r.columns().keySet());
            }
            each.accept(r);
        };
        try {
            refuseBinary(file);
            return name.endsWith(".csv") ? csvRows(file, name, checked) : jsonRows(file, name, checked);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new EtlFormatException(file, 0, "not UTF-8 text: exports are CSV or JSON lines");
        } catch (IOException e) {
            throw new EtlFormatException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    /** The tables an import reads, by the names ethereum-etl gives their files. */
    private static final List<String> TABLES = List.of("blocks", "transactions", "traces", "token_transfers", "tokens", "logs");

    /**
     * The files to read: each file given, and for a directory (ethereum-etl's {@code export_all} output, partitioned
     * {@code transactions/start_block=.../...csv}) every CSV or JSON-lines file under it named after a table it reads,
     * in name order. Its other tables (receipts, contracts) are not read. A directory with none of them is refused.
     */
    public static List<Path> expand(List<Path> given) {
        List<Path> files = new ArrayList<>();
        for (Path p : given) {
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            List<Path> found;
            try (var walk = Files.walk(p)) {
                found = walk.filter(Files::isRegularFile).filter(f -> {
                    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                    return (n.endsWith(".csv") || n.endsWith(".json")) && TABLES.stream().anyMatch(t -> n.startsWith(t + ".") || n.startsWith(t + "_"));
                }).sorted().toList();
            } catch (IOException e) {
                throw new EtlFormatException(p, 0, "cannot read the directory: " + e.getMessage());
            }
            if (found.isEmpty()) {
                throw new EtlFormatException(p, 0, "a directory without ethereum-etl files (" + String.join(", ", TABLES) + ": .csv or .json)");
            }
            files.addAll(found);
        }
        return files;
    }

    /** Exports are text: a NUL byte in the first 64 KB means a binary file was given. */
    private static void refuseBinary(Path file) throws IOException {
        byte[] head = new byte[64 << 10];
        int n;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        for (int i = 0; i < n; i++) {
            if (head[i] == 0) {
                throw new EtlFormatException(file, 0, "binary data at byte offset " + i + ": not a CSV or JSON-lines export");
            }
        }
    }

    static BigInteger uint256(String column, String text) {
        return EtlRows.uint256(column, text);
    }

    static String address(String column, String text) {
        return EtlRows.address(column, text);
    }

    /**
     * A CSV file's rows as arrays under the header's names ({@link Columns}): a map per row, as Jackson's header mode
     * builds, was most of an import's reading time, and then Jackson's CSV decoding was most of the rest; FastCSV reads
     * the same RFC 4180 text several times faster, and makes text only of the columns an import reads ({@link #READ},
     * {@link CsvRowHandler}). The bytes are decoded as strict UTF-8: a byte that is not stops the import with the file
     * named instead of being replaced.
     */
    private static long csvRows(Path file, String name, Consumer<Row> each) throws IOException {
        if (Files.size(file) == 0) {
            return 0; // ethereum-etl writes an empty file for an empty table
        }
        long line = 1;
        long rows = 0;
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        QuoteCounting text = new QuoteCounting(new java.io.InputStreamReader(Files.newInputStream(file), utf8));
        CsvRowHandler handler = new CsvRowHandler();
        try (CsvReader<CsvRowHandler.Fields> csv = CsvReader.builder().skipEmptyLines(true).allowExtraFields(true)
                .allowMissingFields(true).build(handler, text)) {
            java.util.Iterator<CsvRowHandler.Fields> it = csv.iterator();
            if (!it.hasNext()) {
                return 0;
            }
            CsvRowHandler.Fields head = it.next();
            Map<String, Integer> index = new LinkedHashMap<>();
            boolean[] keep = new boolean[head.count()];
            for (int i = 0; i < head.count(); i++) {
                String column = head.values()[i].strip();
                // A byte order mark (some spreadsheet tools write one) is not part of the first column's name.
                column = i == 0 && column.startsWith("\uFEFF") ? column.substring(1).strip() : column;
                if (index.putIfAbsent(column, i) == null) {
                    keep[i] = READ.contains(column);
                }
            }
            handler.keep(keep);
            int width = head.count();
            Table table = tableOf(name, index.keySet(), null);
            while (it.hasNext()) {
                CsvRowHandler.Fields r = it.next();
                line = r.line();
                if (r.count() > width) {
                    throw new EtlFormatException(file, line, "not a CSV row: " + r.count() + " columns where the header names " + width);
                }
                each.accept(new Row(file, line, table, new Columns(index, keep, r.values(), r.count())));
                rows++;
            }
            if (text.open()) {
                // FastCSV takes a quote left open as a value running to the end of the file: the rows after it would be
                // dropped without a word.
                throw new EtlFormatException(file, line, "not a CSV row: a quoted value opened here or after is not closed before the end of the file");
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // not UTF-8, or the file could not be read: the caller names which
        } catch (CsvParseException e) {
            // A malformed row: FastCSV names the line its record started on (else: the one after the last row read whole).
            java.util.regex.Matcher at = STARTED.matcher(String.valueOf(e.getMessage()));
            throw new EtlFormatException(file, at.find() ? Long.parseLong(at.group(1)) : line + 1, "not a CSV row: "
                    + (e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage()));
        }
        return rows;
    }

    /**
     * The columns an import reads from a CSV export: those of {@link EtlRows}' typed rows and of the blocks and tokens
     * tables. The others (call data, gas, blooms) are passed over unread; asking a row for one is a programming error
     * ({@link Columns#get}), so a reader that starts to use another column fails in the tests until it is named here.
     */
    static final java.util.Set<String> READ = java.util.Set.of(
            // transactions
            "hash", "block_number", "transaction_index", "from_address", "to_address", "value", "gas_price", "block_hash",
            "block_timestamp", "receipt_status", "receipt_contract_address",
            // traces (and their transaction's columns above)
            "transaction_hash", "trace_address", "trace_type", "call_type", "error", "status",
            // token_transfers
            "token_address", "log_index",
            // blocks
            "number", "parent_hash", "timestamp",
            // tokens
            "address", "symbol", "decimals");

    private static final java.util.regex.Pattern STARTED = java.util.regex.Pattern.compile("started in line (\\d{1,18})");

    /**
     * The text, counting its quote characters: a well-formed CSV file has an even number (a quoted value opens and closes,
     * an escaped quote is two), so an odd count at the end means a quote was never closed.
     */
    private static final class QuoteCounting extends java.io.FilterReader {
        private long quotes;

        QuoteCounting(java.io.Reader in) {
            super(in);
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            for (int i = off; i < off + n; i++) {
                if (buf[i] == '"') {
                    quotes++;
                }
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c == '"') {
                quotes++;
            }
            return c;
        }

        boolean open() {
            return (quotes & 1) != 0;
        }
    }

    /** A CSV row's values under its header's names, read in place (a column past the row's end is absent). */
    static final class Columns extends java.util.AbstractMap<String, String> {
        private final Map<String, Integer> index;
        private final boolean[] kept;
        private final String[] values;
        private final int count;

        Columns(Map<String, Integer> index, boolean[] kept, String[] values, int count) {
            this.index = index;
            this.kept = kept;
            this.values = values;
            this.count = count;
        }

        @Override
        public String get(Object column) {
            Integer i = index.get(column);
            if (i == null || i >= count) {
                return null;
            }
            if (!kept[i]) {
                throw new IllegalStateException("column " + column + " is read but not in EtlFiles.READ: it was passed over");
            }
            return values[i];
        }

        @Override
        public boolean containsKey(Object column) {
            return get(column) != null;
        }

        @Override
        public java.util.Set<Entry<String, String>> entrySet() {
            Map<String, String> m = new LinkedHashMap<>();
            index.forEach((k, i) -> {
                if (i < count && kept[i]) {
                    m.put(k, values[i]);
                }
            });
            return m.entrySet();
        }
    }

    private static long jsonRows(Path file, String name, Consumer<Row> each) throws IOException {
        long rows = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(text);
                } catch (JacksonException e) {
                    throw new EtlFormatException(file, line, "not JSON: " + e.getOriginalMessage());
                }
                if (!node.isObject()) {
                    throw new EtlFormatException(file, line, "expected a JSON object per line");
                }
                Map<String, String> m = new LinkedHashMap<>();
                node.properties().forEach(e -> m.put(e.getKey(), text(e.getValue())));
                each.accept(new Row(file, line, tableOf(name, m.keySet(), m.get("type")), m));
                rows++;
            }
        }
        return rows;
    }

    private static String text(JsonNode v) {
        if (v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isArray()) {
            List<String> parts = new ArrayList<>();
            v.forEach(x -> parts.add(text(x)));
            return String.join(",", parts);
        }
        if (v.isObject()) {
            return v.toString();
        }
        return v.isNumber() ? v.numberValue().toString() : v.asString();
    }

    static Table tableOf(String fileName, java.util.Set<String> columns, String type) {
        if (type != null && !type.isEmpty()) {
            return switch (type) {
                case "transaction" -> Table.TRANSACTIONS;
                case "token_transfer" -> Table.TOKEN_TRANSFERS;
                case "trace" -> Table.TRACES;
                case "block" -> Table.BLOCKS;
                case "log" -> Table.LOGS;
                case "token" -> Table.TOKENS;
                default -> Table.OTHER;
            };
        }
        if (fileName.contains("token_transfer")) {
            return Table.TOKEN_TRANSFERS;
        }
        if (fileName.startsWith("tokens") || columns.containsAll(java.util.Set.of("address", "symbol", "decimals"))) {
            return Table.TOKENS;
        }
        if (fileName.contains("trace")) {
            return Table.TRACES;
        }
        if (fileName.contains("transaction")) {
            return Table.TRANSACTIONS;
        }
        if (fileName.contains("block")) {
            return Table.BLOCKS;
        }
        if (columns.contains("token_address")) {
            return Table.TOKEN_TRANSFERS;
        }
        if (columns.contains("trace_address")) {
            return Table.TRACES;
        }
        if (columns.contains("nonce") && columns.contains("from_address")) {
            return Table.TRANSACTIONS;
        }
        return Table.OTHER;
    }

    // ---------------------------------------------------------------- typed rows (core's EtlRows, with file and line)

    public static EtlRows.TxRow transaction(Row r) {
        return typed(r, "bad transaction row: ", () -> EtlRows.transaction(r.columns()));
    }

    public static EthRows.TokenTransfer tokenTransfer(Row r, int txIndex) {
        return typed(r, "bad token transfer row: ", () -> EtlRows.tokenTransfer(r.columns(), txIndex));
    }

    public static EthRows.Trace trace(Row r) {
        return typed(r, "bad trace row: ", () -> EtlRows.trace(r.columns()));
    }

    private static <T> T typed(Row r, String what, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (EtlRows.MissingColumn e) {
            throw new EtlFormatException(r.file(), r.line(), e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new EtlFormatException(r.file(), r.line(), what + e.getMessage());
        }
    }
}
