package io.chaintrace.core.pattern.account;

import io.chaintrace.core.pattern.Alert;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fan-out on an account chain: one address pays at least {@code minPayees} distinct addresses one asset within
 * {@code window}, and that burst is at least {@code minShare} of every payment it made in that asset. The second part
 * is what tells a split of received funds from a payroll, a merchant's suppliers or an exchange's withdrawals: those
 * pay many, but steadily, month after month, so no one window holds most of what they pay. The share is 0.75 by
 * default: someone who makes a handful of payments a year sometimes makes half of them in one month. And it is a split:
 * the address was paid by at most {@code maxOtherSide} times as many distinct payers, from a window before the burst to
 * its end, as it paid payees (someone who deals with many on both sides, a trader, a shop, is no split; in a scan of a
 * day every active address has all its payments in one window, and this is what still tells them apart).
 */
public final class AccountFanOut implements AccountRule {
    private final int minPayees;
    private final long window;
    private final double minShare;
    private final double maxOtherSide;

    public AccountFanOut(int minPayees, long window, double minShare, double maxOtherSide) {
        this.minPayees = minPayees;
        this.window = window;
        this.minShare = minShare;
        this.maxOtherSide = maxOtherSide;
    }

    @Override
    public String name() {
        return "fan_out";
    }

    @Override
    public void find(AccountActivity a, AccountScope scope, Consumer<Alert> alerts) {
        Window.bursts(a, scope, true, minPayees, window, minShare, maxOtherSide, (w, p) -> alerts.accept(AccountAlerts.of(name(), a,
                a.partyAddress(p), w.transfers(a, p, true), 0.7, Map.of("payees", Integer.toString(w.counterparties()), "minPayees",
                        Integer.toString(minPayees), "windowSeconds", Long.toString(window), "minShare", Double.toString(minShare),
                        "maxOtherSide", Double.toString(maxOtherSide)))));
    }
}
