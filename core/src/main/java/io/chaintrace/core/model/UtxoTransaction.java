package io.chaintrace.core.model;

import java.util.List;
import java.util.OptionalLong;

/**
 * A confirmed Bitcoin transaction as the store knows it: its block, its position in the block,
 * its inputs with resolved values where the funding transaction is stored, and its outputs.
 */
public record UtxoTransaction(Hash256 txid, BlockRef block, int position, List<TxInput> inputs, List<TxOutput> outputs) {
    public UtxoTransaction {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public boolean coinbase() {
        return !inputs.isEmpty() && inputs.getFirst().status() == InputStatus.COINBASE;
    }

    public long outputValue() {
        long sum = 0;
        for (TxOutput o : outputs) {
            sum = Math.addExact(sum, o.value());
        }
        return sum;
    }

    /** Whether every input's value is known (coinbase inputs create value and count as known). */
    public boolean fullyResolved() {
        return inputs.stream().noneMatch(i -> i.status() == InputStatus.UNRESOLVED);
    }

    /** The miner's fee, when every input is resolved; empty for coinbase or partly unresolved ones. */
    public OptionalLong fee() {
        if (coinbase() || !fullyResolved()) {
            return OptionalLong.empty();
        }
        long in = 0;
        for (TxInput i : inputs) {
            in = Math.addExact(in, i.value());
        }
        return OptionalLong.of(in - outputValue());
    }
}
