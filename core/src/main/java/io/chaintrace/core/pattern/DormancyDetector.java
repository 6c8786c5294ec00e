package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Dormancy: a transaction spends coins that rested at least {@code minRestSeconds} (default a year) untouched. */
public record DormancyDetector(long minRestSeconds) implements PatternDetector {
    public static final DormancyDetector DEFAULT = new DormancyDetector(365L * 86_400);

    @Override
    public String name() {
        return "dormancy";
    }

    @Override
    public void accept(UtxoTransaction tx, UtxoLedger ledger, Consumer<Alert> alerts) {
        if (tx.coinbase()) {
            return;
        }
        List<Hash256> txs = new ArrayList<>();
        List<Address> who = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (TxInput in : tx.inputs()) {
            Optional<UtxoTransaction> funding = ledger.transaction(in.prevout().txid());
            if (funding.isPresent() && tx.block().time() - funding.get().block().time() >= minRestSeconds) {
                txs.add(funding.get().txid());
                in.owner().ifPresent(who::add);
                amounts.add(in.value());
                times.add(funding.get().block().time());
            }
        }
        if (!txs.isEmpty()) {
            txs.add(tx.txid());
            times.add(tx.block().time());
            alerts.accept(Alert.of(name(), txs, who, amounts, times, 0.9, Map.of("minRestSeconds", Long.toString(minRestSeconds))));
        }
    }
}
