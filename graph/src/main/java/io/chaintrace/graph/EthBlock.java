package io.chaintrace.graph;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Hash256;
import java.util.List;

/**
 * An Ethereum block as a source hands it to the store: its header facts and every value transfer
 * in it (native, internal, token), in block order.
 */
public record EthBlock(long number, Hash256 hash, Hash256 parent, long time, List<AccountTransfer> transfers) {
    public EthBlock {
        transfers = List.copyOf(transfers);
    }
}
