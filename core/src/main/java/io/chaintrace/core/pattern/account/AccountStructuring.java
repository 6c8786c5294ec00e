package io.chaintrace.core.pattern.account;

import io.chaintrace.core.pattern.Alert;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Structuring on an account chain: an address makes at least {@code minPayments} payments of one asset within
 * {@code window}, each just under one threshold (within {@code margin} below a power of ten of the asset's units: 9,500
 * of a token under 10,000, 0.95 ETH under 1), and they are at least {@code minShare} of all it paid in that asset (a payroll whose
 * salaries happen to sit under a round figure pays them every month: no one window holds most of them). Thresholds are
 * powers of ten in the asset's own units, so no price is needed; paying exactly a round figure is not structuring. The
 * payments go to few payees, again and again (at most 0.6 per payment).
 */
public final class AccountStructuring implements AccountRule {
    /**
     * Structuring pays the same few again and again (an account kept under a reporting line); parts of a split, each to
     * its own payee, that happen to sit under a round figure are a fan-out's. At most this many payees per payment.
     */
    static final double MAX_PAYEES_PER_PAYMENT = 0.6;
    private final int minPayments;
    private final double margin;
    private final long window;
    private final double minShare;

    public AccountStructuring(int minPayments, double margin, long window, double minShare) {
        this.minPayments = minPayments;
        this.margin = margin;
        this.window = window;
        this.minShare = minShare;
    }

    @Override
    public String name() {
        return "structuring";
    }

    @Override
    public void find(AccountActivity a, AccountScope scope, Consumer<Alert> alerts) {
        for (int p = 0; p < a.parties(); p++) {
            int n = a.outCount(p);
            if (n < minPayments || !scope.active(a.partyAddress(p))) {
                continue;
            }
            Map<Double, List<Integer>> byThreshold = new HashMap<>();
            for (int k = 0; k < n; k++) {
                int t = a.outAt(p, k);
                double under = threshold(a.value(t));
                if (under > 0) {
                    byThreshold.computeIfAbsent(under, x -> new ArrayList<>()).add(k);
                }
            }
            for (Map.Entry<Double, List<Integer>> e : byThreshold.entrySet()) {
                List<Integer> ks = e.getValue();
                int left = 0;
                for (int right = 0; right < ks.size(); right++) {
                    while (a.time(a.outAt(p, ks.get(right))) - a.time(a.outAt(p, ks.get(left))) > window) {
                        left++;
                    }
                    int structured = right - left + 1;
                    if (structured >= minPayments && structured >= minShare * n && !scope.service(a.partyAddress(p))) {
                        // Extend to every structured payment of the window before reporting.
                        while (right + 1 < ks.size() && a.time(a.outAt(p, ks.get(right + 1))) - a.time(a.outAt(p, ks.get(left))) <= window) {
                            right++;
                        }
                        int[] t = new int[right - left + 1];
                        Set<Integer> payees = new HashSet<>();
                        for (int i = left; i <= right; i++) {
                            t[i - left] = a.outAt(p, ks.get(i));
                            payees.add(a.to(t[i - left]));
                        }
                        left = right + 1;
                        if (payees.size() > MAX_PAYEES_PER_PAYMENT * t.length) {
                            continue; // one part each to many payees: a split (fan-out), whatever the parts' size
                        }
                        alerts.accept(AccountAlerts.of(name(), a, a.partyAddress(p), t, 0.65, Map.of("payments", Integer.toString(t.length),
                                "threshold", String.format(java.util.Locale.ROOT, "%.0f", e.getKey()), "margin", Double.toString(margin),
                                "minPayments", Integer.toString(minPayments), "windowSeconds", Long.toString(window))));
                    }
                }
            }
        }
    }

    /** The power of ten an amount is just under (within the margin), or 0. */
    double threshold(double v) {
        if (v < 10) {
            return 0;
        }
        double power = Math.pow(10, Math.ceil(Math.log10(v)));
        if (power / v < 1 + 1e-12) {
            return 0; // a round figure: at the threshold, not under it
        }
        return v >= (1 - margin) * power ? power : 0;
    }
}
