package io.chaintrace.core.pattern.account;

import io.chaintrace.core.pattern.Alert;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Rapid pass-through on an account chain: value received is paid on whole (at least {@code minShare} of it, to one
 * address) within {@code maxDelay}, and again by that address, hop after hop: at least {@code minLength} such forwards
 * through addresses that are not busy. An exchange deposit address sweeping into its hot wallet forwards once (the hot
 * wallet is busy); a router forwards in the same transaction but deals with everyone; someone paying on what they were
 * paid weeks later is not rapid. A chain that comes back to an address it passed is a cycle, reported as one.
 */
public final class AccountPassThrough implements AccountRule {
    private final double minShare;
    private final long maxDelay;
    private final int minLength;

    public AccountPassThrough(double minShare, long maxDelay, int minLength) {
        this.minShare = minShare;
        this.maxDelay = maxDelay;
        this.minLength = minLength;
    }

    @Override
    public String name() {
        return "pass_through";
    }

    /** Forwards an alert needs, hop after hop; a chain of fewer is not reported. */
    public int minLength() {
        return minLength;
    }

    /** Per transfer, the payment that forwards it (a hop of a chain), or -1. */
    int[] forwards(AccountActivity a, AccountScope scope) {
        return Forwards.whole(a, scope, maxDelay, minShare);
    }

    @Override
    public void find(AccountActivity a, AccountScope scope, Consumer<Alert> alerts) {
        int[] next = forwards(a, scope);
        boolean[] followed = new boolean[a.size()];
        for (int e = 0; e < a.size(); e++) {
            if (next[e] >= 0) {
                followed[next[e]] = true;
            }
        }
        for (int e = 0; e < a.size(); e++) {
            if (followed[e] || next[e] < 0) {
                continue; // not the start of a chain
            }
            // Next payments come later in chain order, so the walk ends; it stops where the value comes back (a cycle)
            // and at a labelled service (what it pays on is the service's business).
            int n = 1;
            for (int x = e; next[x] >= 0; x = next[x]) {
                n++;
            }
            if (n - 1 < minLength) {
                continue;
            }
            Set<Integer> passed = new HashSet<>();
            passed.add(a.from(e));
            int[] t = new int[n];
            int k = 0;
            boolean loops = false;
            for (int x = e; x >= 0 && !loops; x = scope.service(a.to(x)) ? -1 : next[x]) {
                t[k++] = x;
                loops = !passed.add(a.to(x));
            }
            if (loops || k - 1 < minLength) {
                continue;
            }
            t = java.util.Arrays.copyOf(t, k);
            n = k;
            alerts.accept(AccountAlerts.of(name(), a, a.to(e), t, 0.7, Map.of("forwards", Integer.toString(n - 1), "minShare",
                    Double.toString(minShare), "maxDelaySeconds", Long.toString(maxDelay), "minLength", Integer.toString(minLength))));
        }
    }
}
