package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Alerts made of windowed bursts: their transactions (each once), counterparties, amounts and times. */
final class Bursts {
    private Bursts() {
    }

    static Alert alert(String pattern, List<CounterpartyWindow.Event> events, double confidence, Map<String, String> parameters) {
        return alert(pattern, List.of(), List.of(), events, confidence, parameters);
    }

    /** The same, led by transactions and addresses that set the burst up (a scatter's funding, a beneficiary). */
    static Alert alert(String pattern, List<Hash256> leadingTxs, List<Address> leadingAddresses, List<CounterpartyWindow.Event> events,
                       double confidence, Map<String, String> parameters) {
        LinkedHashSet<Hash256> txs = new LinkedHashSet<>(leadingTxs);
        List<Address> who = new ArrayList<>(leadingAddresses);
        List<Long> amounts = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (CounterpartyWindow.Event e : events) {
            txs.add(e.tx());
            who.add(e.counterparty());
            amounts.add(e.amount());
            times.add(e.time());
        }
        return Alert.of(pattern, List.copyOf(txs), who, amounts, times, confidence, parameters);
    }
}
