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

    /** Whether an owner is a service the trace stops at. */
    boolean endpoint(int owner);
}
