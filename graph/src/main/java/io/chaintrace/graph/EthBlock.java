package io.chaintrace.graph;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Ethereum block as a source hands it to the store: its header facts, every value transfer in
 * it (native, internal, token) in block order, and the gas price (wei) of the transactions that
 * moved value, where the source gives it (mixer linking compares them).
 */
public record EthBlock(long number, Hash256 hash, Hash256 parent, long time, List<AccountTransfer> transfers, Map<Hash256, BigInteger> gasPrices) {
    public EthBlock {
        transfers = List.copyOf(transfers);
        gasPrices = Map.copyOf(gasPrices);
    }

    /** Without gas prices. */
    public EthBlock(long number, Hash256 hash, Hash256 parent, long time, List<AccountTransfer> transfers) {
        this(number, hash, parent, time, transfers, Map.of());
    }

    /** The gas prices of the transactions among {@code transfers}, from those of every transaction of the block. */
    public static Map<Hash256, BigInteger> gasPrices(List<AccountTransfer> transfers, Map<Hash256, BigInteger> ofEveryTx) {
        Map<Hash256, BigInteger> m = new HashMap<>();
        for (AccountTransfer t : transfers) {
            BigInteger g = ofEveryTx.get(t.txHash());
            if (g != null) {
                m.put(t.txHash(), g);
            }
        }
        return m;
    }
}
