package io.chaintrace.graph;

import io.chaintrace.core.model.Address;
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
import java.util.List;
import java.util.Map;

/**
 * One Bitcoin block on its way into a group ({@link BlockWriter}): its owners given ids, its inputs resolved against
 * its own outputs, the recent blocks' ({@link RecentOutputs}) and the store's, then every write it implies put in key
 * order. Everything that can fail on what the block says fails here, before the block joins a group.
 */
final class BlockWrite {
    /** {@link BlockWrite#inputRow} of an input whose output was found outside the block, and of one not found. */
    private static final int FOUND = -2;
    private static final int UNRESOLVED = -1;

    private final StoreFiles files;
    private final AddressBook addresses;
    private final RecentOutputs recent;
    private final NewBlock block;
    /**
     * The block's owners in order of first appearance, each with its kind and id, and the index among them of each
     * output's owner (block order; -1 for none): one look-up of an output's text, where maps of text to id, to kind and
     * of the new ones took five (issue 19).
     */
    private final List<String> ownerTexts;
    private final List<ScriptKind> ownerKinds;
    private int[] ownerIds;
    private final int[] outputOwner;
    /** Owners the block sees first (indexes among its owners), given ids in this order. */
    private final IntArrayList newOwners = new IntArrayList();
    /** The block's outputs in block order: what its later transactions spend of it, and what joins the {@link #recent}. */
    OutputTable created;
    /**
     * What each of the block's inputs (in block order) spends: a row of {@link #created}, or the output's fields
     * copied from the {@link #recent} or the store, or nothing found.
     */
    private final int[] inputRow;
    private final long[] inputValue;
    private final int[] inputOwner;
    private final long[] inputSeq;
    private final long[] inputOutputId;
    /** Inputs resolved from the {@link #recent} outputs: spent, they leave it once the block is appended. */
    final List<Outpoint> spentRecent;
    /** Outputs and spends in the block: the maps are sized by them once (a block of 3,000 transactions grew them ten times). */
    private final int outputCount;
    private final int spendCount;
    long inputs;
    long outputs;
    long value;
    long unresolved;
    long standardAddresses;
    /** Sequence number of the block's first transaction, id of its first output. */
    private final long firstSeq;
    private final long firstOutput;
    /** The first owner id this block may assign: what a rollback of it gives back. */
    private final int firstOwner;

    /** A block to be appended after what {@code counters} count (stored and gathered). */
    BlockWrite(NewBlock block, StoreFiles files, Counters counters, AddressBook addresses, RecentOutputs recent) {
        this.block = block;
        this.files = files;
        this.addresses = addresses;
        this.recent = recent;
        int o = 0;
        int i = 0;
        for (NewBlock.NewTransaction tx : block.transactions()) {
            o += tx.outputs().size();
            i += tx.spends().size();
        }
        outputCount = o;
        spendCount = i;
        ownerTexts = new ArrayList<>(o);
        ownerKinds = new ArrayList<>(o);
        outputOwner = new int[o];
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
        Map<String, Integer> index = HashMap.newHashMap(outputCount);
        int k = 0;
        for (NewBlock.NewTransaction tx : block.transactions()) {
            for (TxOutput o : tx.outputs()) {
                if (o.owner().isEmpty()) {
                    outputOwner[k++] = -1;
                    continue;
                }
                Address a = o.owner().get();
                Integer at = index.putIfAbsent(a.text(), ownerTexts.size());
                if (at == null) {
                    at = ownerTexts.size();
                    ownerTexts.add(a.text());
                    ownerKinds.add(a.kind());
                }
                outputOwner[k++] = at;
            }
        }
        ownerIds = new int[ownerTexts.size()];
        IntArrayList missing = new IntArrayList();
        for (int i = 0; i < ownerIds.length; i++) {
            Integer id = addresses.cachedId(ownerTexts.get(i));
            if (id != null) {
                ownerIds[i] = id;
            } else {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<byte[]> keys = new ArrayList<>(missing.size());
        for (int i : missing) {
            keys.add(ownerTexts.get(i).getBytes(StandardCharsets.UTF_8));
        }
        List<byte[]> found = files.multiGet(Family.ADDRESS_IDS, keys);
        int next = firstOwner;
        for (int m = 0; m < missing.size(); m++) {
            int i = missing.getInt(m);
            byte[] v = found.get(m);
            if (v != null) {
                ownerIds[i] = Keys.getInt(v, 0);
                addresses.remember(ownerTexts.get(i), ownerIds[i]);
            } else {
                ownerIds[i] = next++;
                newOwners.add(i);
                if (ownerKinds.get(i).hasStandardAddress()) {
                    standardAddresses++;
                }
            }
        }
    }

    /** How many owners the block sees first. */
    int newOwners() {
        return newOwners.size();
    }

    /** Keeps the ids of the owners the block sees first in {@code book}'s cache. */
    void rememberNewOwners(AddressBook book) {
        for (int i : newOwners) {
            book.remember(ownerTexts.get(i), ownerIds[i]);
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
        int output = 0;
        for (NewBlock.NewTransaction tx : block.transactions()) {
            for (TxOutput o : tx.outputs()) {
                int at = outputOwner[output++];
                int owner = at < 0 ? OutputRecord.NO_OWNER : ownerIds[at];
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

    /** Puts the block's writes in {@code writes} and its address history in {@code history}. */
    void write(KeyOrderedWrites writes, AddressHistory history) {
        int position = 0;
        long outputId = firstOutput;
        int at = 0;
        int rowsWritten = 0;
        PageBodies bodies = new PageBodies(writes);
        AddressHistory.Touched touched = new AddressHistory.Touched();
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
                        // The output is not in the store, nor then its page: its spend goes to `spends` (see Spends).
                        byte[] spend = new byte[36];
                        tx.txid().copyTo(spend, 0);
                        Keys.putInt(spend, 32, inputIndex);
                        writes.put(Family.SPENDS, Keys.outpoint(op), spend);
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
                            touched.add(prevOwner, Keys.SENT);
                        }
                    }
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
                    touched.add(owner, Keys.RECEIVED);
                }
            }
            writes.put(Family.TRANSACTIONS, txid, rec.array());
            bodies.add(seq, body.encode());
            writes.put(Family.TX_IDS, Keys.number(seq), txid);
            outputId += tx.outputs().size();
            for (int k = 0; k < touched.n; k++) {
                history.add(touched.owners[k], block.height(), position, tx.txid(), touched.flags[k]);
            }
            position++;
        }
        bodies.flush();
        for (int i : newOwners) {
            addresses.put(writes, ownerTexts.get(i), ownerKinds.get(i), ownerIds[i]);
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
}
