package io.chaintrace.core.pattern.account;

import io.chaintrace.core.pattern.Alert;
import java.util.function.Consumer;

/**
 * One laundering pattern on account chains (docs/PATTERNS.md, "Account chains"), found per address and asset over
 * the whole scan: a rule reads the indexed {@link AccountActivity} once it is complete, so it sees each address's
 * payments before and after a burst (how much of what an address ever did falls in it).
 */
public interface AccountRule {
    /** The pattern's name in alerts: the same names as the Bitcoin detectors where the pattern is the same. */
    String name();

    void find(AccountActivity activity, AccountScope scope, Consumer<Alert> alerts);
}
