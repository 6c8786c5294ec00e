package io.chaintrace.core.compact;

/**
 * A UTXO chain as the compact tracer reads it: transactions and outputs numbered densely, a
 * transaction's number above those of the transactions it spends from (chain order, or the order
 * a store ingested them in, which respects every resolved spend). Implemented by arrays in memory
 * ({@link CompactChain}) and by pages read lazily from a store ({@link PagedChain}).
 */
public interface UtxoRows {
    /** Transaction ids are 0 .. transactions() - 1. */
    int transactions();

    /** Output ids are 0 .. outputs() - 1. */
    int outputs();

    /**
     * Points {@code row} at transaction {@code tx}'s inputs and outputs. With {@code creators}, also
     * fills each input's funding transaction (LIFO orders inputs by it).
     */
    void load(int tx, TxRow row, boolean creators);

    /**
     * Points {@code row} at transaction {@code tx}'s outputs and their spenders only ({@code outFrom .. outTo} of
     * {@code outSpender}); its other fields may still describe an earlier transaction. Reachability needs no more, and
     * a store's page then skips decoding the transaction's values, owners and inputs.
     */
    default void loadSpenders(int tx, TxRow row) {
        load(tx, row, false);
    }

    /** Whether an owner is a service the trace stops at. */
    boolean endpoint(int owner);
}
