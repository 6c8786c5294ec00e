package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.EtlRows;
import io.chaintrace.core.account.TransferExtractor;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.EthBlock;
import io.chaintrace.graph.TransferSink;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
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
            long n = named ? EtlFiles.read(f, r -> other[0] |= !EtlPart.token(r, tokens)) : 0;
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
            java.util.concurrent.CompletableFuture<EtlPart> next = parts.isEmpty() ? null : read(parts.getFirst(), tokens, readers);
            for (int i = 0; i < parts.size(); i++) {
                EtlPart p = joined(next);
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
    private static java.util.concurrent.CompletableFuture<EtlPart> read(List<Path> files, Map<String, Asset> tokens,
                                                                     java.util.concurrent.Executor readers) {
        List<java.util.concurrent.CompletableFuture<EtlPart.FileRows>> each = new ArrayList<>();
        for (Path f : files) {
            each.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> EtlPart.FileRows.of(f), readers));
        }
        return java.util.concurrent.CompletableFuture.allOf(each.toArray(java.util.concurrent.CompletableFuture[]::new)).thenApply(done -> {
            EtlPart p = new EtlPart(tokens);
            each.forEach(f -> p.add(f.join()));
            return p;
        });
    }

    /** The part, or the error that stopped its reading, as it was thrown. */
    private static EtlPart joined(java.util.concurrent.CompletableFuture<EtlPart> part) {
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
        void write(EtlPart p, TransferExtractor extractor, java.util.concurrent.ExecutorService extractors) {
            p.placeTokenTransfers();
            java.util.Iterator<EtlPart.EtlBlock> blocks = p.blocks.values().iterator();
            java.util.ArrayDeque<java.util.concurrent.Future<List<EthBlock>>> ahead = new java.util.ArrayDeque<>();
            while (blocks.hasNext() || !ahead.isEmpty()) {
                while (ahead.size() < CHUNKS_AHEAD && blocks.hasNext()) {
                    List<EtlPart.EtlBlock> chunk = new ArrayList<>();
                    int rows = 0;
                    while (blocks.hasNext() && rows < CHUNK_ROWS) {
                        EtlPart.EtlBlock b = blocks.next();
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

        private static List<EthBlock> extracted(List<EtlPart.EtlBlock> chunk, TransferExtractor extractor) {
            List<EthBlock> out = new ArrayList<>(chunk.size());
            for (EtlPart.EtlBlock b : chunk) {
                List<AccountTransfer> extracted = EtlRows.transfers(extractor, b.number, b.hash, b.parent, b.time, b.txs,
                        // A set: the same trace row twice (its transaction and place in the call tree) moves value once.
                        new ArrayList<>(new java.util.LinkedHashSet<>(b.traces)), b.tokens);
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
}
