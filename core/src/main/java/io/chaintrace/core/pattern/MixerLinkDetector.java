package io.chaintrace.core.pattern;

import io.chaintrace.core.account.AccountLedger;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Links a mixer's depositors to its withdrawers (DOMAIN.md section 7), each heuristic a setting:
 * <ul>
 *   <li>{@code same_address}: an address withdraws after it deposited;
 *   <li>{@code direct_transfer}: a depositor and a withdrawer paid each other directly (outside
 *       the pools), before or after;
 *   <li>{@code portfolio}: one address's deposits into at least two pools and another's
 *       withdrawals from the same pools, the same number from each, all within {@code window}
 *       seconds, the withdrawals after the deposits.
 * </ul>
 * The unique-gas-price heuristic needs gas prices, which the store does not keep.
 */
public final class MixerLinkDetector implements PatternDetector {
    private final MixerPools pools;
    private final long window;
    private final boolean sameAddress;
    private final boolean directTransfer;
    private final boolean portfolio;
    private final TxBuffer buffer = new TxBuffer();
    private MixerPools.Lookup lookup;

    private record Use(Address who, String pool, Hash256 tx, long time) {
    }

    private final Map<String, List<Use>> deposits = new HashMap<>();
    private final Map<String, List<Use>> withdrawals = new HashMap<>();
    private final Map<String, List<AccountTransfer>> direct = new HashMap<>();
    private final Map<String, Deque<Use>> recentDeposits = new HashMap<>();
    private final Map<String, Deque<Use>> recentWithdrawals = new HashMap<>();
    private final Set<String> reported = new HashSet<>();

    public MixerLinkDetector(MixerPools pools, long window, boolean sameAddress, boolean directTransfer, boolean portfolio) {
        this.pools = pools;
        this.window = window;
        this.sameAddress = sameAddress;
        this.directTransfer = directTransfer;
        this.portfolio = portfolio;
    }

    public static MixerLinkDetector standard() {
        return new MixerLinkDetector(MixerPools.TORNADO, 86_400, true, true, true);
    }

    @Override
    public String name() {
        return "mixer.link";
    }

    @Override
    public void accept(AccountTransfer t, AccountLedger ledger, Consumer<Alert> alerts) {
        if (lookup == null) {
            lookup = new MixerPools.Lookup(ledger);
        }
        buffer.add(t, tx -> transaction(tx, alerts));
    }

    @Override
    public void finish(Consumer<Alert> alerts) {
        buffer.flush(tx -> transaction(tx, alerts));
    }

    private void transaction(List<AccountTransfer> tx, Consumer<Alert> alerts) {
        for (AccountTransfer t : tx) {
            if (pools.deposit(t, lookup)) {
                Use u = new Use(t.from(), MixerPools.pool(lookup.mixer(t.to()).orElseThrow()), t.txHash(), t.block().time());
                deposits.computeIfAbsent(t.from().text(), k -> new ArrayList<>()).add(u);
                recent(recentDeposits, u);
                if (directTransfer) {
                    for (AccountTransfer d : direct.getOrDefault(t.from().text(), List.of())) {
                        Address other = d.from().text().equals(t.from().text()) ? d.to() : d.from();
                        for (Use w : withdrawals.getOrDefault(other.text(), List.of())) {
                            link("direct_transfer", u, w, d, alerts);
                        }
                    }
                }
            } else if (lookup.mixer(t.from()).isEmpty() && lookup.mixer(t.to()).isEmpty() && !t.from().text().equals(t.to().text())) {
                direct.computeIfAbsent(t.from().text(), k -> new ArrayList<>()).add(t);
                direct.computeIfAbsent(t.to().text(), k -> new ArrayList<>()).add(t);
                if (directTransfer) {
                    for (Address[] pair : List.of(new Address[] {t.from(), t.to()}, new Address[] {t.to(), t.from()})) {
                        for (Use d : deposits.getOrDefault(pair[0].text(), List.of())) {
                            for (Use w : withdrawals.getOrDefault(pair[1].text(), List.of())) {
                                link("direct_transfer", d, w, t, alerts);
                            }
                        }
                    }
                }
            }
        }
        Optional<AccountTransfer> out = MixerPools.withdrawal(tx, lookup);
        if (out.isEmpty()) {
            return;
        }
        AccountTransfer t = out.get();
        Use w = new Use(t.to(), MixerPools.pool(lookup.mixer(t.from()).orElseThrow()), t.txHash(), t.block().time());
        withdrawals.computeIfAbsent(t.to().text(), k -> new ArrayList<>()).add(w);
        recent(recentWithdrawals, w);
        if (sameAddress) {
            for (Use d : deposits.getOrDefault(t.to().text(), List.of())) {
                link("same_address", d, w, null, alerts);
            }
        }
        if (directTransfer) {
            for (AccountTransfer d : direct.getOrDefault(t.to().text(), List.of())) {
                Address other = d.from().text().equals(t.to().text()) ? d.to() : d.from();
                for (Use dep : deposits.getOrDefault(other.text(), List.of())) {
                    link("direct_transfer", dep, w, d, alerts);
                }
            }
        }
        if (portfolio) {
            matchPortfolio(w, alerts);
        }
    }

    /** Keeps an address's uses of the last window. */
    private void recent(Map<String, Deque<Use>> byWho, Use u) {
        Deque<Use> d = byWho.computeIfAbsent(u.who().text(), k -> new ArrayDeque<>());
        while (!d.isEmpty() && u.time() - d.peekFirst().time() > window) {
            d.pollFirst();
        }
        d.addLast(u);
    }

    /** The withdrawer's recent pools against every recent depositor's: the same multi-pool portfolio within the window. */
    private void matchPortfolio(Use w, Consumer<Alert> alerts) {
        Deque<Use> mine = recentWithdrawals.get(w.who().text());
        List<String> pools = mine.stream().map(Use::pool).sorted().toList();
        if (pools.size() < 2 || new HashSet<>(pools).size() < 2) {
            return;
        }
        long first = mine.peekFirst().time();
        for (Deque<Use> theirs : recentDeposits.values()) {
            Use last = theirs.peekLast();
            if (last.who().text().equals(w.who().text()) || w.time() - theirs.peekFirst().time() > window || last.time() > first) {
                continue;
            }
            if (theirs.stream().map(Use::pool).sorted().toList().equals(pools)) {
                link("portfolio", theirs.peekFirst(), w, null, alerts);
            }
        }
    }

    private void link(String heuristic, Use d, Use w, AccountTransfer via, Consumer<Alert> alerts) {
        if (d.time() > w.time() || !reported.add(heuristic + d.who().text() + "|" + w.who().text())) {
            return;
        }
        List<Hash256> txs = new ArrayList<>(List.of(d.tx(), w.tx()));
        List<Long> times = new ArrayList<>(List.of(d.time(), w.time()));
        if (via != null) {
            txs.add(via.txHash());
            times.add(via.block().time());
        }
        alerts.accept(new Alert("mixer.link." + heuristic, txs, List.of(d.who(), w.who()), List.of(), times,
                heuristic.equals("same_address") ? 0.95 : heuristic.equals("direct_transfer") ? 0.85 : 0.7,
                Map.of("depositPool", d.pool(), "withdrawalPool", w.pool(), "windowSeconds", Long.toString(window))));
    }
}
