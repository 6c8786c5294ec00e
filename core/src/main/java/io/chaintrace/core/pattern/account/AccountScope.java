package io.chaintrace.core.pattern.account;

import io.chaintrace.core.model.Address;
import java.util.function.Predicate;

/**
 * What the account rules leave out as subjects or intermediaries: labelled services (their use is an event, found by
 * the service, mixer and swap detectors), contracts paying from their code, and busy addresses (pools, routers, exchange wallets: they deal with
 * everyone, so a burst or a path through one says nothing of its counterparties).
 */
public final class AccountScope {
    private final AccountActivity activity;
    private final Predicate<Address> labelledService;
    private final int busy;
    /** Per address: 0 not asked yet, 1 no service, 2 a service. Rules run in parallel: racing writes write the same value. */
    private final byte[] service;
    /** For one address's share of a partitioned scan ({@link AddressSlice}): whether an address is active in the whole scan. */
    private final Predicate<Address> activeInScan;
    /** The address a slice is about, or -1: the rules judge every address. */
    private final int subject;

    AccountScope(AccountActivity activity, Predicate<Address> labelledService, int busy) {
        this(activity, labelledService, busy, null, -1);
    }

    AccountScope(AccountActivity activity, Predicate<Address> labelledService, int busy, Predicate<Address> activeInScan, int subject) {
        this.activity = activity;
        this.labelledService = labelledService;
        this.busy = busy;
        this.service = new byte[activity.addresses()];
        this.activeInScan = activeInScan;
        this.subject = subject;
    }

    /** Whether the rules judge this address: every one, or a slice's own (its counterparties' windows are partial there). */
    boolean judged(int address) {
        return subject < 0 || address == subject;
    }

    /** At least {@code busy} transfers in or out (every asset) in the scan. */
    public boolean busy(int address) {
        return activity.transfersOfAddress(address) >= busy;
    }

    /** Labelled as a service (exchange, deposit address, mixer, bridge, DEX); asked of the labels once per address. */
    public boolean service(int address) {
        if (service[address] == 0) {
            service[address] = (byte) (labelledService.test(activity.address(address)) ? 2 : 1);
        }
        return service[address] == 2;
    }

    /**
     * Neither busy nor a contract seen paying from its code (a router, WETH, an aggregator: in a scan of a few blocks
     * they are not busy yet, but what they pay answers their callers): what the rules search through. Read from the
     * transfers alone; the labels are asked only of what a rule would report ({@link #ordinary}).
     */
    public boolean active(int address) {
        if (activeInScan != null) {
            return activeInScan.test(activity.address(address));
        }
        return !busy(address) && !activity.contract(address);
    }

    /** Active and not a labelled service: an address a rule reports as a subject or intermediary. */
    public boolean ordinary(int address) {
        return active(address) && !service(address);
    }
}
