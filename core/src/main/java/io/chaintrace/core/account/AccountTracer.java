package io.chaintrace.core.account;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.trace.Limits;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Follows taint forward on an account chain. Each address holds a {@link Pool} per asset. Every
 * transfer that touches a traced address is replayed in chain order (block, transaction, kind,
 * index), so a pool's balance includes the clean value it held before the theft, and value that
 * left an address before the taint arrived carries none of it. An address starts to be traced
 * when taint first reaches it; its earlier history is replayed clean.
 */
public final class AccountTracer {
    static final Comparator<AccountTransfer> CHAIN_ORDER = Comparator.<AccountTransfer>comparingInt(t -> t.block().height())
            .thenComparingInt(AccountTransfer::txIndex).thenComparing(AccountTransfer::kind).thenComparingInt(AccountTransfer::index);

    private final AccountLedger ledger;

    /** A seed address that received nothing in the store (wrong address, or its blocks are not ingested). */
    public static final class SeedNotFoundException extends IllegalArgumentException {
        public SeedNotFoundException(String message) {
            super(message);
        }
    }

    public AccountTracer(AccountLedger ledger) {
        this.ledger = ledger;
    }

    /** At most this many runs of one trace when swaps are followed (value swapped back and forth converges long before). */
    private static final int MAX_RUNS = 64;

    public AccountTrace.Result trace(AccountTrace.Request request) {
        Map<String, List<AccountTransfer>> seedsByAsset = seedsByAsset(ledger, request);
        Map<String, Asset> assets = new HashMap<>(assetsOf(seedsByAsset));
        Map<String, AccountTrace.AssetResult> results = new LinkedHashMap<>();
        // Taint swapped into an asset: per asset, per asset it came from, the inflows it arrived in with their taint and hop.
        Map<String, Map<String, Map<AccountTransfer, SwapIn>>> swapped = new HashMap<>();
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(seedsByAsset.keySet());
        for (int runs = 0; !todo.isEmpty(); runs++) {
            if (runs >= MAX_RUNS) {
                throw new IllegalStateException("swaps followed back and forth more than " + MAX_RUNS + " times; trace without --follow-swaps");
            }
            String key = todo.poll();
            Map<AccountTransfer, SwapIn> in = new LinkedHashMap<>();
            swapped.getOrDefault(key, Map.of()).values().forEach(m -> m.forEach((t, v) -> in.merge(t, v, SwapIn::plus)));
            Run run = new Run(request, key, assets.get(key), seedsByAsset.getOrDefault(key, List.of()), in);
            results.put(key, run.execute());
            if (!request.followSwaps()) {
                continue;
            }
            // What this asset's taint bought in other assets: each changed asset is traced (again) with it.
            Map<String, Map<AccountTransfer, SwapIn>> bought = swapsOut(run.swapsOut);
            java.util.Set<String> affected = new java.util.HashSet<>(bought.keySet());
            swapped.forEach((b, bySource) -> {
                if (bySource.containsKey(key)) {
                    affected.add(b);
                }
            });
            for (String b : affected) {
                Map<AccountTransfer, SwapIn> now = bought.getOrDefault(b, Map.of());
                Map<AccountTransfer, SwapIn> before = swapped.computeIfAbsent(b, k -> new HashMap<>()).put(key, now);
                if (!now.equals(before == null ? Map.of() : before) && !todo.contains(b)) {
                    now.keySet().stream().findFirst().ifPresent(t -> assets.putIfAbsent(b, t.amount().asset()));
                    todo.add(b);
                }
            }
        }
        return new AccountTrace.Result(request, List.copyOf(results.values()));
    }

    /** Taint arriving in another asset through a swap: how much, at which hop. */
    private record SwapIn(BigInteger taint, int hop) {
        SwapIn plus(SwapIn o) {
            return new SwapIn(taint.add(o.taint), Math.min(hop, o.hop));
        }
    }

    /** A tainted payment into a swap: the transfer out (asset A) and the taint it carried. */
    private record SwapOut(AccountTransfer transfer, BigInteger taint, int hop) {
    }

    /**
     * What tainted swaps bought: per swap (transaction, swapper), the taint paid in of asset A over all the A it paid
     * in that transaction, times each inflow of another asset it received there, rounded down per inflow.
     */
    private Map<String, Map<AccountTransfer, SwapIn>> swapsOut(List<SwapOut> outs) {
        Map<String, List<SwapOut>> bySwap = new LinkedHashMap<>();
        outs.forEach(o -> bySwap.computeIfAbsent(o.transfer().txHash().hex() + "|" + o.transfer().from().text(), k -> new ArrayList<>()).add(o));
        Map<String, Map<AccountTransfer, SwapIn>> bought = new LinkedHashMap<>();
        for (List<SwapOut> swap : bySwap.values()) {
            AccountTransfer first = swap.getFirst().transfer();
            Address swapper = first.from();
            String paidAsset = assetKey(first.amount().asset());
            BigInteger taint = swap.stream().map(SwapOut::taint).reduce(BigInteger.ZERO, BigInteger::add);
            int hop = swap.stream().mapToInt(SwapOut::hop).min().orElse(0);
            BigInteger paid = BigInteger.ZERO;
            List<AccountTransfer> received = new ArrayList<>();
            for (AccountTransfer t : ledger.transfersOf(swapper)) {
                if (!t.txHash().equals(first.txHash())) {
                    continue;
                }
                String k = assetKey(t.amount().asset());
                if (t.from().text().equals(swapper.text()) && k.equals(paidAsset) && !t.to().text().equals(swapper.text())) {
                    paid = paid.add(t.amount().units());
                } else if (t.to().text().equals(swapper.text()) && !k.equals(paidAsset) && !t.from().text().equals(swapper.text())) {
                    received.add(t);
                }
            }
            for (AccountTransfer t : received) {
                BigInteger share = t.amount().units().multiply(taint).divide(paid);
                if (share.signum() > 0) {
                    bought.computeIfAbsent(assetKey(t.amount().asset()), k -> new LinkedHashMap<>()).merge(t, new SwapIn(share, hop), SwapIn::plus);
                }
            }
        }
        return bought;
    }

    /** Whether a payment is one side of a swap: its payer receives another asset in the same transaction. */
    private boolean swapLeg(AccountTransfer t, Map<String, Boolean> cache) {
        String key = t.txHash().hex() + "|" + t.from().text();
        return cache.computeIfAbsent(key, k -> {
            String paid = assetKey(t.amount().asset());
            for (AccountTransfer u : ledger.transfersOf(t.from())) {
                if (u.txHash().equals(t.txHash()) && u.to().text().equals(t.from().text()) && !u.from().text().equals(t.from().text())
                        && !assetKey(u.amount().asset()).equals(paid) && u.amount().units().signum() > 0) {
                    return true;
                }
            }
            return false;
        });
    }

    /** The seed transfers (what each seed address received, in the seed's transaction when given), per asset. */
    static Map<String, List<AccountTransfer>> seedsByAsset(AccountLedger ledger, AccountTrace.Request request) {
        Map<String, List<AccountTransfer>> byAsset = new LinkedHashMap<>();
        for (AccountTrace.Seed seed : request.seeds()) {
            String a = seed.address().text();
            List<AccountTransfer> in = seed.outflows()
                    ? ledger.transfersOf(seed.address()).stream().filter(t -> t.from().text().equals(a) && !t.to().text().equals(a))
                            .filter(t -> t.block().time() >= seed.fromTime()).toList()
                    : ledger.transfersOf(seed.address()).stream().filter(t -> t.to().text().equals(a))
                            .filter(t -> seed.tx().map(h -> h.equals(t.txHash())).orElse(true)).toList();
            if (in.isEmpty()) {
                throw new SeedNotFoundException("seed " + seed + (seed.outflows() ? " paid nothing" : " received nothing") + " in the store");
            }
            for (AccountTransfer t : in) {
                byAsset.computeIfAbsent(assetKey(t.amount().asset()), k -> new ArrayList<>()).add(t);
            }
        }
        return byAsset;
    }

    static Map<String, Asset> assetsOf(Map<String, List<AccountTransfer>> byAsset) {
        Map<String, Asset> assets = new HashMap<>();
        byAsset.forEach((k, v) -> assets.put(k, v.getFirst().amount().asset()));
        return assets;
    }

    static String assetKey(Asset a) {
        return a.contract().map(Address::text).orElse(a.symbol());
    }

    /** One asset's trace. */
    private final class Run {
        private final AccountTrace.Request request;
        private final String assetKey;
        private final Asset asset;
        private final Limits limits;
        private final Set<AccountTransfer> seeds;
        private final Map<String, Traced> traced = new LinkedHashMap<>();
        private final PriorityQueue<Traced> queue = new PriorityQueue<>(Comparator.comparing(t -> t.next(), CHAIN_ORDER));
        private final Set<AccountTransfer> done = new HashSet<>();
        private final List<AccountTrace.Hit> hits = new ArrayList<>();
        private final List<AccountTrace.TaintedTransfer> flows = new ArrayList<>();
        private final Map<String, Optional<Label>> endpointOf = new HashMap<>();
        private BigInteger seeded = BigInteger.ZERO;
        private BigInteger endpoints = BigInteger.ZERO;
        private BigInteger dust = BigInteger.ZERO;
        private BigInteger cutByHops = BigInteger.ZERO;
        private BigInteger cutByTime = BigInteger.ZERO;
        private BigInteger cutByBudget = BigInteger.ZERO;
        private BigInteger absorbed = BigInteger.ZERO;
        private BigInteger beyondSeen = BigInteger.ZERO;
        private long transfersSeen;

        /** Seeds that are inflows bought with taint of another asset: their taint and hop. */
        private final Map<AccountTransfer, SwapIn> swapIns;
        private final List<SwapOut> swapsOut = new ArrayList<>();
        private final Map<String, Boolean> swapLegs = new HashMap<>();
        private BigInteger swappedIn = BigInteger.ZERO;
        private BigInteger swappedOut = BigInteger.ZERO;

        Run(AccountTrace.Request request, String assetKey, Asset asset, List<AccountTransfer> seeds, Map<AccountTransfer, SwapIn> swapIns) {
            this.request = request;
            this.assetKey = assetKey;
            this.asset = asset;
            this.limits = request.limits();
            this.seeds = new HashSet<>(seeds);
            this.swapIns = swapIns;
            this.seeds.addAll(swapIns.keySet());
        }

        /** A traced address: its pool, its transfers of this asset in chain order, and where its replay stands. */
        private final class Traced {
            final Address address;
            final Pool pool = Pool.of(request.policy());
            final List<AccountTransfer> history;
            int cursor;
            int hop = Integer.MAX_VALUE;
            BigInteger received = BigInteger.ZERO;

            Traced(Address address) {
                this.address = address;
                this.history = ledger.transfersOf(address).stream().filter(t -> assetKey(t.amount().asset()).equals(assetKey)).toList();
            }

            AccountTransfer next() {
                return history.get(cursor);
            }

            boolean more() {
                return cursor < history.size();
            }
        }

        AccountTrace.AssetResult execute() {
            for (AccountTransfer s : seeds) {
                SwapIn bought = swapIns.get(s);
                if (bought == null) {
                    seeded = seeded.add(s.amount().units());
                } else {
                    swappedIn = swappedIn.add(bought.taint());
                }
                Traced t = traced.computeIfAbsent(s.to().text(), k -> new Traced(s.to()));
                t.hop = Math.min(t.hop, bought == null ? 0 : bought.hop());
            }
            traced.values().forEach(this::schedule);
            while (!queue.isEmpty()) {
                Traced at = queue.poll();
                AccountTransfer t = at.next();
                at.cursor++;
                if (done.add(t)) {
                    apply(t);
                }
                schedule(at);
            }
            List<AccountTrace.Reached> reached = new ArrayList<>();
            BigInteger held = BigInteger.ZERO;
            BigInteger notFetched = BigInteger.ZERO;
            for (Traced t : traced.values()) {
                // An address a fetch did not ask about may have paid the taint on: the store cannot say, so it is cut, not held.
                if (ledger.historyKnown(t.address)) {
                    held = held.add(t.pool.taint());
                    reached.add(new AccountTrace.Reached(t.address, t.hop, t.received, t.pool.taint()));
                } else {
                    notFetched = notFetched.add(t.pool.taint());
                    reached.add(new AccountTrace.Reached(t.address, t.hop, t.received, BigInteger.ZERO));
                }
            }
            return new AccountTrace.AssetResult(asset, reached, hits, flows, new AccountTrace.Account(seeded, endpoints, held, dust, cutByHops,
                    cutByTime, cutByBudget, notFetched, absorbed, beyondSeen, swappedIn, swappedOut));
        }

        private void schedule(Traced t) {
            if (t.more()) {
                queue.add(t);
            }
        }

        /** One transfer, in chain order: out of the sender's pool (if traced), into the receiver's. */
        private void apply(AccountTransfer t) {
            BigInteger amount = t.amount().units();
            Traced from = traced.get(t.from().text());
            if (from != null && amount.compareTo(from.pool.balance()) > 0) {
                beyondSeen = beyondSeen.add(amount.subtract(from.pool.balance().max(BigInteger.ZERO)));
            }
            Pool.Payment paid = from == null ? Pool.Payment.CLEAN : from.pool.pay(amount);
            BigInteger taint = paid.taint();
            int hop = paid.hop() < 0 ? -1 : paid.hop() + 1;
            if (seeds.contains(t)) {
                // The theft itself: all of it is stolen and counted as seeded; taint the trace brought into it (stolen value
                // paid back to a seed address) is absorbed, as on Bitcoin, not seeded a second time. An inflow bought with
                // stolen value of another asset carries the share that swap gave it.
                absorbed = absorbed.add(taint);
                SwapIn bought = swapIns.get(t);
                taint = bought == null ? amount : bought.taint().min(amount);
                hop = bought == null ? 0 : bought.hop();
            }
            Traced to = traced.get(t.to().text());
            if (taint.signum() == 0) {
                if (to != null) {
                    to.pool.receive(amount, BigInteger.ZERO, -1);
                }
                return;
            }
            transfersSeen++;
            if (hop > limits.maxHops()) {
                cutByHops = cutByHops.add(taint);
                receiveClean(to, amount);
                return;
            }
            if (t.block().time() > limits.untilTime()) {
                cutByTime = cutByTime.add(taint);
                receiveClean(to, amount);
                return;
            }
            if (transfersSeen > limits.maxEdges() || traced.size() > limits.maxTransactions()) {
                cutByBudget = cutByBudget.add(taint);
                receiveClean(to, amount);
                return;
            }
            if (taint.compareTo(BigInteger.valueOf(limits.minAmount())) < 0) {
                dust = dust.add(taint);
                receiveClean(to, amount);
                return;
            }
            // Only a traced payer's own taint is swapped: a seed (the swap's output itself, among others) is not a payment into one.
            if (request.followSwaps() && from != null && !seeds.contains(t) && swapLeg(t, swapLegs)) {
                // Paid into a swap: the taint goes on in what the swap paid back (traced in that asset), not into the pool.
                swappedOut = swappedOut.add(taint);
                swapsOut.add(new SwapOut(t, taint, hop));
                flows.add(new AccountTrace.TaintedTransfer(t, taint, hop));
                receiveClean(to, amount);
                return;
            }
            Optional<Label> service = endpoint(t.to());
            if (service.isPresent()) {
                Label l = service.get();
                hits.add(new AccountTrace.Hit(l.entity(), l.category(), t.to(), t.txHash(), t.block().height(), t.block().time(), hop, taint));
                if (!request.throughEndpoints()) {
                    flows.add(new AccountTrace.TaintedTransfer(t, taint, hop));
                    endpoints = endpoints.add(taint);
                    return;
                }
            }
            if (to == null) {
                to = startTracing(t);
            }
            to.pool.receive(amount, paid, taint, hop);
            to.received = to.received.add(taint);
            flows.add(new AccountTrace.TaintedTransfer(t, taint, hop));
            to.hop = Math.min(to.hop, hop);
        }

        private void receiveClean(Traced to, BigInteger amount) {
            if (to != null) {
                to.pool.receive(amount, BigInteger.ZERO, -1);
            }
        }

        /** Starts tracing an address that taint has just reached: its history before this transfer is replayed clean. */
        private Traced startTracing(AccountTransfer arriving) {
            Traced t = new Traced(arriving.to());
            traced.put(arriving.to().text(), t);
            while (t.more() && CHAIN_ORDER.compare(t.next(), arriving) < 0) {
                AccountTransfer past = t.next();
                BigInteger a = past.amount().units();
                // Out before in, as apply() does: a transfer to itself pays from what the address held before it.
                if (past.from().text().equals(t.address.text())) {
                    t.pool.pay(a);
                }
                if (past.to().text().equals(t.address.text())) {
                    t.pool.receive(a, BigInteger.ZERO, -1);
                }
                t.cursor++;
            }
            if (t.more() && t.next().equals(arriving)) {
                t.cursor++; // the arriving transfer is applied by the caller
            }
            schedule(t);
            return t;
        }

        private Optional<Label> endpoint(Address a) {
            return endpointOf.computeIfAbsent(a.text(), k -> ledger.labelsOf(a).stream()
                    .filter(l -> request.stopAt().contains(l.category())).max(Comparator.comparingDouble(Label::confidence)));
        }
    }
}
