package io.chaintrace.core.cluster;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.LabelCategory;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Exchange deposit addresses on Ethereum (Victor 2020, docs/CLUSTERING.md): an address D that
 * forwards to a known exchange address, within {@code maxBlocks} blocks, an amount within
 * {@code tolerance} wei of what it received, is that exchange's deposit address, and every
 * account that paid into D is one entity (the customer's). Transfers are fed in chain order; ETH
 * only (token deposits are swept differently).
 */
public final class DepositAddressClustering {
    private final UnionFind sets;
    private final ToIntFunction<Address> ids;
    private final Function<Address, Set<LabelCategory>> categories;
    private final long maxBlocks;
    private final BigInteger tolerance;
    private final Map<String, Deque<Inflow>> received = new HashMap<>();
    private final Map<String, List<Address>> payersOf = new HashMap<>();
    private final Map<String, String> depositOf = new HashMap<>();
    private long links;

    private record Inflow(Address from, BigInteger amount, long block) {
    }

    /** A deposit address found: it, the exchange it forwards to, and the payers joined. */
    public record Deposit(Address deposit, Address exchange, List<Address> payers) {
    }

    public DepositAddressClustering(UnionFind sets, ToIntFunction<Address> ids, Function<Address, Set<LabelCategory>> categories,
                                    long maxBlocks, BigInteger tolerance) {
        this.sets = sets;
        this.ids = ids;
        this.categories = categories;
        this.maxBlocks = maxBlocks;
        this.tolerance = tolerance;
    }

    /** 3,200 blocks, 0.01 ETH: the published thresholds. */
    public static DepositAddressClustering standard(UnionFind sets, ToIntFunction<Address> ids, Function<Address, Set<LabelCategory>> categories) {
        return new DepositAddressClustering(sets, ids, categories, 3_200, BigInteger.TEN.pow(16));
    }

    /** Returns the deposit address this transfer revealed, if it did. */
    public java.util.Optional<Deposit> accept(AccountTransfer t) {
        if (t.amount().asset().contract().isPresent()) {
            return java.util.Optional.empty();
        }
        long block = t.block().height();
        String to = t.to().text();
        String from = t.from().text();
        if (isExchange(t.to()) && !isExchange(t.from())) {
            Deque<Inflow> in = received.get(from);
            if (in != null) {
                while (!in.isEmpty() && block - in.peekFirst().block() > maxBlocks) {
                    in.pollFirst();
                }
                for (Inflow f : in) {
                    if (f.amount().subtract(t.amount().units()).abs().compareTo(tolerance) <= 0) {
                        return java.util.Optional.of(deposit(t.from(), t.to()));
                    }
                }
            }
        } else if (!isExchange(t.from())) {
            received.computeIfAbsent(to, k -> new ArrayDeque<>()).addLast(new Inflow(t.from(), t.amount().units(), block));
            payersOf.computeIfAbsent(to, k -> new ArrayList<>()).add(t.from());
            if (depositOf.containsKey(to)) {
                join(t.from(), payersOf.get(to).getFirst()); // a known deposit address: its new payer is the same customer
            }
        }
        return java.util.Optional.empty();
    }

    private Deposit deposit(Address d, Address exchange) {
        depositOf.put(d.text(), exchange.text());
        List<Address> payers = payersOf.getOrDefault(d.text(), List.of());
        for (Address p : payers) {
            join(p, payers.getFirst());
        }
        return new Deposit(d, exchange, List.copyOf(payers));
    }

    private void join(Address a, Address b) {
        int x = ids.applyAsInt(a);
        int y = ids.applyAsInt(b);
        if (sets.find(x) != sets.find(y)) {
            sets.union(x, y);
            links++;
        }
    }

    private boolean isExchange(Address a) {
        return categories.apply(a).contains(LabelCategory.EXCHANGE);
    }

    public long links() {
        return links;
    }
}
