package io.chaintrace.core.pattern.account;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.pattern.Alert;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One address's share of an account-chain scan partitioned by address: every transfer it paid or received, in chain
 * order, as an engine that spreads the scan over machines groups them (the Spark jobs key each transfer by its payer and
 * by its payee). The address's own facts (its transfers, whether it acts as a contract), its fan-out and fan-in windows
 * and the payments it forwards depend on these transfers alone; what a rule asks of its counterparties (active: neither
 * busy nor a contract; a labelled service) is a fact of the whole scan, which the caller passes in. What a slice finds
 * about its address is what {@link AccountPatterns} finds about it over the whole scan; pass-through chains cross
 * addresses, so a slice gives their links ({@link #forwards}) and the caller walks them.
 */
public final class AddressSlice {
    private final Address subject;
    private final AccountActivity activity = new AccountActivity();
    /** Per transfer of the activity, its position in the list given (self-transfers are left out of the activity). */
    private int[] position = new int[16];
    private final int id;

    /** @param transfers every transfer the address paid or received, in chain order */
    public AddressSlice(Address subject, Iterable<AccountTransfer> transfers) {
        this.subject = subject;
        int k = 0;
        for (AccountTransfer t : transfers) {
            int before = activity.size();
            activity.add(t);
            if (activity.size() > before) {
                if (before == position.length) {
                    position = Arrays.copyOf(position, before * 2);
                }
                position[before] = k;
            }
            k++;
        }
        activity.index();
        id = activity.idOf(subject);
    }

    /** Its transfers in and out, every asset (an address paying itself moves nothing: not counted, as the scan counts). */
    public int transfers() {
        return id < 0 ? 0 : activity.transfersOfAddress(id);
    }

    /** Whether it acts as a contract ({@link AccountActivity#contract}): read from its own transfers. */
    public boolean contract() {
        return id >= 0 && activity.contract(id);
    }

    /** Active in the scan as {@link AccountScope#active} judges it: neither busy nor a contract. */
    public boolean active(int busyTransfers) {
        return transfers() < busyTransfers && !contract();
    }

    /**
     * The fan-out and fan-in alerts about this address.
     *
     * @param activeInScan whether an address is active in the whole scan (counterparties: not busy, not a contract)
     * @param service whether an address is a labelled service
     */
    public void bursts(AccountPatterns rules, Predicate<Address> activeInScan, Predicate<Address> service, Consumer<Alert> alerts) {
        if (id < 0) {
            return;
        }
        AccountScope scope = new AccountScope(activity, service, rules.busyTransfers(), activeInScan, id);
        for (AccountRule r : rules.rules()) {
            if (r instanceof AccountFanOut || r instanceof AccountFanIn) {
                r.find(activity, scope, alerts);
            }
        }
    }

    /** A payment received, and the payment that forwards it: positions in the list given. */
    public interface Forward {
        void accept(int received, int paidOn);
    }

    /** The payments this address received and paid on whole within pass-through's delay (the links of a chain through it). */
    public void forwards(AccountPassThrough rule, Predicate<Address> activeInScan, Forward found) {
        if (id < 0) {
            return;
        }
        int[] next = rule.forwards(activity, new AccountScope(activity, x -> false, Integer.MAX_VALUE, activeInScan, id));
        for (int e = 0; e < next.length; e++) {
            if (next[e] >= 0) {
                found.accept(position[e], position[next[e]]);
            }
        }
    }
}
