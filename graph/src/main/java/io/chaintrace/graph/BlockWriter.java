package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rocksdb.WriteBatch;

/**
 * Writes Bitcoin blocks: a block and everything it implies (transactions, outputs, spends, address
 * history, compact rows, new owner ids, counters, checkpoint) goes into one atomic batch with the blocks
 * appended just before it (a group of about {@link #GROUP_TXS} transactions), written on a committer
 * thread while the caller prepares the next group, one group in flight at most. Every other read and
 * write of the store first hands the group gathered so far to the committer and waits for it
 * ({@link #awaitInFlight()}), under the store's write lock (the {@link StoreFiles} monitor): a block is
 * stored whole with its checkpoint, or not at all, and nothing reads around it.
 */
final class BlockWriter {
    private final StoreFiles files;
    private final Counters counters;
    private final ExecutorService committer;
    /**
     * Outputs of recent blocks for the next blocks' inputs: about 150 blocks' of mainnet shape, 100-150 MB of heap. At
     * a log-uniform spending age (the benchmarks' shape) that is 60% of the inputs at 10^7 transactions.
     */
    static final int RECENT_OUTPUTS = 1 << 20;
    private final RecentOutputs recent;
    /**
     * Transactions gathered into one batch: a memtable insert searches less the closer together its keys come (a
     * block's keys of a family lie about a hundred entries apart in a full memtable, a group's a few dozen), and
     * blocks of a few transactions (the early chain's) commit together. About five mainnet blocks; 30-60 MB.
     */
    static final int GROUP_TXS = 16_384;
    /**
     * The group size of a store opened for writing: {@link #GROUP_TXS}, or the system property
     * {@code chaintrace.store.groupTxs} (smaller groups lose less work to a crash and show a reader in another process
     * the blocks sooner; the crash tests use it to land kills between groups of a small chain).
     */
    static int groupTxs() {
        return Math.max(1, Integer.getInteger("chaintrace.store.groupTxs", GROUP_TXS));
    }
    private final int groupTxs;
    private AddressBook addresses;
    /** Blocks appended and not yet handed to the committer; null when none. */
    private Group gathered;
    private InFlight inFlight;
    private Throwable failed;
    /** The blocks' address history, written in sorted runs once their blocks are stored (null for a reader). */
    private final AddressHistory history;

    BlockWriter(StoreFiles files, Counters counters, int groupTxs, int recentOutputs) {
        this(files, counters, groupTxs, recentOutputs, AddressHistory.runKeys());
    }

    BlockWriter(StoreFiles files, Counters counters, int groupTxs, int recentOutputs, int historyRun) {
        this.files = files;
        this.counters = counters;
        this.groupTxs = groupTxs;
        this.recent = new RecentOutputs(recentOutputs);
        this.committer = files.readOnly ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "store-committer");
            t.setDaemon(true);
            return t;
        });
        this.history = files.readOnly ? null : new AddressHistory(files, historyRun);
    }

    /** Writes the address history a killed writer left pending (see {@link AddressHistory}); at a writer's open. */
    void rebuildHistory() {
        synchronized (files) {
            if (history != null) {
                history.rebuild(counters.txs);
            }
        }
    }

    /**
     * Writes every block appended and its address history, and waits for both: before the history is read, and before
     * a write that is not an append (a rollback, a fetch) so that the history stays in chain order. No-op for a reader.
     */
    void writeHistory() {
        synchronized (files) {
            if (history == null) {
                return;
            }
            requireWritable();
            awaitInFlight();
            history.writeAll(counters.txs, false);
        }
    }

    void attach(AddressBook addresses) {
        this.addresses = addresses;
    }

    /** Whether a block with this hash is stored or being written. */
    boolean has(Hash256 hash) {
        synchronized (files) {
            return gathered != null && gathered.hashes.contains(hash) || inFlight != null && inFlight.hashes.contains(hash)
                    || files.get(Family.BLOCKS, hash.bytes()) != null;
        }
    }

    /** See {@link ChainStore#append}. */
    boolean append(NewBlock block, Checkpoint checkpoint) {
        synchronized (files) {
            requireWritable();
            if (has(block.hash())) {
                return false;
            }
            if (counters.fetchedTxs > 0) {
                refuseFetched(block);
            }
            // Everything that can fail on what the block says happens before it joins the group, which then holds
            // whole blocks only.
            BlockWrite w = new BlockWrite(block, files, counters, addresses, recent);
            w.resolveOwners();
            w.resolveInputs();
            KeyOrderedWrites writes = new KeyOrderedWrites();
            long historyBefore = history.size();
            Counters next;
            try {
                w.write(writes, history);
                next = counters.plus(block.transactions().size(), w.inputs, w.outputs, w.value, w.standardAddresses,
                        w.newOwners(), w.unresolved);
            } catch (RuntimeException e) {
                history.truncate(historyBefore);
                throw e;
            }
            next.write(writes);
            writes.put(Family.CHECKPOINTS, checkpoint.source().getBytes(StandardCharsets.UTF_8), checkpoint.encode());
            history.markPending(writes, counters.txs);
            if (gathered == null) {
                gathered = new Group();
            }
            gathered.add(block, writes);
            counters.set(next);
            w.rememberNewOwners(addresses);
            recent.appended(w.spentRecent, w.created, gathered.hashes.size() + (inFlight == null ? 0 : inFlight.hashes.size()));
            if (gathered.txs >= groupTxs) {
                commitGathered();
            }
            return true;
        }
    }

    /**
     * Hands the blocks gathered to the committer once the group before them is written. The committer also builds the
     * batch (sorting each family's writes, serializing them): that was a quarter of the writer thread, the one the
     * ingest waited on, while the committer had time to spare (issue 19, benchmarks/README).
     */
    private void commitGathered() {
        Group g = gathered;
        gathered = null;
        awaitCommitted();
        InFlight f = new InFlight(g.hashes, history.size(), counters.txs);
        f.done = committer.submit(() -> {
            try (WriteBatch batch = g.writes.toBatch(files)) {
                files.write(batch);
            }
            return null;
        });
        inFlight = f;
    }

    /**
     * Whole blocks cannot follow fetched transactions into a store: a block holding one would count it twice
     * and its sequence numbers would disagree. (Fetching into a store of whole blocks is fine: what is stored
     * is not fetched again.)
     */
    private void refuseFetched(NewBlock block) {
        throw new IllegalArgumentException("store " + files.path + " holds transactions a fetch brought in; whole blocks (block "
                + block.hash() + ") go into a store of their own, or ingest them first and fetch after");
    }

    /** The stored outputs changed other than by an append (a rollback): recent ones are read from the store again. */
    void forgetRecent() {
        synchronized (files) {
            recent.clear();
        }
    }

    /** Writes the blocks appended so far and waits for them; call under the write lock. */
    void awaitInFlight() {
        if (gathered != null) {
            commitGathered();
        }
        awaitCommitted();
    }

    /** Waits for the group in flight. */
    private void awaitCommitted() {
        InFlight f = inFlight;
        if (f == null) {
            return;
        }
        try {
            f.done.get();
            history.committed(f.historyEnd, f.txsEnd);
        } catch (ExecutionException e) {
            failed = e.getCause();
            throw new StoreException(files.path, "write failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(files.path, "interrupted while writing", e);
        } finally {
            inFlight = null;
        }
    }

    /**
     * Waits for every appended block to be written, and starts writing their address history (the end of an ingest:
     * the clustering that follows runs beside it).
     */
    void sync() {
        synchronized (files) {
            awaitInFlight();
            if (history != null && failed == null) {
                history.writeAll(counters.txs, true);
            }
        }
    }

    /** Waits for the write in flight before a read; a failure is kept for the next write to report. */
    void awaitQuietly() {
        synchronized (files) {
            try {
                awaitInFlight();
            } catch (StoreException e) {
                // reported by the next append or by close
            }
        }
    }

    void requireWritable() {
        if (files.readOnly) {
            throw new IllegalStateException("store " + files.path + " is open read-only");
        }
        if (failed != null) {
            throw new StoreException(files.path, "an earlier write failed: " + failed.getMessage(), failed);
        }
    }

    /**
     * Before the address history is read: a writer writes what is pending; a reader refuses a history that stops short
     * (an ingest running in another process, or one killed before a writer rebuilt it).
     */
    void historyRead() {
        if (history != null) {
            writeHistory();
        } else {
            AddressHistory.requireComplete(files, counters.txs);
        }
    }

    /** Waits for the last write and stops the committer; whether every write landed. */
    boolean finish() {
        if (committer == null) {
            return true;
        }
        try {
            awaitInFlight();
            history.writeAll(counters.txs, false);
        } finally {
            committer.shutdownNow();
            history.stop();
        }
        return failed == null;
    }

    /** Whole blocks appended, to be written in one batch: their writes in the order made, their hashes. */
    private static final class Group {
        final KeyOrderedWrites writes = new KeyOrderedWrites();
        final Set<Hash256> hashes = new HashSet<>();
        long txs;

        void add(NewBlock block, KeyOrderedWrites blockWrites) {
            writes.addAll(blockWrites);
            hashes.add(block.hash());
            txs += block.transactions().size();
        }
    }

    /** The group being written (its outputs are among the {@link #recent}, for the next blocks to resolve against). */
    private static final class InFlight {
        final Set<Hash256> hashes;
        /** The address history keys appended with the group's blocks and before them; the transactions stored with it. */
        final long historyEnd;
        final long txsEnd;
        Future<Void> done;

        InFlight(Set<Hash256> hashes, long historyEnd, long txsEnd) {
            this.hashes = hashes;
            this.historyEnd = historyEnd;
            this.txsEnd = txsEnd;
        }
    }
}
