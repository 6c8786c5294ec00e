package io.chaintrace.core.pattern.account;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.pattern.Alert;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An account rule's finding as an {@link Alert}: its transfers' transactions (each once), addresses, amounts and times. */
final class AccountAlerts {
    private AccountAlerts() {
    }

    /**
     * @param subject the address the pattern is about (the payer of a fan-out, the hub, the cycle's home), listed first
     * @param transfers the transfers that make the case, in chain order
     */
    static Alert of(String pattern, AccountActivity a, int subject, int[] transfers, double confidence, Map<String, String> parameters) {
        LinkedHashSet<Hash256> txs = new LinkedHashSet<>();
        LinkedHashSet<Address> who = new LinkedHashSet<>();
        who.add(a.address(subject));
        List<BigInteger> amounts = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        int[] sorted = transfers.clone();
        java.util.Arrays.sort(sorted);
        for (int t : sorted) {
            txs.add(a.tx(t));
            who.add(a.address(a.from(t)));
            who.add(a.address(a.to(t)));
            amounts.add(a.units(t));
            times.add(a.time(t));
        }
        Map<String, String> p = new TreeMap<>(parameters);
        p.put("asset", a.asset(sorted[0]).symbol());
        a.asset(sorted[0]).contract().ifPresent(c -> p.put("contract", c.text()));
        p.put("subject", a.address(subject).text());
        return new Alert(pattern, List.copyOf(txs), List.copyOf(who), amounts, times, confidence, p);
    }
}
