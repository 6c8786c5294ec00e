package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Scatter-gather: a source pays at least {@code minWidth} intermediaries, which then pay one
 * beneficiary, all within {@code window} seconds: the beneficiary's fan-in comes from addresses
 * the same source had funded.
 */
public final class ScatterGatherDetector implements PatternDetector {
    private final int minWidth;
    private final long window;
    private final CounterpartyWindow gathers;
    private final CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();
    private final TimedMap<String, Funding> fundedBy = new TimedMap<>();

    private record Funding(String source, long time, Hash256 tx) {
    }

    public ScatterGatherDetector(int minWidth, long window) {
        this.minWidth = minWidth;
        this.window = window;
        this.gathers = new CounterpartyWindow(minWidth, window);
    }

    public static ScatterGatherDetector standard() {
        return new ScatterGatherDetector(5, 86_400);
    }

    @Override
    public String name() {
        return "scatter_gather";
    }

    @Override
    public void accept(UtxoTransaction tx, UtxoLedger ledger, Consumer<Alert> alerts) {
        Address payer = Payments.payerOfPayment(tx, coinjoins).orElse(null);
        if (payer == null) {
            return;
        }
        long time = tx.block().time();
        fundedBy.expire(time, window);
        for (Payments.Payee p : Payments.payees(tx)) {
            fundedBy.put(p.address().text(), new Funding(payer.text(), time, tx.txid()), time);
            List<CounterpartyWindow.Event> burst = gathers.add(p.address(), List.of(new CounterpartyWindow.Event(time, tx.txid(), payer, p.amount())));
            if (!burst.isEmpty()) {
                check(p.address(), burst, alerts);
            }
        }
    }

    /** A fan-in completed at {@code beneficiary}: did one source fund enough of its payers? */
    private void check(Address beneficiary, List<CounterpartyWindow.Event> burst, Consumer<Alert> alerts) {
        Map<String, List<Funding>> bySource = new HashMap<>();
        long start = burst.getFirst().time();
        for (CounterpartyWindow.Event e : burst) {
            Funding f = fundedBy.get(e.counterparty().text());
            if (f != null && start - f.time() <= window) {
                bySource.computeIfAbsent(f.source(), k -> new ArrayList<>()).add(f);
            }
        }
        for (Map.Entry<String, List<Funding>> e : bySource.entrySet()) {
            if (e.getValue().size() >= minWidth) {
                alerts.accept(Bursts.alert(name(), e.getValue().stream().map(Funding::tx).toList(), List.of(beneficiary), burst, 0.8,
                        Map.of("minWidth", Integer.toString(minWidth), "windowSeconds", Long.toString(window), "source", e.getKey(),
                                "beneficiary", beneficiary.text())));
                return;
            }
        }
    }
}
