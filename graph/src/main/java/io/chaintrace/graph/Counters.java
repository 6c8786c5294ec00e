package io.chaintrace.graph;

import java.nio.charset.StandardCharsets;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The store's running totals, kept in {@code meta} and written in the same batch as the block that
 * moves them. Guarded by the store's write lock.
 */
final class Counters {
    private static final String[] NAMES = {"blocks", "txs", "inputs", "outputs", "outputValue", "addresses", "owners",
        "unresolvedInputs", "nextAddressId", "fetchedTxs"};
    long blocks;
    long txs;
    long inputs;
    long outputs;
    long outputValue;
    long addresses;
    long owners;
    long unresolvedInputs;
    int nextAddressId;
    /** Transactions written by fetches (outside whole blocks). */
    long fetchedTxs;

    private Counters() {
    }

    static Counters read(StoreFiles files) {
        Counters c = new Counters();
        long[] v = new long[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            v[i] = files.meta(NAMES[i], 0);
        }
        c.blocks = v[0];
        c.txs = v[1];
        c.inputs = v[2];
        c.outputs = v[3];
        c.outputValue = v[4];
        c.addresses = v[5];
        c.owners = v[6];
        c.unresolvedInputs = v[7];
        c.nextAddressId = Math.toIntExact(v[8]);
        c.fetchedTxs = v[9];
        return c;
    }

    /** After a Bitcoin block. */
    Counters plus(int transactions, long inputs, long outputs, long value, long standardAddresses, int newOwners, long unresolved) {
        Counters n = copy();
        n.blocks = blocks + 1;
        n.txs = txs + transactions;
        n.inputs = this.inputs + inputs;
        n.outputs = this.outputs + outputs;
        n.outputValue = Math.addExact(outputValue, value);
        n.addresses = addresses + standardAddresses;
        n.owners = owners + newOwners;
        n.unresolvedInputs = unresolvedInputs + unresolved;
        n.nextAddressId = Math.addExact(nextAddressId, newOwners);
        return n;
    }

    /** Before a Bitcoin block that is rolled back: {@link #plus} undone, but for the next owner id (the caller's to set). */
    Counters minusBlock(int transactions, long inputs, long outputs, long value, long standardAddresses, int owners, long unresolved) {
        Counters n = copy();
        n.blocks = blocks - 1;
        n.txs = txs - transactions;
        n.inputs = this.inputs - inputs;
        n.outputs = this.outputs - outputs;
        n.outputValue = Math.subtractExact(outputValue, value);
        n.addresses = addresses - standardAddresses;
        n.owners = this.owners - owners;
        n.unresolvedInputs = unresolvedInputs - unresolved;
        return n;
    }

    /** After fetched transactions (no block). */
    Counters plusFetched(int transactions, long inputs, long outputs, long value, long standardAddresses, int newOwners, long unresolved) {
        Counters n = plus(transactions, inputs, outputs, value, standardAddresses, newOwners, unresolved);
        n.blocks = blocks;
        n.fetchedTxs = fetchedTxs + transactions;
        return n;
    }

    /** After an Ethereum block: only the owner counters move (accounts have a standard address). */
    Counters plusAccounts(int newAccounts) {
        Counters n = copy();
        n.addresses = addresses + newAccounts;
        n.owners = owners + newAccounts;
        n.nextAddressId = Math.addExact(nextAddressId, newAccounts);
        return n;
    }

    private Counters copy() {
        Counters n = new Counters();
        n.set(this);
        return n;
    }

    void set(Counters n) {
        blocks = n.blocks;
        txs = n.txs;
        inputs = n.inputs;
        outputs = n.outputs;
        outputValue = n.outputValue;
        addresses = n.addresses;
        owners = n.owners;
        unresolvedInputs = n.unresolvedInputs;
        nextAddressId = n.nextAddressId;
        fetchedTxs = n.fetchedTxs;
    }

    void write(WriteBatch batch, StoreFiles files) throws RocksDBException {
        KeyOrderedWrites writes = new KeyOrderedWrites();
        write(writes);
        writes.writeTo(batch, files);
    }

    void write(KeyOrderedWrites writes) {
        long[] v = {blocks, txs, inputs, outputs, outputValue, addresses, owners, unresolvedInputs, nextAddressId, fetchedTxs};
        for (int i = 0; i < NAMES.length; i++) {
            writes.put(Family.META, NAMES[i].getBytes(StandardCharsets.US_ASCII), Keys.number(v[i]));
        }
    }

    StoreStats stats() {
        return new StoreStats(blocks, txs, inputs, outputs, outputValue, addresses, owners, unresolvedInputs, fetchedTxs);
    }
}
