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
 * Scatter-gather on an account chain: a source pays at least {@code minWidth} distinct intermediaries one asset, each
 * pays at least {@code minShare} of what it got on to one beneficiary, all within {@code window}; the source's payments
 * in that window are at least {@code minShare} of all it paid in that asset (a split, not a steady payer), and neither
 * the intermediaries nor the beneficiary are busy (people who withdraw from one exchange and deposit to another meet at
 * a wallet that deals with everyone).
 */
public final class AccountScatterGather implements AccountRule {
    private final int minWidth;
    private final long window;
    private final double minShare;

    public AccountScatterGather(int minWidth, long window, double minShare) {
        this.minWidth = minWidth;
        this.window = window;
        this.minShare = minShare;
    }

    @Override
    public String name() {
        return "scatter_gather";
    }

    /** One leg: the source paid the intermediary ({@code scatter}), which paid the beneficiary ({@code gather}). */
    private record Leg(int scatter, int gather) {
    }

    @Override
    public void find(AccountActivity a, AccountScope scope, Consumer<Alert> alerts) {
        AddressCounts legsTo = new AddressCounts(a.addresses());
        int[] scatter = new int[64];
        int[] gather = new int[64];
        for (int s = 0; s < a.parties(); s++) {
            int n = a.outCount(s);
            int source = a.partyAddress(s);
            if (n < minWidth || !scope.active(source)) {
                continue;
            }
            // Every leg source -> intermediary -> beneficiary, counted per beneficiary; most sources have no
            // beneficiary reached through enough legs, and nothing more is built for them.
            legsTo.clear();
            int legs = 0;
            boolean wide = false;
            for (int k = 0; k < n; k++) {
                int e = a.outAt(s, k);
                int m = a.payeeParty(e);
                if (!scope.active(a.to(e))) {
                    continue;
                }
                for (int j = a.firstOutFrom(m, a.time(e)); j < a.outCount(m); j++) {
                    int f = a.outAt(m, j);
                    if (a.time(f) > a.time(e) + window) {
                        break;
                    }
                    if (f > e && a.to(f) != source && a.value(f) >= minShare * a.value(e) && !scope.busy(a.to(f))) {
                        if (legs == scatter.length) {
                            scatter = java.util.Arrays.copyOf(scatter, legs * 2);
                            gather = java.util.Arrays.copyOf(gather, legs * 2);
                        }
                        scatter[legs] = e;
                        gather[legs++] = f;
                        wide |= legsTo.add(a.to(f)) >= minWidth;
                    }
                }
            }
            if (!wide || scope.service(source)) {
                continue;
            }
            Map<Integer, List<Leg>> byBeneficiary = new HashMap<>();
            for (int i = 0; i < legs; i++) {
                int b = a.to(gather[i]);
                if (legsTo.count(b) >= minWidth && !scope.service(a.to(scatter[i]))) {
                    byBeneficiary.computeIfAbsent(b, x -> new ArrayList<>()).add(new Leg(scatter[i], gather[i]));
                }
            }
            for (Map.Entry<Integer, List<Leg>> b : byBeneficiary.entrySet()) {
                List<Leg> found = widest(a, b.getValue());
                if (found.size() >= minWidth && inWindowShare(a, s, found) >= minShare) {
                    int[] t = new int[found.size() * 2];
                    for (int i = 0; i < found.size(); i++) {
                        t[2 * i] = found.get(i).scatter;
                        t[2 * i + 1] = found.get(i).gather;
                    }
                    alerts.accept(AccountAlerts.of(name(), a, source, t, 0.8, Map.of("intermediaries", Integer.toString(found.size()),
                            "beneficiary", a.address(b.getKey()).text(), "minWidth", Integer.toString(minWidth),
                            "windowSeconds", Long.toString(window), "minShare", Double.toString(minShare))));
                }
            }
        }
    }

    /** The legs, one per intermediary, of the window (from a scatter payment) reaching the most distinct intermediaries. */
    private List<Leg> widest(AccountActivity a, List<Leg> legs) {
        legs.sort((x, y) -> Integer.compare(x.scatter, y.scatter));
        List<Leg> best = List.of();
        for (int i = 0; i < legs.size(); i++) {
            long end = a.time(legs.get(i).scatter) + window;
            Set<Integer> seen = new HashSet<>();
            List<Leg> in = new ArrayList<>();
            for (int j = i; j < legs.size() && a.time(legs.get(j).scatter) <= end; j++) {
                Leg l = legs.get(j);
                if (a.time(l.gather) <= end && seen.add(a.to(l.scatter))) {
                    in.add(l);
                }
            }
            if (in.size() > best.size()) {
                best = in;
            }
        }
        return best;
    }

    /** Of the source's payments in the asset, the share made within the found window. */
    private static double inWindowShare(AccountActivity a, int party, List<Leg> legs) {
        long from = a.time(legs.getFirst().scatter);
        long to = legs.stream().mapToLong(l -> a.time(l.scatter)).max().orElseThrow();
        int in = 0;
        for (int k = a.firstOutFrom(party, from); k < a.outCount(party) && a.time(a.outAt(party, k)) <= to; k++) {
            in++;
        }
        return (double) in / a.outCount(party);
    }
}
