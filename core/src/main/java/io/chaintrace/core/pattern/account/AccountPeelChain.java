package io.chaintrace.core.pattern.account;

import io.chaintrace.core.pattern.Alert;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Peel-like splitting on an account chain, the account form of a peel chain: an address receives an amount and, within
 * {@code maxDelay}, makes exactly two payments of that asset out of it: a peel of at most {@code maxPeelShare} of it
 * to one address and the rest (less at most 5%: fees, a round figure) to another, which does the same; at least
 * {@code minLength} steps, the remainder shrinking at each. A remainder topped up on the way, or a run of two, is not.
 */
public final class AccountPeelChain implements AccountRule {
    private final int minLength;
    private final double maxPeelShare;
    private final long maxDelay;

    public AccountPeelChain(int minLength, double maxPeelShare, long maxDelay) {
        this.minLength = minLength;
        this.maxPeelShare = maxPeelShare;
        this.maxDelay = maxDelay;
    }

    @Override
    public String name() {
        return "peel_chain";
    }

    @Override
    public void find(AccountActivity a, AccountScope scope, Consumer<Alert> alerts) {
        int[] rest = new int[a.size()];
        int[] peel = new int[a.size()];
        Arrays.fill(rest, -1);
        for (int e = 0; e < a.size(); e++) {
            if (scope.active(a.to(e))) {
                step(a, e, rest, peel);
            }
        }
        boolean[] followed = new boolean[a.size()];
        for (int e = 0; e < a.size(); e++) {
            if (rest[e] >= 0) {
                followed[rest[e]] = true;
            }
        }
        for (int e = 0; e < a.size(); e++) {
            if (followed[e] || rest[e] < 0) {
                continue;
            }
            int steps = 0;
            for (int x = e; rest[x] >= 0 && !scope.service(a.to(x)); x = rest[x]) {
                steps++;
            }
            if (steps < minLength) {
                continue;
            }
            int[] t = new int[1 + 2 * steps];
            int k = 0;
            t[k++] = e;
            for (int x = e; k < t.length; x = rest[x]) {
                t[k++] = peel[x];
                t[k++] = rest[x];
            }
            alerts.accept(AccountAlerts.of(name(), a, a.to(e), t, 0.75, Map.of("steps", Integer.toString(steps), "minLength",
                    Integer.toString(minLength), "maxPeelShare", Double.toString(maxPeelShare), "maxDelaySeconds", Long.toString(maxDelay))));
        }
    }

    /** Whether the recipient of {@code e} peels it: its next two payments, within the delay, a peel and the rest. */
    private void step(AccountActivity a, int e, int[] rest, int[] peel) {
        int m = a.payeeParty(e);
        int first = -1;
        int second = -1;
        for (int j = a.firstOutFrom(m, a.time(e)); j < a.outCount(m); j++) {
            int f = a.outAt(m, j);
            if (f <= e) {
                continue;
            }
            if (first < 0) {
                first = f;
            } else {
                second = f;
                break;
            }
        }
        if (second < 0 || a.time(second) > a.time(e) + maxDelay || a.to(first) == a.to(second)) {
            return;
        }
        int big = a.value(first) >= a.value(second) ? first : second;
        int small = big == first ? second : first;
        double v = a.value(e);
        double paid = a.value(big) + a.value(small);
        if (a.value(small) <= maxPeelShare * v && paid <= v * (1 + 1e-9) && paid >= 0.95 * v) {
            rest[e] = big;
            peel[e] = small;
        }
    }
}
