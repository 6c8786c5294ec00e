package io.chaintrace.core.pattern.account;

import io.chaintrace.core.account.AccountLedger;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.PatternDetector;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The account-chain rules as one detector: transfers are gathered into one {@link AccountActivity} as they are fed (a
 * few arrays), and every rule reads it at the end, when each address's whole activity in the scan is known. Alerts
 * carry each rule's own pattern name ({@code fan_out}, {@code cycle}, ...).
 */
public final class AccountPatterns implements PatternDetector {
    /** Labels of services whose use is an event (service, mixer, swap detectors), not a subject of these rules. */
    static final Set<LabelCategory> SERVICES = EnumSet.of(LabelCategory.EXCHANGE, LabelCategory.DEPOSIT, LabelCategory.MIXER,
            LabelCategory.BRIDGE, LabelCategory.DEX);
    private final List<AccountRule> rules;
    private final int busy;
    private final AccountActivity activity = new AccountActivity();
    private AccountLedger ledger;

    /** @param busy transfers (in and out, every asset) from which an address counts as busy: a pool, router, exchange */
    public AccountPatterns(List<AccountRule> rules, int busy) {
        this.rules = List.copyOf(rules);
        this.busy = busy;
    }

    @Override
    public String name() {
        return "account";
    }

    /** Whether a label of this category makes its address a service these rules leave out. */
    public static boolean service(LabelCategory category) {
        return SERVICES.contains(category);
    }

    public List<AccountRule> rules() {
        return rules;
    }

    /** Transfers (in and out, every asset) from which an address counts as busy. */
    public int busyTransfers() {
        return busy;
    }

    @Override
    public void accept(AccountTransfer transfer, AccountLedger ledger, Consumer<Alert> alerts) {
        this.ledger = ledger;
        activity.add(transfer);
    }

    @Override
    public void finish(Consumer<Alert> alerts) {
        if (activity.size() == 0) {
            return;
        }
        activity.index();
        AccountLedger labels = ledger;
        AccountScope scope = new AccountScope(activity, x -> labels.labelsOf(x).stream().anyMatch(l -> SERVICES.contains(l.category())), busy);
        // The rules only read the activity: they run side by side (a laptop has cores to spare while the scan is done),
        // and their alerts are passed on in the rules' order, so a scan's output does not depend on the threads.
        List<List<Alert>> found = rules.parallelStream().map(r -> {
            List<Alert> mine = new java.util.ArrayList<>();
            r.find(activity, scope, mine::add);
            return mine;
        }).toList();
        found.forEach(l -> l.forEach(alerts));
    }
}
