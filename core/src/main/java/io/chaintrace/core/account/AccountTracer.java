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

    public AccountTrace.Result trace(AccountTrace.Request request) {
        Map<String, List<AccountTransfer>> seedsByAsset = seedsByAsset(ledger, request);
        Map<String, Asset> assets = assetsOf(seedsByAsset);
        List<AccountTrace.AssetResult> results = new ArrayList<>();
        for (Map.Entry<String, List<AccountTransfer>> e : seedsByAsset.entrySet()) {
            results.add(new Run(request, e.getKey(), assets.get(e.getKey()), e.getValue()).execute());
        }
        return new AccountTrace.Result(request, results);
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

        Run(AccountTrace.Request request, String assetKey, Asset asset, List<AccountTransfer> seeds) {
            this.request = request;
            this.assetKey = assetKey;
            this.asset = asset;
            this.limits = request.limits();
            this.seeds = new HashSet<>(seeds);
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
                seeded = seeded.add(s.amount().units());
                Traced t = traced.computeIfAbsent(s.to().text(), k -> new Traced(s.to()));
                t.hop = 0;
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
                    cutByTime, cutByBudget, notFetched, absorbed, beyondSeen));
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
                // paid back to a seed address) is absorbed, as on Bitcoin, not seeded a second time.
                absorbed = absorbed.add(taint);
                taint = amount;
                hop = 0;
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
