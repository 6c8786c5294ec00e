package io.chaintrace.core.pattern.account;

import io.chaintrace.core.pattern.Alert;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Fan-in on an account chain: at least {@code minPayers} distinct addresses pay one address one asset within
 * {@code window}, and that burst is at least {@code minShare} of everything it received in that asset. A merchant, an
 * employee or an exchange's hot wallet swept into from its deposit addresses receives from many, but steadily: no one
 * window holds most of it. And it is a collection: the address paid at most {@code maxOtherSide} times as many distinct
 * payees, from a window before the burst to its end, as it had payers.
 */
public final class AccountFanIn implements AccountRule {
    private final int minPayers;
    private final long window;
    private final double minShare;
    private final double maxOtherSide;

    public AccountFanIn(int minPayers, long window, double minShare, double maxOtherSide) {
        this.minPayers = minPayers;
        this.window = window;
        this.minShare = minShare;
        this.maxOtherSide = maxOtherSide;
    }

    @Override
    public String name() {
        return "fan_in";
    }

    @Override
    public void find(AccountActivity a, AccountScope scope, Consumer<Alert> alerts) {
        Window.bursts(a, scope, false, minPayers, window, minShare, maxOtherSide, (w, p) -> alerts.accept(AccountAlerts.of(name(), a,
                a.partyAddress(p), w.transfers(a, p, false), 0.7, Map.of("payers", Integer.toString(w.counterparties()), "minPayers",
                        Integer.toString(minPayers), "windowSeconds", Long.toString(window), "minShare", Double.toString(minShare),
                        "maxOtherSide", Double.toString(maxOtherSide)))));
    }
}
