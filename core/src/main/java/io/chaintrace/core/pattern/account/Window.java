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
     * {@code maxOtherSide} times as many counterparties the other way (from a window before to its end), and the address
     * is no labelled service.
     */
    static void bursts(AccountActivity a, AccountScope scope, boolean out, int min, long seconds, double minShare, double maxOtherSide,
                       java.util.function.ObjIntConsumer<Window> found) {
        AddressCounts counts = new AddressCounts(a.addresses());
        for (int p = 0; p < a.parties(); p++) {
            int n = out ? a.outCount(p) : a.inCount(p);
            if (n < min || !scope.active(a.partyAddress(p))) {
                continue;
            }
            Window w = busiest(a, p, out, seconds, counts);
            if (w.counterparties() >= min && w.payments() >= minShare * n
                    && w.otherSide(a, p, out, seconds, counts) <= maxOtherSide * w.counterparties() && !scope.service(a.partyAddress(p))) {
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

    int[] transfers(AccountActivity a, int party, boolean out) {
        int[] t = new int[payments()];
        for (int k = first; k <= last; k++) {
            t[k - first] = out ? a.outAt(party, k) : a.inAt(party, k);
        }
        return t;
    }
}
