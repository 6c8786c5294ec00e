package io.chaintrace.graph;

import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private static final byte RECEIVED = 1;
    private static final byte SENT = 2;

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

    BlockWriter(StoreFiles files, Counters counters, int groupTxs, int recentOutputs) {
        this.files = files;
        this.counters = counters;
        this.groupTxs = groupTxs;
        this.recent = new RecentOutputs(recentOutputs);
        this.committer = files.readOnly ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "store-committer");
            t.setDaemon(true);
            return t;
        });
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
            BlockWrite w = new BlockWrite(block);
            w.resolveOwners();
            w.resolveInputs();
            KeyOrderedWrites writes = new KeyOrderedWrites();
            w.write(writes);
            Counters next = counters.plus(block.transactions().size(), w.inputs, w.outputs, w.value, w.standardAddresses,
                    w.newIds.size(), w.unresolved);
            next.write(writes);
            writes.put(Family.CHECKPOINTS, checkpoint.source().getBytes(StandardCharsets.UTF_8), checkpoint.encode());
            if (gathered == null) {
                gathered = new Group();
            }
            gathered.add(block, writes);
            counters.set(next);
            w.newIds.forEach(addresses::remember);
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
        InFlight f = new InFlight(g.hashes);
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

    /** Waits for every appended block to be written. */
    void sync() {
        synchronized (files) {
            awaitInFlight();
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

    /** Waits for the last write and stops the committer; whether every write landed. */
    boolean finish() {
        if (committer == null) {
            return true;
        }
        try {
            awaitInFlight();
        } finally {
            committer.shutdownNow();
        }
        return failed == null;
    }

    /**
     * A block's transaction bodies, one merge per page of them rather than one per transaction (a page holds 64
     * consecutive transactions: a block of 2,000 writes about 32). A spend is merged into its funding transaction's page
     * after that transaction's body: a spend of an output of the page still gathered writes the page out first.
     */
    private static final class PageBodies {
        private final KeyOrderedWrites writes;
        private final java.io.ByteArrayOutputStream gathered = new java.io.ByteArrayOutputStream(1 << 14);
        private long page = -1;

        PageBodies(KeyOrderedWrites writes) {
            this.writes = writes;
        }

        void add(long seq, byte[] body) {
            if (seq >>> TxPages.SHIFT != page) {
                flush();
                page = seq >>> TxPages.SHIFT;
            }
            gathered.writeBytes(body);
        }

        void beforeSpendOf(long fundingSeq) {
            if (fundingSeq >>> TxPages.SHIFT == page) {
                flush();
            }
        }

        void flush() {
            if (gathered.size() > 0) {
                writes.merge(Family.TX_PAGES, TxPages.pageKey(page << TxPages.SHIFT), gathered.toByteArray());
                gathered.reset();
            }
        }
    }

    /** The owners one transaction touches, each with what it did (received, sent or both), in order of first touch. */
    private static final class Touched {
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
                owners = java.util.Arrays.copyOf(owners, 2 * n);
                flags = java.util.Arrays.copyOf(flags, 2 * n);
            }
            owners[n] = owner;
            flags[n++] = flag;
        }
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
        Future<Void> done;

        InFlight(Set<Hash256> hashes) {
            this.hashes = hashes;
        }
    }

    /** {@link BlockWrite#inputRow} of an input whose output was found outside the block, and of one not found. */
    private static final int FOUND = -2;
    private static final int UNRESOLVED = -1;

    /** The state of one block being written. */
    private final class BlockWrite {
        final NewBlock block;
        final Map<String, Integer> ids;
        final LinkedHashMap<String, Integer> newIds;
        final Map<String, ScriptKind> newKinds;
        /** The block's outputs in block order: what its later transactions spend of it, and what joins the {@link #recent}. */
        OutputTable created;
        /**
         * What each of the block's inputs (in block order) spends: a row of {@link #created}, or the output's fields
         * copied from the {@link #recent} or the store, or nothing found.
         */
        final int[] inputRow;
        final long[] inputValue;
        final int[] inputOwner;
        final long[] inputSeq;
        final long[] inputOutputId;
        /** Inputs resolved from the {@link #recent} outputs: spent, they leave it once the block is appended. */
        final List<Outpoint> spentRecent;
        /** Outputs and spends in the block: the maps are sized by them once (a block of 3,000 transactions grew them ten times). */
        final int outputCount;
        final int spendCount;
        long inputs;
        long outputs;
        long value;
        long unresolved;
        long standardAddresses;
        /** Sequence number of the block's first transaction, id of its first output. */
        final long firstSeq;
        final long firstOutput;
        /** The first owner id this block may assign: what a rollback of it gives back. */
        final int firstOwner;

        BlockWrite(NewBlock block) {
            this.block = block;
            int o = 0;
            int i = 0;
            for (NewBlock.NewTransaction tx : block.transactions()) {
                o += tx.outputs().size();
                i += tx.spends().size();
            }
            outputCount = o;
            spendCount = i;
            ids = HashMap.newHashMap(o);
            newIds = LinkedHashMap.newLinkedHashMap(o);
            newKinds = HashMap.newHashMap(o);
            inputRow = new int[i];
            inputValue = new long[i];
            inputOwner = new int[i];
            inputSeq = new long[i];
            inputOutputId = new long[i];
            spentRecent = new ArrayList<>(i);
            this.firstSeq = counters.txs;
            this.firstOutput = counters.outputs;
            this.firstOwner = counters.nextAddressId;
        }

        /** Looks up or assigns a dense id for every owner in the block, in order of appearance. */
        void resolveOwners() {
            LinkedHashMap<String, ScriptKind> wanted = LinkedHashMap.newLinkedHashMap(outputCount);
            for (NewBlock.NewTransaction tx : block.transactions()) {
                for (TxOutput o : tx.outputs()) {
                    o.owner().ifPresent(a -> wanted.putIfAbsent(a.text(), a.kind()));
                }
            }
            List<String> missing = new ArrayList<>(wanted.size());
            for (String text : wanted.keySet()) {
                Integer id = addresses.cachedId(text);
                if (id != null) {
                    ids.put(text, id);
                } else {
                    missing.add(text);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            List<byte[]> keys = new ArrayList<>(missing.size());
            for (String text : missing) {
                keys.add(text.getBytes(StandardCharsets.UTF_8));
            }
            List<byte[]> found = files.multiGet(Family.ADDRESS_IDS, keys);
            int next = counters.nextAddressId;
            for (int i = 0; i < missing.size(); i++) {
                String text = missing.get(i);
                byte[] v = found.get(i);
                if (v != null) {
                    int id = Keys.getInt(v, 0);
                    ids.put(text, id);
                    addresses.remember(text, id);
                } else {
                    ids.put(text, next);
                    newIds.put(text, next);
                    ScriptKind kind = wanted.get(text);
                    newKinds.put(text, kind);
                    if (kind.hasStandardAddress()) {
                        standardAddresses++;
                    }
                    next++;
                }
            }
        }

        /**
         * Finds what each input spends: an output of the block itself (resolved when written, if an earlier transaction
         * made it), of a recent block, or of the store.
         */
        void resolveInputs() {
            created = new OutputTable(outputCount);
            long seq = firstSeq;
            long outputId = firstOutput;
            for (NewBlock.NewTransaction tx : block.transactions()) {
                for (TxOutput o : tx.outputs()) {
                    int owner = o.owner().map(a -> ids.get(a.text())).orElse(OutputRecord.NO_OWNER);
                    created.add(tx.txid(), o.index(), o.value(), owner, seq, outputId + o.index());
                }
                seq++;
                outputId += tx.outputs().size();
            }
            OutputTable held = recent.table();
            List<Outpoint> wanted = new ArrayList<>(spendCount);
            IntArrayList wantedAt = new IntArrayList(spendCount);
            int k = 0;
            for (NewBlock.NewTransaction tx : block.transactions()) {
                for (Outpoint op : tx.spends()) {
                    int at = k++;
                    inputRow[at] = UNRESOLVED;
                    if (op.equals(Outpoint.COINBASE)) {
                        continue;
                    }
                    int row = created.find(op.txid(), op.vout());
                    if (row >= 0) {
                        inputRow[at] = row;
                        continue;
                    }
                    row = recent.find(op.txid(), op.vout());
                    if (row >= 0) {
                        // created by a recent block, perhaps one still being written
                        found(at, held.value(row), held.owner(row), held.seq(row), held.outputId(row));
                        spentRecent.add(op);
                    } else {
                        wanted.add(op);
                        wantedAt.add(at);
                    }
                }
            }
            List<byte[]> keys = new ArrayList<>(wanted.size());
            for (Outpoint op : wanted) {
                keys.add(Keys.outpoint(op));
            }
            List<byte[]> stored = files.multiGet(Family.OUTPUTS, keys);
            for (int i = 0; i < wanted.size(); i++) {
                byte[] v = stored.get(i);
                if (v != null) {
                    found(wantedAt.getInt(i), OutputRecord.value(v), OutputRecord.ownerId(v), OutputRecord.seq(v), OutputRecord.outputId(v));
                }
            }
        }

        private void found(int input, long value, int owner, long seq, long outputId) {
            inputRow[input] = FOUND;
            inputValue[input] = value;
            inputOwner[input] = owner;
            inputSeq[input] = seq;
            inputOutputId[input] = outputId;
        }

        void write(KeyOrderedWrites writes) {
            int position = 0;
            long outputId = firstOutput;
            int at = 0;
            int rowsWritten = 0;
            PageBodies bodies = new PageBodies(writes);
            Touched touched = new Touched();
            for (NewBlock.NewTransaction tx : block.transactions()) {
                touched.clear();
                long seq = firstSeq + position;
                TxPages.Body body = new TxPages.Body(seq, tx.spends().size(), tx.outputs().size(), outputId);
                byte[] txid = tx.txid().bytes();
                ByteBuffer rec = ByteBuffer.allocate(32 + 4 + 8 + 4 + 4 + 4 + tx.spends().size() * 49);
                rec.put(block.hash().bytes()).putInt(block.height()).putLong(block.time()).putInt(position)
                        .putInt(tx.spends().size()).putInt(tx.outputs().size());
                int inputIndex = 0;
                for (Outpoint op : tx.spends()) {
                    inputs++;
                    if (op.equals(Outpoint.COINBASE)) {
                        rec.put(Hash256.ZERO.bytes()).putInt(-1).put((byte) InputStatus.COINBASE.ordinal()).putLong(0)
                                .putInt(OutputRecord.NO_OWNER);
                        body.input(-1, -1, 0);
                    } else {
                        int row = inputRow[at];
                        // An output of this block is spent only by a later transaction of it (Bitcoin's order).
                        if (row >= 0 && row < rowsWritten) {
                            found(at, created.value(row), created.owner(row), created.seq(row), created.outputId(row));
                        }
                        if (inputRow[at] != FOUND) {
                            unresolved++;
                            rec.put(op.txid().bytes()).putInt(op.vout()).put((byte) InputStatus.UNRESOLVED.ordinal()).putLong(0)
                                    .putInt(OutputRecord.NO_OWNER);
                            body.input(-1, -1, 0);
                        } else {
                            long prevValue = inputValue[at];
                            int prevOwner = inputOwner[at];
                            long prevSeq = inputSeq[at];
                            rec.put(op.txid().bytes()).putInt(op.vout()).put((byte) InputStatus.RESOLVED.ordinal())
                                    .putLong(prevValue).putInt(prevOwner);
                            body.input(inputOutputId[at], prevSeq, prevValue);
                            bodies.beforeSpendOf(prevSeq);
                            writes.merge(Family.TX_PAGES, TxPages.pageKey(prevSeq), TxPages.spend(prevSeq, op.vout(), seq));
                            if (prevOwner != OutputRecord.NO_OWNER) {
                                touched.add(prevOwner, SENT);
                            }
                        }
                        byte[] spend = new byte[36];
                        tx.txid().copyTo(spend, 0);
                        Keys.putInt(spend, 32, inputIndex);
                        writes.put(Family.SPENDS, Keys.outpoint(op), spend);
                    }
                    inputIndex++;
                    at++;
                }
                for (TxOutput o : tx.outputs()) {
                    outputs++;
                    value = Math.addExact(value, o.value());
                    int row = rowsWritten++;
                    int owner = created.owner(row);
                    body.output(o.value(), owner);
                    writes.put(Family.OUTPUTS, Keys.outpoint(tx.txid(), o.index()),
                            OutputRecord.encode(o.value(), o.kind(), owner, seq, created.outputId(row)));
                    if (owner != OutputRecord.NO_OWNER) {
                        touched.add(owner, RECEIVED);
                    }
                }
                writes.put(Family.TRANSACTIONS, txid, rec.array());
                bodies.add(seq, body.encode());
                writes.put(Family.TX_IDS, Keys.number(seq), txid);
                outputId += tx.outputs().size();
                for (int k = 0; k < touched.n; k++) {
                    writes.put(Family.ADDRESS_TXS, Keys.addressTx(touched.owners[k], block.height(), position, tx.txid()), new byte[] {touched.flags[k]});
                }
                position++;
            }
            bodies.flush();
            for (Map.Entry<String, Integer> e : newIds.entrySet()) {
                addresses.put(writes, e.getKey(), newKinds.get(e.getKey()), e.getValue());
            }
            byte[] work = block.chainWork().toByteArray();
            ByteBuffer b = ByteBuffer.allocate(4 + 8 + 32 + 4 + 2 + work.length + 8 + 8 + 4);
            b.putInt(block.height()).putLong(block.time()).put(block.prev().bytes()).putInt(block.transactions().size())
                    .putShort((short) work.length).put(work).putLong(firstSeq).putLong(block.bits()).putInt(firstOwner);
            writes.put(Family.BLOCKS, block.hash().bytes(), b.array());
            if (block.height() != BlockRef.UNKNOWN_HEIGHT) {
                writes.put(Family.BLOCK_HEIGHTS, Keys.height(block.height()), block.hash().bytes());
            }
        }
    }
}
