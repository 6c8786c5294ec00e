package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fan-in: at least {@code minPayers} distinct payers pay one address within {@code window}
 * seconds. A consolidation (many inputs of one owner in one transaction) is one payer.
 */
public final class FanInDetector implements PatternDetector {
    private final int minPayers;
    private final long window;
    private final CounterpartyWindow bursts;
    private final CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();

    public FanInDetector(int minPayers, long window) {
        this.minPayers = minPayers;
        this.window = window;
        this.bursts = new CounterpartyWindow(minPayers, window);
    }

    public static FanInDetector standard() {
        return new FanInDetector(5, 86_400);
    }

    @Override
    public String name() {
        return "fan_in";
    }

    @Override
    public void accept(UtxoTransaction tx, UtxoLedger ledger, Consumer<Alert> alerts) {
        Address payer = Payments.payerOfPayment(tx, coinjoins).orElse(null);
        if (payer == null) {
            return;
        }
        for (Payments.Payee p : Payments.payees(tx)) {
            List<CounterpartyWindow.Event> burst = bursts.add(p.address(), List.of(new CounterpartyWindow.Event(tx.block().time(), tx.txid(), payer, p.amount())));
            if (!burst.isEmpty()) {
                alerts.accept(Bursts.alert(name(), burst, 0.7, Map.of("minPayers", Integer.toString(minPayers), "windowSeconds", Long.toString(window),
                        "payee", p.address().text())));
            }
        }
    }
}
