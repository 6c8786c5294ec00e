package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fan-out: one address pays at least {@code minPayees} distinct addresses within {@code window}
 * seconds (in one transaction or several). CoinJoins are not one payer and are skipped.
 */
public final class FanOutDetector implements PatternDetector {
    private final int minPayees;
    private final long window;
    private final CounterpartyWindow bursts;
    private final CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();

    public FanOutDetector(int minPayees, long window) {
        this.minPayees = minPayees;
        this.window = window;
        this.bursts = new CounterpartyWindow(minPayees, window);
    }

    public static FanOutDetector standard() {
        return new FanOutDetector(5, 86_400);
    }

    @Override
    public String name() {
        return "fan_out";
    }

    @Override
    public void accept(UtxoTransaction tx, UtxoLedger ledger, Consumer<Alert> alerts) {
        Address payer = Payments.payerOfPayment(tx, coinjoins).orElse(null);
        if (payer == null) {
            return;
        }
        List<CounterpartyWindow.Event> paid = Payments.payees(tx).stream()
                .map(p -> new CounterpartyWindow.Event(tx.block().time(), tx.txid(), p.address(), p.amount())).toList();
        List<CounterpartyWindow.Event> burst = bursts.add(payer, paid);
        if (!burst.isEmpty()) {
            alerts.accept(Bursts.alert(name(), burst, 0.7, Map.of("minPayees", Integer.toString(minPayees), "windowSeconds", Long.toString(window),
                    "payer", payer.text())));
        }
    }
}
