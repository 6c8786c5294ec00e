package io.chaintrace.core.pattern.account;

/**
 * The busiest window of a party's payments out (or in): the stretch of at most {@code seconds} with the most distinct
 * counterparties (of equal ones, the one with fewest payments). Positions index the party's list.
 */
record Window(int first, int last, int counterparties) {
    int payments() {
        return last - first + 1;
    }

    /**
     * The bursts of fan-out ({@code out}) or fan-in: per party of an active address, its busiest window when it reaches
     * {@code min} counterparties, holds {@code minShare} of all the party's payments that way, has at most
     * {@code maxOtherSide} times as many counterparties the other way (from a window before to its end), a fan-out pays
     * out at least {@code minShare} of what came in over that time, the address is no labelled service, and at least
     * {@code min} of the counterparties are ordinary addresses (not services, busy wallets or contracts).
     */
    static void bursts(AccountActivity a, AccountScope scope, boolean out, int min, long seconds, double minShare, double maxOtherSide,
                       java.util.function.ObjIntConsumer<Window> found) {
        AddressCounts counts = new AddressCounts(a.addresses());
        for (int p = 0; p < a.parties(); p++) {
            int n = out ? a.outCount(p) : a.inCount(p);
            if (n < min || !scope.judged(a.partyAddress(p)) || !scope.active(a.partyAddress(p))) {
                continue;
            }
            Window w = busiest(a, p, out, seconds, counts);
            if (w.counterparties() >= min && w.payments() >= minShare * n
                    && w.otherSide(a, p, out, seconds, counts) <= maxOtherSide * w.counterparties()
                    && (!out || w.dispersesWhatCameIn(a, p, seconds, minShare)) && !scope.service(a.partyAddress(p))
                    && w.ordinaryCounterparties(a, p, out, scope) >= min) {
                found.accept(w, p);
            }
        }
    }

    /** {@code null} when the party has no payments in that direction; {@code counts} is scratch space. */
    static Window busiest(AccountActivity a, int party, boolean out, long seconds, AddressCounts counts) {
        int n = out ? a.outCount(party) : a.inCount(party);
        if (n == 0) {
            return null;
        }
        counts.clear();
        Window best = null;
        int left = 0;
        for (int right = 0; right < n; right++) {
            int r = out ? a.outAt(party, right) : a.inAt(party, right);
            counts.add(out ? a.to(r) : a.from(r));
            while (a.time(r) - a.time(out ? a.outAt(party, left) : a.inAt(party, left)) > seconds) {
                int l = out ? a.outAt(party, left) : a.inAt(party, left);
                counts.remove(out ? a.to(l) : a.from(l));
                left++;
            }
            if (best == null || counts.distinct() > best.counterparties
                    || counts.distinct() == best.counterparties && right - left < best.last - best.first) {
                best = new Window(left, right, counts.distinct());
            }
        }
        return best;
    }

    /**
     * Distinct counterparties on the other side of the party (its payers, for a window of payments out) from a window
     * before this one to its end: a split is fed by few, a collection pays on to few.
     */
    int otherSide(AccountActivity a, int party, boolean out, long seconds, AddressCounts counts) {
        long from = a.time(out ? a.outAt(party, first) : a.inAt(party, first)) - seconds;
        long to = a.time(out ? a.outAt(party, last) : a.inAt(party, last));
        counts.clear();
        int n = out ? a.inCount(party) : a.outCount(party);
        for (int k = 0; k < n; k++) {
            int t = out ? a.inAt(party, k) : a.outAt(party, k);
            if (a.time(t) >= from && a.time(t) <= to) {
                counts.add(out ? a.from(t) : a.to(t));
            }
        }
        return counts.distinct();
    }

    /**
     * For a window of payments out: whether they pay out at least {@code share} of what the party received from a window
     * before to the window's end (a split disperses what came in; someone paying small sums from a large receipt, a
     * shopper or a payroll from revenue, does not). True when nothing was seen arriving (a balance older than the scan).
     */
    boolean dispersesWhatCameIn(AccountActivity a, int party, long seconds, double share) {
        long from = a.time(a.outAt(party, first)) - seconds;
        long to = a.time(a.outAt(party, last));
        double in = 0;
        for (int k = 0; k < a.inCount(party); k++) {
            int t = a.inAt(party, k);
            if (a.time(t) >= from && a.time(t) <= to) {
                in += a.value(t);
            }
        }
        double paid = 0;
        for (int k = first; k <= last; k++) {
            paid += a.value(a.outAt(party, k));
        }
        return in == 0 || paid >= share * in;
    }

    /**
     * Distinct counterparties in the window that are ordinary addresses: paying exchanges, a mixer or a pool is using
     * services (events of their own), not spreading value over addresses. Asked only of a window that passed the rest.
     */
    int ordinaryCounterparties(AccountActivity a, int party, boolean out, AccountScope scope) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int k = first; k <= last; k++) {
            int t = out ? a.outAt(party, k) : a.inAt(party, k);
            int other = out ? a.to(t) : a.from(t);
            if (scope.ordinary(other)) {
                seen.add(other);
            }
        }
        return seen.size();
    }

    int[] transfers(AccountActivity a, int party, boolean out) {
        int[] t = new int[payments()];
        for (int k = first; k <= last; k++) {
            t[k - first] = out ? a.outAt(party, k) : a.inAt(party, k);
        }
        return t;
    }
}
