package io.chaintrace.core.trace;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A UTXO ledger held in memory, filled transaction by transaction in chain order and resolving
 * inputs exactly as the store does. For generated chains (scenarios with known answers, property
 * tests, benchmarks) where a store on disk would only slow things down.
 */
public final class MemoryLedger implements UtxoLedger {
    private final Map<Hash256, UtxoTransaction> txs = new HashMap<>();
    private final Map<Outpoint, TxOutput> outputs = new HashMap<>();
    private final Map<Outpoint, Spend> spends = new HashMap<>();
    private final Map<String, List<Hash256>> history = new HashMap<>();
    private final Map<String, List<Label>> labels = new HashMap<>();

    /**
     * Adds a transaction: {@link Outpoint#COINBASE} for new coins; other outpoints resolve against
     * what was added before (unresolved when unknown).
     */
    public UtxoTransaction add(Hash256 txid, BlockRef block, int position, List<Outpoint> spent, List<TxOutput> outs) {
        List<TxInput> inputs = new ArrayList<>(spent.size());
        for (int i = 0; i < spent.size(); i++) {
            Outpoint op = spent.get(i);
            if (op.equals(Outpoint.COINBASE)) {
                inputs.add(new TxInput(op, InputStatus.COINBASE, 0, Optional.empty()));
                continue;
            }
            TxOutput prev = outputs.get(op);
            inputs.add(prev == null ? new TxInput(op, InputStatus.UNRESOLVED, 0, Optional.empty())
                    : new TxInput(op, InputStatus.RESOLVED, prev.value(), prev.owner()));
            if (spends.putIfAbsent(op, new Spend(op, txid, i)) != null) {
                throw new IllegalArgumentException(op + " is spent twice");
            }
            if (prev != null) {
                prev.owner().ifPresent(a -> touch(a, txid));
            }
        }
        UtxoTransaction tx = new UtxoTransaction(txid, block, position, inputs, outs);
        if (txs.putIfAbsent(txid, tx) != null) {
            throw new IllegalArgumentException("transaction " + txid + " added twice");
        }
        for (TxOutput o : outs) {
            outputs.put(new Outpoint(txid, o.index()), o);
            o.owner().ifPresent(a -> touch(a, txid));
        }
        return tx;
    }

    private void touch(Address a, Hash256 txid) {
        List<Hash256> h = history.computeIfAbsent(a.text(), k -> new ArrayList<>());
        if (h.isEmpty() || !h.getLast().equals(txid)) {
            h.add(txid);
        }
    }

    /** Attaches a label to its address. */
    public void label(Label label) {
        labels.computeIfAbsent(label.address().text(), k -> new ArrayList<>()).add(label);
    }

    public int size() {
        return txs.size();
    }

    @Override
    public Optional<UtxoTransaction> transaction(Hash256 txid) {
        return Optional.ofNullable(txs.get(txid));
    }

    @Override
    public Optional<Spend> spenderOf(Outpoint outpoint) {
        return Optional.ofNullable(spends.get(outpoint));
    }

    @Override
    public List<Hash256> transactionsOf(Address address) {
        return List.copyOf(history.getOrDefault(address.text(), List.of()));
    }

    @Override
    public List<Label> labelsOf(Address address) {
        return List.copyOf(labels.getOrDefault(address.text(), List.of()));
    }
}
