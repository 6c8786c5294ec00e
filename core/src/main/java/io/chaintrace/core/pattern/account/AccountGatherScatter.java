package io.chaintrace.core.pattern.account;

import io.chaintrace.core.pattern.Alert;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Gather-scatter on an account chain: at least {@code minWidth} distinct payers pay a hub one asset, and after them the
 * hub pays at least {@code minWidth} distinct payees, all within {@code window}, the receipts (three in four at least)
 * before the payments; the hub pays on at least
 * {@code minShare} of what it gathered, and the window holds at least {@code minShare} of all the hub's payments in
 * and out of that asset (a business that is paid by customers and pays staff does both steadily, every month).
 */
public final class AccountGatherScatter implements AccountRule {
    private final int minWidth;
    private final long window;
    private final double minShare;

    public AccountGatherScatter(int minWidth, long window, double minShare) {
        this.minWidth = minWidth;
        this.window = window;
        this.minShare = minShare;
    }

    @Override
    public String name() {
        return "gather_scatter";
    }

    @Override
    public void find(AccountActivity a, AccountScope scope, Consumer<Alert> alerts) {
        AddressCounts payers = new AddressCounts(a.addresses());
        AddressCounts payees = new AddressCounts(a.addresses());
        for (int h = 0; h < a.parties(); h++) {
            int ins = a.inCount(h);
            int outs = a.outCount(h);
            if (ins < minWidth || outs < minWidth || !scope.active(a.partyAddress(h))) {
                continue;
            }
            int i = 0;
            while (i < ins) {
                int next = tryFrom(a, scope, h, i, payers, payees, alerts);
                i = next > i ? next : i + 1;
            }
        }
    }

    /** Looks for the pattern in the window starting at the hub's {@code first}-th receipt; returns where to look next. */
    private int tryFrom(AccountActivity a, AccountScope scope, int h, int first, AddressCounts payers, AddressCounts payees,
                        Consumer<Alert> alerts) {
        long end = a.time(a.inAt(h, first)) + window;
        payers.clear();
        double gathered = 0;
        int k = first;
        int gatheredAt = -1;
        for (; k < a.inCount(h) && a.time(a.inAt(h, k)) <= end; k++) {
            int t = a.inAt(h, k);
            payers.add(a.from(t));
            gathered += a.value(t);
            if (payers.distinct() == minWidth && gatheredAt < 0) {
                gatheredAt = t;
            }
        }
        if (gatheredAt < 0) {
            return first + 1;
        }
        payees.clear();
        double scattered = 0;
        int lastIn = k - 1;
        int firstOut = -1;
        int lastOut = -1;
        for (int j = a.firstOutFrom(h, a.time(gatheredAt)); j < a.outCount(h) && a.time(a.outAt(h, j)) <= end; j++) {
            int t = a.outAt(h, j);
            if (t < gatheredAt) {
                continue;
            }
            firstOut = firstOut < 0 ? j : firstOut;
            lastOut = j;
            payees.add(a.to(t));
            scattered += a.value(t);
        }
        if (payees.distinct() < minWidth || scattered < minShare * gathered) {
            return first + 1;
        }
        // Gathered, then scattered: at most a quarter of the window's receipts come after the first payment out (an
        // address that receives and pays all along, a trader, a shop, interleaves them).
        int firstOutTransfer = a.outAt(h, firstOut);
        int late = 0;
        for (int x = first; x <= lastIn; x++) {
            late += a.inAt(h, x) > firstOutTransfer ? 1 : 0;
        }
        if (late > (lastIn - first + 1) / 4) {
            return first + 1;
        }
        int inWindow = lastIn - first + 1 + lastOut - firstOut + 1;
        if (inWindow < minShare * (a.inCount(h) + a.outCount(h)) || scope.service(a.partyAddress(h))) {
            return first + 1;
        }
        int[] t = new int[inWindow];
        int n = 0;
        for (int x = first; x <= lastIn; x++) {
            t[n++] = a.inAt(h, x);
        }
        for (int x = firstOut; x <= lastOut; x++) {
            t[n++] = a.outAt(h, x);
        }
        alerts.accept(AccountAlerts.of(name(), a, a.partyAddress(h), t, 0.8, Map.of("payers", Integer.toString(payers.distinct()),
                "payees", Integer.toString(payees.distinct()), "minWidth", Integer.toString(minWidth), "windowSeconds", Long.toString(window),
                "minShare", Double.toString(minShare))));
        return lastIn + 1;
    }
}
