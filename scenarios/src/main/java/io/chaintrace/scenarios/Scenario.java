package io.chaintrace.scenarios;

import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.trace.MemoryLedger;
import java.util.List;
import java.util.Map;

/**
 * A generated UTXO chain: blocks in chain order, the labels of its services, the theft outputs to
 * seed a trace with, and per policy the taint every endpoint entity must receive (satoshi) when
 * the trace stops at labelled services with enough hops.
 */
public record Scenario(List<Block> blocks, List<Label> labels, List<Outpoint> thefts, Map<String, Map<String, Long>> expectedEndpoints,
                       Map<String, Long> expectedFees, int hopsNeeded) {
    /** A block: height, hash, parent, time, transactions. */
    public record Block(int height, Hash256 hash, Hash256 parent, long time, List<Tx> transactions) {
    }

    /** A transaction: what it spends ({@link Outpoint#COINBASE} for new coins) and its outputs. */
    public record Tx(Hash256 txid, List<Outpoint> spends, List<TxOutput> outputs) {
    }

    public int transactionCount() {
        return blocks.stream().mapToInt(b -> b.transactions().size()).sum();
    }

    /** The chain and labels in memory, for tracing without a store. */
    public MemoryLedger toLedger() {
        MemoryLedger l = new MemoryLedger();
        for (Block b : blocks) {
            int pos = 0;
            for (Tx t : b.transactions()) {
                l.add(t.txid(), new BlockRef(b.height(), b.hash(), b.time()), pos++, t.spends(), t.outputs());
            }
        }
        labels.forEach(l::label);
        return l;
    }
}
