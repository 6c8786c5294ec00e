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
 * Links a mixer's depositors to its withdrawers (docs/PATTERNS.md), each heuristic a setting:
 * <ul>
 *   <li>{@code same_address}: an address withdraws after it deposited;
 *   <li>{@code direct_transfer}: a depositor and a withdrawer paid each other directly (outside
 *       the pools), before or after;
 *   <li>{@code portfolio}: one address's deposits into at least two pools and another's
 *       withdrawals from the same pools, the same number from each, all within {@code window}
 *       seconds, the withdrawals after the deposits, and no other depositor with that portfolio
 *       in the window;
 *   <li>{@code unique_gas_price}: a withdrawal transaction paid the same gas price as exactly one
 *       deposit, and no other withdrawal paid it, within {@code gasWindow} seconds (a price the
 *       user typed, reused when withdrawing without a relayer).
 * </ul>
 */
public final class MixerLinkDetector implements PatternDetector {
    private final MixerPools pools;
    private final long window;
    private final boolean sameAddress;
    private final boolean directTransfer;
    private final boolean portfolio;
    private final boolean uniqueGasPrice;
    private final long gasWindow;
    private final TxBuffer buffer = new TxBuffer();
    private MixerPools.Lookup lookup;
    private AccountLedger ledger;
    private final Map<java.math.BigInteger, Deque<Use>> depositsByGas = new HashMap<>();
    private final Map<java.math.BigInteger, Deque<Use>> withdrawalsByGas = new HashMap<>();

    private record Use(Address who, String pool, Hash256 tx, long time) {
    }

    private final Map<String, List<Use>> deposits = new HashMap<>();
    private final Map<String, List<Use>> withdrawals = new HashMap<>();
    /**
     * Every direct payment between two addresses that are not pools, by each party: what the direct-transfer heuristic
     * looks up when either party uses a pool, before or after. Kept small (the parties and the transaction, not the
     * transfer) because every ordinary payment of a scan is in it.
     */
    private final Map<String, List<Direct>> direct = new HashMap<>();

    /** A direct payment: its parties, transaction and time. */
    private record Direct(Address from, Address to, Hash256 tx, long time) {
    }
    private final Map<String, Deque<Use>> recentDeposits = new HashMap<>();
    /**
     * Depositors by the portfolio of their recent deposits (the pools, sorted), for those with two pools or more: a
     * withdrawal's portfolio is looked up, not compared with every depositor's.
     */
    private final Map<String, Set<String>> depositorsByPortfolio = new HashMap<>();
    private final Map<String, String> portfolioOf = new HashMap<>();
    private final Map<String, Deque<Use>> recentWithdrawals = new HashMap<>();
    private final Set<String> reported = new HashSet<>();

    public MixerLinkDetector(MixerPools pools, long window, boolean sameAddress, boolean directTransfer, boolean portfolio,
                             boolean uniqueGasPrice, long gasWindow) {
        this.pools = pools;
        this.window = window;
        this.sameAddress = sameAddress;
        this.directTransfer = directTransfer;
        this.portfolio = portfolio;
        this.uniqueGasPrice = uniqueGasPrice;
        this.gasWindow = gasWindow;
    }

    /** Every heuristic; portfolios within a day, gas prices within a week. */
    public static MixerLinkDetector standard() {
        return new MixerLinkDetector(MixerPools.TORNADO, 86_400, true, true, true, true, 7 * 86_400);
    }

    @Override
    public String name() {
        return "mixer.link";
    }

    @Override
    public void accept(AccountTransfer t, AccountLedger ledger, Consumer<Alert> alerts) {
        if (lookup == null) {
            lookup = new MixerPools.Lookup(ledger);
            this.ledger = ledger;
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
                indexPortfolio(u.who().text());
                if (uniqueGasPrice) {
                    ledger.gasPrice(t.txHash()).ifPresent(g -> byGas(depositsByGas, g, u, u.time()));
                }
                if (directTransfer) {
                    for (Direct d : direct.getOrDefault(t.from().text(), List.of())) {
                        Address other = d.from().text().equals(t.from().text()) ? d.to() : d.from();
                        for (Use w : withdrawals.getOrDefault(other.text(), List.of())) {
                            link("direct_transfer", u, w, d, alerts);
                        }
                    }
                }
            } else if (lookup.mixer(t.from()).isEmpty() && lookup.mixer(t.to()).isEmpty() && !t.from().text().equals(t.to().text())) {
                Direct here = new Direct(t.from(), t.to(), t.txHash(), t.block().time());
                direct.computeIfAbsent(t.from().text(), k -> new ArrayList<>(2)).add(here);
                direct.computeIfAbsent(t.to().text(), k -> new ArrayList<>(2)).add(here);
                if (directTransfer) {
                    linkDirect(t.from(), t.to(), here, alerts);
                    linkDirect(t.to(), t.from(), here, alerts);
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
            for (Direct d : direct.getOrDefault(t.to().text(), List.of())) {
                Address other = d.from().text().equals(t.to().text()) ? d.to() : d.from();
                for (Use dep : deposits.getOrDefault(other.text(), List.of())) {
                    link("direct_transfer", dep, w, d, alerts);
                }
            }
        }
        if (portfolio) {
            matchPortfolio(w, alerts);
        }
        if (uniqueGasPrice) {
            ledger.gasPrice(t.txHash()).ifPresent(g -> {
                Deque<Use> sameOut = byGas(withdrawalsByGas, g, w, w.time());
                Deque<Use> sameIn = byGas(depositsByGas, g, null, w.time());
                if (sameOut.size() == 1 && sameIn.size() == 1) {
                    link("unique_gas_price", sameIn.peekFirst(), w, null, alerts);
                }
            });
        }
    }

    /** The uses of one gas price in the last gas window, with {@code u} added when given. */
    private Deque<Use> byGas(Map<java.math.BigInteger, Deque<Use>> index, java.math.BigInteger g, Use u, long now) {
        Deque<Use> d = index.computeIfAbsent(g, k -> new ArrayDeque<>());
        while (!d.isEmpty() && now - d.peekFirst().time() > gasWindow) {
            d.pollFirst();
        }
        if (u != null) {
            d.addLast(u);
        }
        return d;
    }

    /** Keeps an address's uses of the last window. */
    private void recent(Map<String, Deque<Use>> byWho, Use u) {
        Deque<Use> d = byWho.computeIfAbsent(u.who().text(), k -> new ArrayDeque<>());
        while (!d.isEmpty() && u.time() - d.peekFirst().time() > window) {
            d.pollFirst();
        }
        d.addLast(u);
    }

    /** A portfolio's key: its pools, sorted; null for fewer than two pools or one pool only. */
    private static String portfolio(Deque<Use> uses) {
        List<String> pools = uses.stream().map(Use::pool).sorted().toList();
        return pools.size() < 2 || new HashSet<>(pools).size() < 2 ? null : String.join(",", pools);
    }

    /** Files a depositor under the portfolio of its recent deposits (and out of the one it had). */
    private void indexPortfolio(String depositor) {
        String now = portfolio(recentDeposits.get(depositor));
        String before = now == null ? portfolioOf.remove(depositor) : portfolioOf.put(depositor, now);
        if (before != null && !before.equals(now)) {
            Set<String> old = depositorsByPortfolio.get(before);
            old.remove(depositor);
            if (old.isEmpty()) {
                depositorsByPortfolio.remove(before);
            }
        }
        if (now != null) {
            depositorsByPortfolio.computeIfAbsent(now, k -> new HashSet<>()).add(depositor);
        }
    }

    /** The withdrawer's recent pools against the recent depositors' with the same: the same multi-pool portfolio within the window. */
    private void matchPortfolio(Use w, Consumer<Alert> alerts) {
        Deque<Use> mine = recentWithdrawals.get(w.who().text());
        String key = portfolio(mine);
        if (key == null) {
            return;
        }
        long first = mine.peekFirst().time();
        List<Use> candidates = new ArrayList<>();
        for (String depositor : depositorsByPortfolio.getOrDefault(key, Set.of())) {
            Deque<Use> theirs = recentDeposits.get(depositor);
            Use last = theirs.peekLast();
            if (last.who().text().equals(w.who().text()) || w.time() - theirs.peekFirst().time() > window || last.time() > first) {
                continue;
            }
            candidates.add(theirs.peekFirst());
        }
        // Only an unambiguous match links: two depositors with the same portfolio in the window could each be the one.
        if (candidates.size() == 1) {
            link("portfolio", candidates.getFirst(), w, null, alerts);
        }
    }

    /** A direct payment between a depositor and a withdrawer, whichever came first. */
    private void linkDirect(Address depositor, Address withdrawer, Direct via, Consumer<Alert> alerts) {
        List<Use> ds = deposits.get(depositor.text());
        List<Use> ws = ds == null ? null : withdrawals.get(withdrawer.text());
        if (ws != null) {
            for (Use d : ds) {
                for (Use w : ws) {
                    link("direct_transfer", d, w, via, alerts);
                }
            }
        }
    }

    private void link(String heuristic, Use d, Use w, Direct via, Consumer<Alert> alerts) {
        if (d.time() > w.time() || !reported.add(heuristic + d.who().text() + "|" + w.who().text())) {
            return;
        }
        List<Hash256> txs = new ArrayList<>(List.of(d.tx(), w.tx()));
        List<Long> times = new ArrayList<>(List.of(d.time(), w.time()));
        if (via != null) {
            txs.add(via.tx());
            times.add(via.time());
        }
        alerts.accept(new Alert("mixer.link." + heuristic, txs, List.of(d.who(), w.who()), List.of(), times,
                heuristic.equals("same_address") ? 0.95 : heuristic.equals("direct_transfer") ? 0.85 : heuristic.equals("unique_gas_price") ? 0.8 : 0.7,
                Map.of("depositPool", d.pool(), "withdrawalPool", w.pool(), "windowSeconds",
                        Long.toString(heuristic.equals("unique_gas_price") ? gasWindow : window))));
    }
}
