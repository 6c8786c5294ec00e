package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gather-scatter: at least {@code minWidth} payers pay one hub, and within {@code window}
 * seconds the hub pays at least {@code minWidth} addresses.
 */
public final class GatherScatterDetector implements PatternDetector {
    private final int minWidth;
    private final long window;
    private final CounterpartyWindow gathers;
    private final CounterpartyWindow scatters;
    private final TimedMap<String, List<CounterpartyWindow.Event>> gathered = new TimedMap<>();
    private final CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();

    public GatherScatterDetector(int minWidth, long window) {
        this.minWidth = minWidth;
        this.window = window;
        this.gathers = new CounterpartyWindow(minWidth, window);
        this.scatters = new CounterpartyWindow(minWidth, window);
    }

    public static GatherScatterDetector standard() {
        return new GatherScatterDetector(5, 86_400);
    }

    @Override
    public String name() {
        return "gather_scatter";
    }

    @Override
    public void accept(UtxoTransaction tx, UtxoLedger ledger, Consumer<Alert> alerts) {
        Address payer = Payments.payerOfPayment(tx, coinjoins).orElse(null);
        if (payer == null) {
            return;
        }
        long time = tx.block().time();
        gathered.expire(time, window);
        List<CounterpartyWindow.Event> paid = new ArrayList<>();
        for (Payments.Payee p : Payments.payees(tx)) {
            List<CounterpartyWindow.Event> in = gathers.add(p.address(), List.of(new CounterpartyWindow.Event(time, tx.txid(), payer, p.amount())));
            if (!in.isEmpty()) {
                gathered.put(p.address().text(), in, time);
            }
            paid.add(new CounterpartyWindow.Event(time, tx.txid(), p.address(), p.amount()));
        }
        List<CounterpartyWindow.Event> before = gathered.get(payer.text());
        if (before == null) {
            return; // only a hub that has gathered can scatter
        }
        List<CounterpartyWindow.Event> out = scatters.add(payer, paid);
        if (!out.isEmpty() && out.getFirst().time() - before.getLast().time() <= window) {
            gathered.remove(payer.text());
            List<CounterpartyWindow.Event> both = new ArrayList<>(before);
            both.addAll(out);
            alerts.accept(Bursts.alert(name(), both, 0.8, Map.of("minWidth", Integer.toString(minWidth),
                    "windowSeconds", Long.toString(window), "hub", payer.text())));
        }
    }
}
