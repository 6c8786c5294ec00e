package io.chaintrace.core.pattern;

import io.chaintrace.core.account.AccountLedger;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A swap inside one transaction (docs/PATTERNS.md): an address pays one asset and receives another
 * in the same transaction, as a constant-product pool (Uniswap V2/V3-style pairs) or an aggregator
 * router pays it. The alert names the swapper, what it paid (asset contract or ETH, amount) and what
 * it received, then the other parties (the pool, a router), so a trace can carry taint through
 * ({@code trace --follow-swaps}). A pool also pays one asset and receives another: of the parties
 * that do, the swapper is the one that paid the transaction's own value (its sender), else the one
 * with the shortest history (a pool deals with everyone).
 */
public final class SwapDetector implements PatternDetector {
    private Hash256 tx;
    private final List<AccountTransfer> inTx = new ArrayList<>();

    @Override
    public String name() {
        return "swap";
    }

    @Override
    public void accept(AccountTransfer transfer, AccountLedger ledger, Consumer<Alert> alerts) {
        // Transfers come in chain order: a transaction's are together, so it is judged when the next one starts.
        if (tx != null && !tx.equals(transfer.txHash())) {
            judge(alerts);
        }
        tx = transfer.txHash();
        this.ledger = ledger;
        inTx.add(transfer);
    }

    @Override
    public void finish(Consumer<Alert> alerts) {
        if (tx != null) {
            judge(alerts);
        }
    }

    private AccountLedger ledger;
    /** Histories are compared up to this length: a pool's is longer than any trader's, and is not counted to its end. */
    private static final int HISTORY_CAP = 10_000;
    /** History lengths asked once per address: a pool is a party of every swap through it. */
    private final Map<String, Integer> histories = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > 100_000;
        }
    };

    private void judge(Consumer<Alert> alerts) {
        if (inTx.size() < 2) {
            inTx.clear(); // one transfer pays one asset and receives none: most transactions are no swap
            tx = null;
            return;
        }
        Map<String, Map<String, BigInteger>> net = new LinkedHashMap<>(); // address -> asset -> received - paid
        Map<String, Address> addresses = new LinkedHashMap<>();
        for (AccountTransfer t : inTx) {
            if (t.from().text().equals(t.to().text()) || t.amount().units().signum() == 0) {
                continue;
            }
            String asset = asset(t);
            addresses.putIfAbsent(t.from().text(), t.from());
            addresses.putIfAbsent(t.to().text(), t.to());
            net.computeIfAbsent(t.from().text(), k -> new LinkedHashMap<>()).merge(asset, t.amount().units().negate(), BigInteger::add);
            net.computeIfAbsent(t.to().text(), k -> new LinkedHashMap<>()).merge(asset, t.amount().units(), BigInteger::add);
        }
        // Both sides of a swap pay one asset and receive another: the pool as much as the trader. The trader is the one
        // with the shorter history (a pool or router deals with everyone).
        String swapper = null;
        int fewest = Integer.MAX_VALUE;
        // Whoever paid the transaction's own value (its top-level transfer) sent it: when that party swaps, it is the swapper.
        String sender = inTx.stream().filter(t -> t.kind() == io.chaintrace.core.model.TransferKind.NATIVE && t.index() == 0)
                .map(t -> t.from().text()).findFirst().orElse(null);
        for (Map.Entry<String, Map<String, BigInteger>> e : net.entrySet()) {
            boolean paid = e.getValue().values().stream().anyMatch(v -> v.signum() < 0);
            boolean got = e.getValue().values().stream().anyMatch(v -> v.signum() > 0);
            if (paid && got && e.getKey().equals(sender)) {
                swapper = sender;
                break;
            }
            if (paid && got) {
                int history = histories.computeIfAbsent(e.getKey(), k -> ledger.transferCount(addresses.get(k), HISTORY_CAP));
                if (history < fewest) {
                    fewest = history;
                    swapper = e.getKey();
                }
            }
        }
        if (swapper != null) {
            String paidAsset = null;
            String gotAsset = null;
            BigInteger paid = BigInteger.ZERO;
            BigInteger got = BigInteger.ZERO;
            for (Map.Entry<String, BigInteger> a : net.get(swapper).entrySet()) {
                if (a.getValue().signum() < 0 && a.getValue().negate().compareTo(paid) > 0) {
                    paidAsset = a.getKey();
                    paid = a.getValue().negate();
                } else if (a.getValue().signum() > 0 && a.getValue().compareTo(got) > 0) {
                    gotAsset = a.getKey();
                    got = a.getValue();
                }
            }
            List<Address> who = new ArrayList<>(List.of(addresses.get(swapper)));
            String s = swapper;
            addresses.forEach((k, v) -> {
                if (!k.equals(s)) {
                    who.add(v);
                }
            });
            alerts.accept(new Alert(name(), List.of(tx), who, List.of(paid, got), List.of(inTx.getFirst().block().time()), 0.9,
                    Map.of("paid", paidAsset, "received", gotAsset)));
        }
        inTx.clear();
        tx = null;
    }

    private static String asset(AccountTransfer t) {
        return t.amount().asset().contract().map(Address::text).orElse(t.amount().asset().symbol());
    }
}
