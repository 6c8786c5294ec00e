package io.chaintrace.graph;

/**
 * Totals over what the store holds: main-chain blocks, and the transactions fetches brought in.
 *
 * @param inputs           inputs, coinbase inputs included
 * @param outputValue      sum of output values, satoshi
 * @param addresses        distinct owners with a standard address (P2PKH, P2SH, P2WPKH, P2WSH, P2TR)
 * @param owners           all distinct owners, keys and script hashes included
 * @param unresolvedInputs inputs whose funding transaction is not stored (and whose value no source gave)
 * @param fetchedTxs       of {@code txs}, those a fetch brought in without their blocks (seed neighbourhoods)
 */
public record StoreStats(long blocks, long txs, long inputs, long outputs, long outputValue, long addresses,
                         long owners, long unresolvedInputs, long fetchedTxs) {
    /** Totals of a store of whole blocks only. */
    public StoreStats(long blocks, long txs, long inputs, long outputs, long outputValue, long addresses, long owners, long unresolvedInputs) {
        this(blocks, txs, inputs, outputs, outputValue, addresses, owners, unresolvedInputs, 0);
    }
}
