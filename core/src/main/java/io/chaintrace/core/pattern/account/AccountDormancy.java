package io.chaintrace.core.pattern.account;

import io.chaintrace.core.pattern.Alert;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Dormancy then sudden movement on an account chain: an address that held an asset without any transfer of it for at
 * least {@code minRest} pays out at least half of what it held at once. What it held is what the scan saw arrive less
 * what it saw leave.
 */
public final class AccountDormancy implements AccountRule {
    private final long minRest;

    public AccountDormancy(long minRest) {
        this.minRest = minRest;
    }

    @Override
    public String name() {
        return "dormancy";
    }

    @Override
    public void find(AccountActivity a, AccountScope scope, Consumer<Alert> alerts) {
        for (int p = 0; p < a.parties(); p++) {
            int outs = a.outCount(p);
            int ins = a.inCount(p);
            if (outs == 0 || ins == 0 || !scope.active(a.partyAddress(p))) {
                continue;
            }
            double held = 0;
            int lastTransfer = -1;
            int i = 0;
            int o = 0;
            while (o < outs) {
                boolean in = i < ins && a.inAt(p, i) < a.outAt(p, o);
                int t = in ? a.inAt(p, i++) : a.outAt(p, o++);
                if (!in && lastTransfer >= 0 && held > 0 && a.time(t) - a.time(lastTransfer) >= minRest && a.value(t) >= held / 2
                        && !scope.service(a.partyAddress(p))) {
                    alerts.accept(AccountAlerts.of(name(), a, a.partyAddress(p), new int[] {lastTransfer, t}, 0.6,
                            Map.of("restSeconds", Long.toString(a.time(t) - a.time(lastTransfer)), "minRest", Long.toString(minRest))));
                }
                held += in ? a.value(t) : -a.value(t);
                lastTransfer = t;
            }
        }
    }
}
