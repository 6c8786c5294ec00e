package io.chaintrace.core.pattern.account;

/**
 * Which payment carries a received payment on (shared by pass-through and peel chains): for each transfer, the one its
 * recipient made next, of the same asset, within a delay, or -1.
 */
final class Forwards {
    private Forwards() {
    }

    /**
     * For each transfer to an active address (not busy, not a contract), the payment that address made next, when it
     * was within {@code maxDelay}, of {@code minShare} to all of its amount, to another address than the one it came
     * from.
     */
    static int[] whole(AccountActivity a, AccountScope scope, long maxDelay, double minShare) {
        int[] next = new int[a.size()];
        java.util.Arrays.fill(next, -1);
        for (int e = 0; e < a.size(); e++) {
            int m = a.payeeParty(e);
            if (!scope.judged(a.to(e)) || !scope.active(a.to(e))) {
                continue;
            }
            // Its next payment of the asset after the arrival: a forward pays on what came in, not later, not more.
            for (int j = a.firstOutFrom(m, a.time(e)); j < a.outCount(m); j++) {
                int f = a.outAt(m, j);
                if (f < e) {
                    continue;
                }
                if (a.time(f) <= a.time(e) + maxDelay && a.to(f) != a.from(e) && a.value(f) >= minShare * a.value(e)
                        && a.value(f) <= a.value(e) * (1 + 1e-9)) {
                    next[e] = f;
                }
                break;
            }
        }
        return next;
    }
}
