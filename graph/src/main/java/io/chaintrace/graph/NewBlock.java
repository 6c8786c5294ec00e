package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxOutput;
import java.math.BigInteger;
import java.util.List;

/**
 * A main-chain block as a source hands it to the store: the store resolves input values and
 * owners and assigns address ids itself.
 *
 * @param height    {@link io.chaintrace.core.model.BlockRef#UNKNOWN_HEIGHT} when not known
 * @param chainWork total work of the chain up to and including this block, as far as known
 * @param bits      the header's difficulty target in compact form (nBits), or -1 for a generated block without one
 */
public record NewBlock(Hash256 hash, Hash256 prev, int height, long time, BigInteger chainWork, long bits,
                       List<NewTransaction> transactions) {
    public NewBlock {
        transactions = List.copyOf(transactions);
    }

    /** A block with no header difficulty (generated chains). */
    public NewBlock(Hash256 hash, Hash256 prev, int height, long time, BigInteger chainWork, List<NewTransaction> transactions) {
        this(hash, prev, height, time, chainWork, -1, transactions);
    }

    /** One transaction: the outpoints it spends ({@link Outpoint#COINBASE} for a coinbase) and its outputs, in index order. */
    public record NewTransaction(Hash256 txid, List<Outpoint> spends, List<TxOutput> outputs) {
        public NewTransaction {
            spends = List.copyOf(spends);
            outputs = List.copyOf(outputs);
            for (int i = 0; i < outputs.size(); i++) {
                if (outputs.get(i).index() != i) {
                    throw new IllegalArgumentException("output " + i + " of " + txid + " has index " + outputs.get(i).index());
                }
            }
        }
    }
}
