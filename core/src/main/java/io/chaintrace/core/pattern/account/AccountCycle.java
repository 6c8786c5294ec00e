package io.chaintrace.core.pattern.account;

import io.chaintrace.core.pattern.Alert;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A cycle on an account chain: value leaves an address and comes back to it through {@code minHops} to {@code maxHops}
 * payments of one asset, each after the one before and carrying at least {@code minShare} of it (and at most 10% more), all within
 * {@code window}, through intermediaries that are not busy. Two hops (a loan repaid, a refund) are ordinary, hence
 * the minimum of three; a round trip through a pool or a router (a trader buying and later selling) passes a busy
 * address and is not one. A transfer belongs to one reported cycle at most.
 */
public final class AccountCycle implements AccountRule {
    /** Steps of the search from one payment: a bound on the work an address with many payments can cause. */
    static final int BUDGET = 5_000;
    /** A hop carries on what came in, less fees and cuts: at most a little more (a rounded figure), never double. */
    static final double MAX_GROWTH = 1.1;
    private final int minHops;
    private final int maxHops;
    private final long window;
    private final double minShare;

    public AccountCycle(int minHops, int maxHops, long window, double minShare) {
        this.minHops = minHops;
        this.maxHops = maxHops;
        this.window = window;
        this.minShare = minShare;
    }

    @Override
    public String name() {
        return "cycle";
    }

    @Override
    public void find(AccountActivity a, AccountScope scope, Consumer<Alert> alerts) {
        boolean[] used = new boolean[a.size()];
        int[] path = new int[maxHops];
        int[] visited = new int[maxHops + 1];
        AddressCounts oneHop = new AddressCounts(a.addresses());
        AddressCounts twoHops = new AddressCounts(a.addresses());
        for (int e = 0; e < a.size(); e++) {
            int home = a.from(e);
            if (used[e] || !scope.active(home) || !scope.active(a.to(e)) || !paysOn(a, e) || !nearHome(a, scope, e, oneHop, twoHops)) {
                continue;
            }
            path[0] = e;
            visited[0] = home;
            visited[1] = a.to(e);
            int[] budget = {BUDGET};
            int hops = extend(a, scope, used, path, visited, 1, budget, oneHop, twoHops);
            if (hops > 0 && java.util.Arrays.stream(visited, 0, hops).noneMatch(scope::service)) {
                int[] t = java.util.Arrays.copyOf(path, hops);
                for (int x : t) {
                    used[x] = true;
                }
                alerts.accept(AccountAlerts.of(name(), a, home, t, 0.75, Map.of("hops", Integer.toString(hops), "minHops",
                        Integer.toString(minHops), "maxHops", Integer.toString(maxHops), "windowSeconds", Long.toString(window),
                        "minShare", Double.toString(minShare))));
            }
        }
    }

    /** Whether the payee of {@code e} paid on some of it afterwards within the window: the cheapest test that a path goes on. */
    private boolean paysOn(AccountActivity a, int e) {
        int m = a.payeeParty(e);
        long end = a.time(e) + window;
        for (int j = a.firstOutFrom(m, a.time(e)); j < a.outCount(m); j++) {
            int f = a.outAt(m, j);
            if (a.time(f) > end) {
                return false;
            }
            if (f > e && a.value(f) >= minShare * a.value(e) && a.value(f) <= a.value(e) * MAX_GROWTH) {
                return true;
            }
        }
        return false;
    }

    /**
     * Marks who paid the payer of {@code e} that asset after {@code e} within the window (one hop from home), and who paid
     * those (two hops): the last two steps of a cycle must pass them, which prunes the widest levels of the search.
     * False when nobody paid it back at all.
     */
    private boolean nearHome(AccountActivity a, AccountScope scope, int e, AddressCounts oneHop, AddressCounts twoHops) {
        int home = a.payerParty(e);
        long end = a.time(e) + window;
        oneHop.clear();
        twoHops.clear();
        for (int k = a.inCount(home) - 1; k >= 0 && a.inAt(home, k) > e; k--) {
            int p1 = a.inAt(home, k);
            if (a.time(p1) > end || !scope.active(a.from(p1))) {
                continue;
            }
            if (oneHop.add(a.from(p1)) == 1) {
                int m = a.payerParty(p1);
                for (int j = a.inCount(m) - 1; j >= 0 && a.inAt(m, j) > e; j--) {
                    int p2 = a.inAt(m, j);
                    if (a.time(p2) <= end) {
                        twoHops.add(a.from(p2));
                    }
                }
            }
        }
        return oneHop.distinct() > 0;
    }

    /** Depth-first from the last payment of the path; returns the cycle's length in payments when one closes, else 0. */
    private int extend(AccountActivity a, AccountScope scope, boolean[] used, int[] path, int[] visited, int depth, int[] budget,
                       AddressCounts oneHop, AddressCounts twoHops) {
        int last = path[depth - 1];
        int m = a.payeeParty(last);
        long end = a.time(path[0]) + window;
        for (int j = a.firstOutFrom(m, a.time(last)); j < a.outCount(m); j++) {
            int f = a.outAt(m, j);
            if (a.time(f) > end || --budget[0] < 0) {
                return 0;
            }
            if (f <= last || used[f] || a.value(f) < minShare * a.value(last) || a.value(f) > a.value(last) * MAX_GROWTH) {
                continue;
            }
            int to = a.to(f);
            path[depth] = f;
            if (to == visited[0]) {
                if (depth + 1 >= minHops) {
                    return depth + 1;
                }
                continue;
            }
            int left = maxHops - depth - 1; // payments the path may still make after this one
            if (left < 1 || left == 1 && oneHop.count(to) == 0 || left == 2 && oneHop.count(to) == 0 && twoHops.count(to) == 0
                    || !scope.active(to) || seen(visited, depth + 1, to)) {
                continue;
            }
            visited[depth + 1] = to;
            int found = extend(a, scope, used, path, visited, depth + 1, budget, oneHop, twoHops);
            if (found > 0) {
                return found;
            }
        }
        return 0;
    }

    private static boolean seen(int[] visited, int n, int address) {
        for (int i = 0; i < n; i++) {
            if (visited[i] == address) {
                return true;
            }
        }
        return false;
    }
}
