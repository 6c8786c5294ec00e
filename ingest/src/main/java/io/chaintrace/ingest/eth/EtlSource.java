package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.EtlRows;
import io.chaintrace.core.account.TransferExtractor;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.EthBlock;
import io.chaintrace.graph.TransferSink;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Imports blockchain-etl exports ({@code transactions}, {@code token_transfers}, {@code traces},
 * optionally {@code blocks} and {@code tokens}) into the store, through the same {@link TransferExtractor}
 * as a node. An {@code export_all} directory is taken a block range at a time (its partitions): the rows of
 * a range are typed as they are read (each file on its own reader), grouped by block, extracted on another thread
 * and written in batches atomic with their checkpoint, while the next range is read when both fit in the heap;
 * other files are one range. Blocks already stored are skipped. Token symbols come from the {@code tokens} table, else are unknown until a node is
 * asked; amounts are exact either way.
 */
public final class EtlSource implements Source<EtlSource.Summary> {
    public static final String CHECKPOINT = "eth-etl";

    private final TransferSink store;
    private final List<Path> files;

    /** The heap a range read ahead must fit in beside the one being written (see {@link #twoFit}). */
    private final long heap;

    /** The export files to import, in any order and mix of tables. */
    public EtlSource(TransferSink store, List<Path> files) {
        this(store, files, Runtime.getRuntime().maxMemory());
    }

    /** The same, reading ahead only when two ranges fit in {@code heap} bytes (0: never, one range at a time). */
    EtlSource(TransferSink store, List<Path> files, long heap) {
        this.store = store;
        this.files = List.copyOf(files);
        this.heap = heap;
    }

    @Override
    public String name() {
        return CHECKPOINT;
    }

    @Override
    public Kind kind() {
        return Kind.ETHEREUM;
    }

    /** What an import did. */
    public record Summary(long rows, long blocks, long skipped, long transfers) implements Source.Report {
        @Override
        public long written() {
            return blocks;
        }

        @Override
        public String describe() {
            return String.format("imported %,d rows: %,d blocks, %,d transfers; %,d blocks already stored", rows, blocks, transfers, skipped);
        }
    }

    @Override
    public Summary run(IngestListener listener) {
        List<Path> all = EtlFiles.expand(files);
        // The tokens tables first (a few rows): every part's transfers take their symbol and decimals from them.
        Map<String, Asset> tokens = new HashMap<>();
        long rows = 0;
        List<Path> rest = new ArrayList<>();
        for (Path f : all) {
            boolean named = f.getFileName().toString().toLowerCase(Locale.ROOT).startsWith("tokens");
            boolean[] other = {false};
            long n = named ? EtlFiles.read(f, r -> other[0] |= !token(r, tokens)) : 0;
            if (!named || other[0]) {
                // JSON lines say their table row by row: a file so named may hold others, read (and counted) with its part.
                rest.add(f);
            } else {
                rows += n;
            }
        }
        // One extractor for the extracting threads. The tokens map is changed only by the writing thread before a part's
        // blocks are handed out, and read while they are extracted.
        TransferExtractor extractor = new TransferExtractor(contract -> tokens.getOrDefault(contract,
                new Asset(Chain.ETHEREUM, Optional.of(Address.parse(contract)), "unknown", OptionalInt.empty())));
        List<List<Path>> parts = parts(rest);
        Run run = new Run(listener, store.checkpoint(CHECKPOINT).map(Checkpoint::blocksDone).orElse(0L));
        if (parts.size() > 1) {
            run.started(parts.stream().mapToLong(EtlSource::blocksNamed).sum());
        }
        // Two readers: a part's files are read side by side, and the next part while this one is extracted and written.
        java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(READERS,
                Thread.ofPlatform().daemon().name("etl-reader-", 1).factory());
        // Blocks are extracted on these while the writing thread stores those extracted before (in block order).
        java.util.concurrent.ExecutorService extractors = java.util.concurrent.Executors.newFixedThreadPool(EXTRACTORS,
                Thread.ofPlatform().daemon().name("etl-extract-", 1).factory());
        try {
            java.util.concurrent.CompletableFuture<Part> next = parts.isEmpty() ? null : read(parts.getFirst(), tokens, readers);
            for (int i = 0; i < parts.size(); i++) {
                Part p = joined(next);
                boolean more = i + 1 < parts.size();
                boolean ahead = more && twoFit(parts.get(i), parts.get(i + 1), heap);
                next = ahead ? read(parts.get(i + 1), tokens, readers) : null;
                rows += p.rows;
                if (parts.size() == 1) {
                    run.started(p.blocks.size());
                }
                run.write(p, extractor, extractors);
                p = null; // written: its rows may go before the next range is read
                if (more && !ahead) {
                    next = read(parts.get(i + 1), tokens, readers);
                }
            }
        } finally {
            readers.shutdownNow();
            extractors.shutdownNow();
        }
        run.flush();
        return new Summary(rows, run.written, run.skipped, run.transfers);
    }

    private static final int READERS = 2;
    private static final int EXTRACTORS = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

    /**
     * A range's typed rows take about twice its files' bytes of heap (a range of 10^6 transfers of mainnet shape: 871 MB
     * of CSV, 1.68 GB of heap at most after a collection): the next range is read ahead only when both fit in most of the
     * heap, else after this one is written. Reading ahead buys the second core; a heap too full for it buys collections.
     */
    private static boolean twoFit(List<Path> current, List<Path> next, long heap) {
        return 2 * (bytes(current) + bytes(next)) < heap * 0.8;
    }

    private static long bytes(List<Path> files) {
        long n = 0;
        for (Path f : files) {
            try {
                n += java.nio.file.Files.size(f);
            } catch (java.io.IOException e) {
                return Long.MAX_VALUE / 8; // its reader names the problem
            }
        }
        return n;
    }

    /** A part's files read on the readers, each into its own rows, then gathered by block in the files' order. */
    private static java.util.concurrent.CompletableFuture<Part> read(List<Path> files, Map<String, Asset> tokens,
                                                                     java.util.concurrent.Executor readers) {
        List<java.util.concurrent.CompletableFuture<FileRows>> each = new ArrayList<>();
        for (Path f : files) {
            each.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> FileRows.of(f), readers));
        }
        return java.util.concurrent.CompletableFuture.allOf(each.toArray(java.util.concurrent.CompletableFuture[]::new)).thenApply(done -> {
            Part p = new Part(tokens);
            each.forEach(f -> p.add(f.join()));
            return p;
        });
    }

    /** The part, or the error that stopped its reading, as it was thrown. */
    private static Part joined(java.util.concurrent.CompletableFuture<Part> part) {
        try {
            return part.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /**
     * The files in parts that hold whole blocks: ethereum-etl's {@code export_all} writes each table of a range of blocks
     * under {@code start_block=S/end_block=E/}, so a part is the files of one range, read, written and let go in turn
     * (an export of any length in the memory of one range). Files outside that layout, or a mix, are one part: their
     * rows may belong to any block, so all are read before a block is written.
     */
    private static List<List<Path>> parts(List<Path> files) {
        Map<List<Long>, List<Path>> ranges = new TreeMap<>(java.util.Comparator.<List<Long>>comparingLong(r -> r.get(0))
                .thenComparingLong(r -> r.get(1)));
        for (Path f : files) {
            List<Long> range = range(f);
            if (range == null) {
                return files.isEmpty() ? List.of() : List.of(files);
            }
            ranges.computeIfAbsent(range, r -> new ArrayList<>()).add(f);
        }
        return new ArrayList<>(ranges.values());
    }

    private static final java.util.regex.Pattern START = java.util.regex.Pattern.compile("start_block=(\\d{1,18})");
    private static final java.util.regex.Pattern END = java.util.regex.Pattern.compile("end_block=(\\d{1,18})");

    /** A file's block range from its directories ({@code start_block=S/end_block=E}), or null outside that layout. */
    private static List<Long> range(Path f) {
        Long start = null;
        Long end = null;
        for (Path part : f) {
            java.util.regex.Matcher s = START.matcher(part.toString());
            java.util.regex.Matcher e = END.matcher(part.toString());
            if (s.matches()) {
                start = Long.parseLong(s.group(1));
            } else if (e.matches()) {
                end = Long.parseLong(e.group(1));
            }
        }
        return start == null || end == null || end < start ? null : List.of(start, end);
    }

    private static long blocksNamed(List<Path> part) {
        List<Long> r = range(part.getFirst());
        return r.get(1) - r.get(0) + 1;
    }

    /** Takes in a tokens row; false for a row of another table. */
    private static boolean token(EtlFiles.Row r, Map<String, Asset> tokens) {
        if (r.table() != EtlFiles.Table.TOKENS) {
            return false;
        }
        String decimals = r.get("decimals");
        try {
            String key = EtlFiles.address("address", r.required("address"));
            int d = decimals.isEmpty() ? -1 : Integer.parseInt(decimals);
            if (d > 255) {
                throw new IllegalArgumentException("decimals " + d + " is above 255");
            }
            tokens.put(key, new Asset(Chain.ETHEREUM, Optional.of(Address.parse(key)), r.get("symbol").isEmpty() ? "unknown"
                    : r.get("symbol"), d < 0 ? OptionalInt.empty() : OptionalInt.of(d)));
            return true;
        } catch (NumberFormatException e) {
            throw new EtlFiles.EtlFormatException(r.file(), r.line(), "decimals '" + decimals + "' is not a number");
        } catch (IllegalArgumentException e) {
            throw new EtlFiles.EtlFormatException(r.file(), r.line(), "bad token row: " + e.getMessage());
        }
    }

    /** A token transfer row read before its transaction's index is known, with where it came from. */
    private record PendingToken(EthRows.TokenTransfer transfer, Path file, long line) {
    }

    /** One file's rows, typed by the reader that read it (a file of JSON lines may mix tables). */
    private static final class FileRows {
        final List<EtlFiles.Row> blockRows = new ArrayList<>();
        final List<EtlFiles.Row> tokenRows = new ArrayList<>();
        final List<TxItem> txs = new ArrayList<>();
        final List<EthRows.Trace> traces = new ArrayList<>();
        final List<PendingToken> transfers = new ArrayList<>();
        long rows;

        static FileRows of(Path file) {
            FileRows f = new FileRows();
            f.rows = EtlFiles.read(file, f::accept);
            return f;
        }

        private void accept(EtlFiles.Row r) {
            switch (r.table()) {
                case TRANSACTIONS -> txs.add(new TxItem(EtlFiles.transaction(r), r.file(), r.line()));
                case TRACES -> traces.add(EtlFiles.trace(r));
                // Its transaction's index comes from the transactions table, which may come later.
                case TOKEN_TRANSFERS -> transfers.add(new PendingToken(EtlFiles.tokenTransfer(r, -1), r.file(), r.line()));
                case TOKENS -> tokenRows.add(r);
                case BLOCKS -> blockRows.add(r);
                default -> {
                    // logs and other tables carry no value of their own
                }
            }
        }
    }

    /** A transactions row and where it came from. */
    private record TxItem(EtlRows.TxRow row, Path file, long line) {
    }

    /** The rows of one part gathered by block. */
    private static final class Part {
        private final Map<String, Asset> tokens;
        final Map<Long, EtlBlock> blocks = new TreeMap<>();
        private final Map<Hash256, EtlRows.TxRow> seenTx = new HashMap<>();
        private final List<PendingToken> tokenRows = new ArrayList<>();
        /** Rows of a tokens table in a file not named so: taken in when the part is written, in order, not while read ahead. */
        private final List<EtlFiles.Row> tokenTables = new ArrayList<>();
        long rows;

        Part(Map<String, Asset> tokens) {
            this.tokens = tokens;
        }

        /** The block gathering rows of {@code number}: a file's rows come a block at a time, so mostly the last one. */
        private EtlBlock last;

        private EtlBlock block(long number) {
            if (last == null || last.number != number) {
                last = blocks.computeIfAbsent(number, EtlBlock::new);
            }
            return last;
        }

        void add(FileRows f) {
            rows += f.rows;
            tokenTables.addAll(f.tokenRows);
            for (TxItem item : f.txs) {
                EtlRows.TxRow t = item.row();
                EtlRows.TxRow before = seenTx.putIfAbsent(t.tx().hash(), t);
                if (before != null) {
                    // The same row twice (overlapping exports) changes nothing; two different rows for one hash is a bad export.
                    if (!before.equals(t)) {
                        throw new EtlFiles.EtlFormatException(item.file(), item.line(), "transaction 0x" + t.tx().hash().hex()
                                + " again, with other fields than before");
                    }
                    continue;
                }
                EtlBlock b = block(t.tx().blockNumber());
                b.txs.add(t);
                if (!t.blockHash().isZero()) {
                    b.hash = t.blockHash();
                }
                b.time = Math.max(b.time, t.timestamp());
            }
            for (EthRows.Trace t : f.traces) {
                // A set: the same trace row twice (its transaction and place in the call tree) moves value once.
                block(t.blockNumber()).traces.add(t);
            }
            tokenRows.addAll(f.transfers);
            for (EtlFiles.Row r : f.blockRows) {
                try {
                    long n = Long.parseLong(r.required("number"));
                    EtlBlock b = blocks.computeIfAbsent(n, EtlBlock::new);
                    b.hash = Hash256.fromHex(r.required("hash"));
                    b.parent = r.get("parent_hash").isEmpty() ? Hash256.ZERO : Hash256.fromHex(r.get("parent_hash"));
                    b.time = Long.parseLong(r.required("timestamp"));
                } catch (IllegalArgumentException e) {
                    throw new EtlFiles.EtlFormatException(r.file(), r.line(), "bad block row: " + e.getMessage());
                }
            }
        }

        /** The token transfers with their transactions' indexes, each log once, into their blocks. */
        void placeTokenTransfers() {
            tokenTables.forEach(r -> token(r, tokens));
            Map<String, EthRows.TokenTransfer> seenLogs = new HashMap<>();
            for (PendingToken p : tokenRows) {
                EthRows.TokenTransfer t = p.transfer();
                EtlRows.TxRow tx = seenTx.get(t.txHash());
                if (tx == null) {
                    throw new EtlFiles.EtlFormatException(p.file(), p.line(), "token transfer of transaction " + t.txHash()
                            + " which no transactions file given names (import the transactions export too)");
                }
                t = new EthRows.TokenTransfer(t.token(), t.from(), t.to(), t.value(), t.txHash(), tx.tx().index(), t.logIndex(), t.blockNumber());
                EthRows.TokenTransfer before = seenLogs.putIfAbsent(t.txHash() + ":" + t.logIndex(), t);
                if (before != null) {
                    if (!before.equals(t)) {
                        throw new EtlFiles.EtlFormatException(p.file(), p.line(), "log " + t.logIndex() + " of transaction 0x" + t.txHash().hex()
                                + " again, with other fields than before");
                    }
                    continue;
                }
                block(t.blockNumber()).tokens.add(t);
            }
            tokenRows.clear();
        }
    }

    /** The writing side of an import: counts, the checkpoint's blocks, the batch being gathered. */
    private final class Run {
        private final IngestListener listener;
        private final List<EthBlock> pending = new ArrayList<>();
        private long pendingTransfers;
        private long done;
        private boolean started;
        long written;
        long skipped;
        long transfers;

        Run(IngestListener listener, long done) {
            this.listener = listener;
            this.done = done;
        }

        void started(long total) {
            if (!started) {
                started = true;
                listener.started(total, 0);
            }
        }

        /**
         * Writes a part's blocks in order, extracted a chunk at a time on {@code extractors}, up to {@code CHUNKS_AHEAD}
         * chunks ahead of the one being written: the extraction and the store's writes take the two cores instead of one after the other.
         */
        void write(Part p, TransferExtractor extractor, java.util.concurrent.ExecutorService extractors) {
            p.placeTokenTransfers();
            java.util.Iterator<EtlBlock> blocks = p.blocks.values().iterator();
            java.util.ArrayDeque<java.util.concurrent.Future<List<EthBlock>>> ahead = new java.util.ArrayDeque<>();
            while (blocks.hasNext() || !ahead.isEmpty()) {
                while (ahead.size() < CHUNKS_AHEAD && blocks.hasNext()) {
                    List<EtlBlock> chunk = new ArrayList<>();
                    int rows = 0;
                    while (blocks.hasNext() && rows < CHUNK_ROWS) {
                        EtlBlock b = blocks.next();
                        // Looked up before the chunks ahead of it are written: a part's block numbers are distinct.
                        if (store.ethBlock(b.number).isPresent()) {
                            skipped++;
                            listener.block(0);
                            continue;
                        }
                        chunk.add(b);
                        rows += 1 + b.txs.size() + b.traces.size() + b.tokens.size();
                    }
                    if (!chunk.isEmpty()) {
                        ahead.add(extractors.submit(() -> extracted(chunk, extractor)));
                    }
                }
                if (ahead.isEmpty()) {
                    break;
                }
                for (EthBlock eth : done(ahead.poll())) {
                    // Counted as they are queued: a batch that cannot be written ends the run with its error, no summary.
                    pending.add(eth);
                    written++;
                    transfers += eth.transfers().size();
                    pendingTransfers += eth.transfers().size();
                    if (pending.size() >= BATCH_BLOCKS || pendingTransfers >= BATCH_TRANSFERS) {
                        flush();
                    }
                }
            }
            // A part ends with its blocks stored: an error in a later one leaves it whole, and the run resumes after it.
            flush();
        }

        private static List<EthBlock> extracted(List<EtlBlock> chunk, TransferExtractor extractor) {
            List<EthBlock> out = new ArrayList<>(chunk.size());
            for (EtlBlock b : chunk) {
                List<AccountTransfer> extracted = EtlRows.transfers(extractor, b.number, b.hash, b.parent, b.time, b.txs,
                        new ArrayList<>(b.traces), b.tokens);
                out.add(new EthBlock(b.number, b.hash, b.parent, b.time, extracted, EthBlock.gasPrices(extracted,
                        b.txs.stream().map(EtlRows.TxRow::tx).filter(t -> t.gasPrice().isPresent())
                                .collect(java.util.stream.Collectors.toMap(EthRows.Tx::hash, t -> t.gasPrice().get())))));
            }
            return out;
        }

        /** A chunk's blocks, or the error that stopped its extraction, as it was thrown. */
        private static List<EthBlock> done(java.util.concurrent.Future<List<EthBlock>> chunk) {
            try {
                return chunk.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while blocks were extracted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /**
         * Writes the pending blocks in one batch with the last one's checkpoint. Each was looked up absent just before,
         * and the store has one writer: all of them are written.
         */
        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            EthBlock last = pending.getLast();
            long after = done + pending.size();
            store.appendEthBlocks(pending, new Checkpoint(CHECKPOINT, last.hash(), Math.toIntExact(last.number()), after));
            pending.forEach(e -> listener.block(e.transfers().size()));
            pending.clear();
            pendingTransfers = 0;
            done = after;
        }
    }

    /**
     * Blocks written together, in one batch with the last one's checkpoint: an export's blocks hold a transfer or two
     * each, and a write per block was most of an import's time. A run killed part-way leaves whole batches.
     */
    private static final int BATCH_BLOCKS = 4_096;
    private static final int BATCH_TRANSFERS = 65_536;

    /**
     * Rows (blocks, transactions, traces, token transfers) extracted as one task, and tasks kept ahead of the writes: more
     * than two batches' worth (a chunk holds about 7,000 transfers), so the extraction goes on while a batch is written
     * rather than waiting for the writer to take the next chunk (with three chunks ahead it mostly waited: an import
     * at 10^7 was slower than with no second thread).
     */
    private static final int CHUNK_ROWS = 16_384;
    private static final int CHUNKS_AHEAD = Math.max(24, 2 * BATCH_TRANSFERS / 6_000 + 2 * EXTRACTORS);

    /** Rows of one block, gathered across files. */
    private static final class EtlBlock {
        final long number;
        Hash256 hash = Hash256.ZERO;
        Hash256 parent = Hash256.ZERO;
        long time;
        final List<EtlRows.TxRow> txs = new ArrayList<>();
        final Set<EthRows.Trace> traces = new LinkedHashSet<>();
        final List<EthRows.TokenTransfer> tokens = new ArrayList<>();

        EtlBlock(long number) {
            this.number = number;
        }
    }
}
