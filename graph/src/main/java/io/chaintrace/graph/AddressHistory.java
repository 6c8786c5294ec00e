package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.SstFileWriter;

/**
 * The address history of whole blocks ({@code address_txs}), written in sorted runs instead of key by key in each
 * block's batch. A block's history keys start with the owner id, so they land all over the family: written with the
 * block they cost a memtable insert each, a flush and then compactions that rewrote them again and again. At 10^7
 * Bitcoin transactions (about 45 million keys) the ingest took 224 s with them and 174 s without (issue 19,
 * benchmarks/README). Here the keys of committed blocks are gathered ({@link Run}), sorted by owner (the order they came
 * in is chain order, which the rest of the key follows) and written as one table file that RocksDB takes in whole
 * ({@code ingestExternalFile}), about four million keys a file, on a thread of its own.
 * <p>
 * Nothing of a block is stored without its history showing: while history is pending the store holds the mark
 * {@code historySeq} in {@code meta}, written in the batch of the first block after a complete history, and moved on
 * as runs are written: every transaction before it has its history stored. Whoever opens the store to write next
 * rebuilds the history from the mark on from the transactions' records ({@link #rebuild}) - after a kill, the blocks
 * from the last run written. Writing a key twice writes the same value, so a run written again is harmless. When
 * everything is written the mark is deleted: a complete store looks as one of format 6 did. A reader that finds a mark
 * says so rather than answer from part of the history ({@link #requireComplete}).
 */
final class AddressHistory {
    static final String MARK = "historySeq";
    private static final byte[] MARK_KEY = MARK.getBytes(StandardCharsets.US_ASCII);
    /**
     * Keys a run holds before it is written: 4 million, 190 MB (a buffer of 240 MB, with room for the groups still being
     * stored; two at most: one filled, one written). At 10^7 Bitcoin transactions (45 million keys) 11 runs, of which
     * RocksDB merges eight once (level 0's trigger).
     */
    static final int RUN_KEYS = 1 << 22;
    private static final int KEY = 44;
    /** An input in a transaction's record (docs/STORE.md): funding txid, vout, status, value, owner id (at 45). */
    private static final int INPUT_BYTES = 32 + 4 + 1 + 8 + 4;
    private static final int REBUILD_BATCH = 1_000;
    /** The table file a run is written to before RocksDB takes it in (moving it under a name of its own). */
    static final String RUN_FILE = "address-history.sst.tmp";

    private final StoreFiles files;
    private final int runKeys;
    private final ExecutorService writing;
    /**
     * Keys of appended blocks, the first of them key number {@link #base} of this writer's life; and the buffer of the
     * run written last, kept for the next: a run is 240 MB, and runs allocated afresh and grown by doubling cost the
     * ingest a tenth more garbage collection.
     */
    private Run pending;
    private Run spare;
    private long base;
    /** A run being written on the history thread, and its failure, if any. */
    private Future<?> inFlight;
    private Throwable failed;
    /** Whether the store holds the mark: some history of stored blocks is not yet written. */
    private boolean marked;

    AddressHistory(StoreFiles files, int runKeys) {
        this.files = files;
        this.runKeys = runKeys;
        this.marked = files.get(Family.META, MARK_KEY) != null;
        this.pending = new Run(Math.min(runKeys, 1 << 12), full());
        this.writing = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "address-history");
            t.setDaemon(true);
            return t;
        });
    }

    /** A run's buffer once grown: room for a run and the groups still being stored when it is written. */
    private int full() {
        return runKeys + runKeys / 4;
    }

    /** The run size of a store opened for writing: {@link #RUN_KEYS}, or {@code chaintrace.store.historyRun} (crash tests). */
    static int runKeys() {
        return Math.max(1, Integer.getInteger("chaintrace.store.historyRun", RUN_KEYS));
    }

    /** Keys appended so far in this writer's life (a position to {@link #truncate} to or to mark a group's end at). */
    long size() {
        return base + pending.size;
    }

    /** Owner {@code owner} took part in {@code txid} at this place in the chain: received (1), sent (2) or both (3). */
    void add(int owner, int height, int position, Hash256 txid, byte flags) {
        pending.add(owner, height, position, txid, flags);
    }

    /** Forgets the keys after {@code size} (a block that failed before it joined a group). */
    void truncate(long size) {
        pending.size = (int) (size - base);
    }

    /**
     * Adds to {@code writes} (the batch of the block that starts {@code seq}) the mark that the history from {@code seq}
     * on is pending, when the store holds none.
     */
    void markPending(KeyOrderedWrites writes, long seq) {
        if (!marked) {
            writes.put(Family.META, MARK_KEY, Keys.number(seq));
            marked = true;
        }
    }

    /**
     * The blocks of the first {@code size} keys, up to transaction {@code seq}, are stored: once they make a run, it is
     * written on the history thread (after the run before it).
     */
    void committed(long size, long seq) {
        if (size - base >= runKeys) {
            awaitWritten();
            Run run = pending;
            pending = run.splitInto(spare != null ? spare : new Run(full(), full()), (int) (size - base));
            spare = null;
            base = size;
            writeLater(run, seq, true);
        }
    }

    /** Writes {@code run} on the history thread, then moves the mark to {@code seq}; {@code keep}: its buffer is reused. */
    private void writeLater(Run run, long seq, boolean keep) {
        inFlight = writing.submit(() -> {
            write(run);
            files.put(Family.META, MARK_KEY, Keys.number(seq));
            if (keep) {
                spare = run;
            }
            return null;
        });
    }

    /**
     * Writes every key appended (its blocks stored: the caller waited for them) and deletes the mark, on this thread;
     * {@code async}: on the history thread, the mark moved to {@code seq} (the clustering after an ingest runs beside
     * it; the next complete write deletes the mark).
     */
    void writeAll(long seq, boolean async) {
        awaitWritten();
        if (pending.size > 0) {
            Run run = pending;
            base += run.size;
            // The end of an ingest, or a read: the buffers go (a run may follow, or not).
            pending = new Run(Math.min(runKeys, 1 << 12), full());
            spare = null;
            if (async) {
                writeLater(run, seq, false);
                return;
            }
            writeNow(run);
        }
        if (!async && marked) {
            files.delete(Family.META, MARK_KEY);
            marked = false;
        }
    }

    private void writeNow(Run run) {
        try {
            write(run);
        } catch (RocksDBException | IOException e) {
            throw new StoreException(files.path, "writing the address history failed: " + e.getMessage(), e);
        }
    }

    private void awaitWritten() {
        Future<?> f = inFlight;
        inFlight = null;
        if (f != null) {
            try {
                f.get();
            } catch (ExecutionException e) {
                failed = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = e;
            }
        }
        if (failed != null) {
            throw new StoreException(files.path, "writing the address history failed: " + failed.getMessage(), failed);
        }
    }

    /** Stops the history thread (after {@link #writeAll}, or on a failure). */
    void stop() {
        writing.shutdownNow();
    }

    /**
     * Sorts a run by key and has RocksDB take it in as one table file. A run comes in chain order, which is each owner's
     * key order: sorted by owner with the position as tie-break, the keys are in order, unless a run holds a block below
     * one before it (never in an ingest: a rollback writes the history first); then that owner's keys are sorted whole.
     */
    private void write(Run run) throws RocksDBException, IOException {
        if (run.size == 0) {
            return;
        }
        long[] order = new long[run.size];
        for (int i = 0; i < run.size; i++) {
            order[i] = (long) Keys.getInt(run.keys, i * KEY) << 32 | i;
        }
        Arrays.sort(order);
        byte[] k = run.keys;
        for (int s = 0, e; s < order.length; s = e) {
            e = s + 1;
            while (e < order.length && order[e] >>> 32 == order[s] >>> 32) {
                e++;
            }
            for (int n = s + 1; n < e; n++) {
                int a = (int) order[n - 1] * KEY;
                int b = (int) order[n] * KEY;
                if (Arrays.compareUnsigned(k, a, a + KEY, k, b, b + KEY) > 0) {
                    sortWhole(order, s, e, k);
                    break;
                }
            }
        }
        Path file = files.path.resolve(RUN_FILE);
        Files.deleteIfExists(file);
        try (EnvOptions env = new EnvOptions(); Options options = files.tableOptions(Family.ADDRESS_TXS);
                SstFileWriter writer = new SstFileWriter(env, options)) {
            writer.open(file.toString());
            ByteBuffer key = ByteBuffer.allocateDirect(KEY);
            ByteBuffer value = ByteBuffer.allocateDirect(1);
            int last = -1;
            for (long o : order) {
                int i = (int) o;
                // The same key twice: no ingest makes one (a transaction lists an owner once); skipped, as the table
                // file takes keys strictly ascending only.
                if (last >= 0 && Arrays.equals(k, last * KEY, last * KEY + KEY, k, i * KEY, i * KEY + KEY)) {
                    continue;
                }
                key.clear();
                key.put(k, i * KEY, KEY).flip();
                value.clear();
                value.put(run.flags[i]).flip();
                writer.put(key, value);
                last = i;
            }
            writer.finish();
        }
        files.ingest(Family.ADDRESS_TXS, file);
    }

    private static void sortWhole(long[] order, int from, int to, byte[] k) {
        Integer[] idx = new Integer[to - from];
        for (int n = from; n < to; n++) {
            idx[n - from] = (int) order[n];
        }
        Arrays.sort(idx, (x, y) -> Arrays.compareUnsigned(k, x * KEY, x * KEY + KEY, k, y * KEY, y * KEY + KEY));
        for (int n = from; n < to; n++) {
            order[n] = (order[n] & 0xffffffff00000000L) | idx[n - from];
        }
    }

    /**
     * After a kill: writes the history of transactions {@code mark} to {@code txs} again, from their records (the
     * inputs' owners are in them, the outputs' in {@code outputs}), the same keys a block writes, and deletes the mark.
     * Read a thousand transactions at a time (their ids in one scan, records and outputs in two multiGets): after a kill
     * at 10^6 Bitcoin transactions, 566,487 in 6.1 s (silent: it runs as the store opens).
     */
    void rebuild(long txs) {
        byte[] m = files.get(Family.META, MARK_KEY);
        if (m == null) {
            return;
        }
        Touched touched = new Touched();
        long seq = Keys.getLong(m, 0);
        try (RocksIterator ids = files.scan(Family.TX_IDS)) {
            ids.seek(Keys.number(seq));
            while (seq < txs) {
                List<byte[]> txids = new ArrayList<>(REBUILD_BATCH);
                for (; txids.size() < REBUILD_BATCH && seq + txids.size() < txs; ids.next()) {
                    if (!ids.isValid() || Keys.getLong(ids.key(), 0) != seq + txids.size()) {
                        throw new StoreException(files.path, "corrupt: no transaction at sequence number " + (seq + txids.size())
                                + " to rebuild its address history");
                    }
                    txids.add(ids.value());
                }
                List<byte[]> records = files.multiGet(Family.TRANSACTIONS, txids);
                List<byte[]> outputKeys = new ArrayList<>();
                for (int t = 0; t < txids.size(); t++) {
                    byte[] rec = records.get(t);
                    if (rec == null) {
                        throw new StoreException(files.path, "corrupt: no record of transaction " + new Hash256(txids.get(t))
                                + " to rebuild its address history");
                    }
                    for (int o = 0, n = Keys.getInt(rec, 52); o < n; o++) {
                        outputKeys.add(Keys.outpoint(new Hash256(txids.get(t)), o));
                    }
                }
                List<byte[]> outputs = files.multiGet(Family.OUTPUTS, outputKeys);
                int at = 0;
                for (int t = 0; t < txids.size(); t++) {
                    byte[] rec = records.get(t);
                    Hash256 id = new Hash256(txids.get(t));
                    touched.clear();
                    for (int i = 0, n = Keys.getInt(rec, 48); i < n; i++) {
                        int owner = Keys.getInt(rec, 56 + i * INPUT_BYTES + 45);
                        if (owner != OutputRecord.NO_OWNER) {
                            touched.add(owner, Keys.SENT);
                        }
                    }
                    for (int o = 0, n = Keys.getInt(rec, 52); o < n; o++) {
                        byte[] out = outputs.get(at++);
                        if (out == null) {
                            throw new StoreException(files.path, "corrupt: transaction " + id + " lacks output " + o);
                        }
                        int owner = OutputRecord.ownerId(out);
                        if (owner != OutputRecord.NO_OWNER) {
                            touched.add(owner, Keys.RECEIVED);
                        }
                    }
                    for (int k = 0; k < touched.n; k++) {
                        add(touched.owners[k], Keys.getInt(rec, 32), Keys.getInt(rec, 44), id, touched.flags[k]);
                    }
                }
                seq += txids.size();
                if (pending.size >= runKeys) {
                    writeNow(pending);
                    base += pending.size;
                    pending.size = 0;
                    files.put(Family.META, MARK_KEY, Keys.number(seq));
                }
            }
        }
        marked = true;
        writeAll(txs, false);
    }

    /** For a reader: refuses to answer from a history that stops short of the stored transactions. */
    static void requireComplete(StoreFiles files, long txs) {
        long mark = files.meta(MARK, -1);
        if (mark >= 0 && mark < txs) {
            throw new StoreException(files.path, "the address history is written up to transaction " + mark + " of " + txs
                    + " (an ingest writes it in runs: one is running, or was stopped); it is complete when an ingest finishes,"
                    + " and the next command that writes to the store (an ingest, 'chaintrace cluster') rebuilds it");
        }
    }

    /** Keys of the address history in the order they came, 44 bytes each, and their flags. */
    private static final class Run {
        byte[] keys;
        byte[] flags;
        int size;
        /**
         * The size it grows to past its first 65,536 keys, at once: grown by halves from 4,096 keys, an ingest's first run
         * was copied some twenty times on the writer's thread (a small ingest keeps a small buffer).
         */
        private final int full;

        Run(int capacity, int full) {
            keys = new byte[capacity * KEY];
            flags = new byte[capacity];
            this.full = full;
        }

        void add(int owner, int height, int position, Hash256 txid, byte flag) {
            if (size == flags.length) {
                int grown = size < 1 << 16 ? 2 * Math.max(size, 1 << 11) : Math.max(full, size + size / 4);
                keys = Arrays.copyOf(keys, grown * KEY);
                flags = Arrays.copyOf(flags, grown);
            }
            int at = size * KEY;
            Keys.putInt(keys, at, owner);
            Keys.putInt(keys, at + 4, height + 1);
            Keys.putInt(keys, at + 8, position);
            txid.copyTo(keys, at + 12);
            flags[size++] = flag;
        }

        /** Moves the keys after the first {@code n} to {@code tail} (emptied first, grown if need be), which it returns. */
        Run splitInto(Run tail, int n) {
            tail.size = 0;
            if (tail.flags.length < size - n) {
                tail.keys = new byte[(size - n) * KEY];
                tail.flags = new byte[size - n];
            }
            System.arraycopy(keys, n * KEY, tail.keys, 0, (size - n) * KEY);
            System.arraycopy(flags, n, tail.flags, 0, size - n);
            tail.size = size - n;
            size = n;
            return tail;
        }
    }

    /** The owners one transaction touches, each with what it did (received, sent or both), in order of first touch. */
    static final class Touched {
        int[] owners = new int[16];
        byte[] flags = new byte[16];
        int n;

        void clear() {
            n = 0;
        }

        void add(int owner, byte flag) {
            for (int k = 0; k < n; k++) {
                if (owners[k] == owner) {
                    flags[k] |= flag;
                    return;
                }
            }
            if (n == owners.length) {
                owners = Arrays.copyOf(owners, 2 * n);
                flags = Arrays.copyOf(flags, 2 * n);
            }
            owners[n] = owner;
            flags[n++] = flag;
        }
    }
}
