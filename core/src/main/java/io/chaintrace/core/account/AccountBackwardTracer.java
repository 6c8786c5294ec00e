package io.chaintrace.core.account;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.trace.FifoPolicy;
import io.chaintrace.core.trace.HaircutPolicy;
import io.chaintrace.core.trace.LifoPolicy;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.PoisonPolicy;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TihoPolicy;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Follows value backward on an account chain: where did the seed transfers' value come from.
 * A sender's history is replayed in chain order with every inflow as its own source
 * ({@link SourcePool}); a payment asked about is split into the inflows that paid it, and those
 * are asked about in turn at their senders. Each step goes to strictly earlier transfers, so the
 * trace is time-respecting and ends.
 *
 * <p>FIFO and LIFO map exact positions (a part of a payment to parts of inflows), haircut maps
 * amounts in proportion (largest remainder), poison takes every earlier inflow in full. Value a
 * sender paid beyond what the trace saw it receive (balances from before the data, block rewards)
 * is an unknown origin, reported as {@code held}. TIHO has no backward rule on accounts.
 */
public final class AccountBackwardTracer {
    private static final Comparator<AccountTransfer> CHAIN_ORDER = AccountTracer.CHAIN_ORDER;

    private final AccountLedger ledger;

    public AccountBackwardTracer(AccountLedger ledger) {
        this.ledger = ledger;
    }

    public AccountTrace.Result trace(AccountTrace.Request request) {
        Rule rule = rule(request.policy());
        Map<String, List<AccountTransfer>> byAsset = AccountTracer.seedsByAsset(ledger, request);
        Map<String, Asset> assets = AccountTracer.assetsOf(byAsset);
        List<AccountTrace.AssetResult> results = new ArrayList<>();
        for (Map.Entry<String, List<AccountTransfer>> e : byAsset.entrySet()) {
            results.add(new Run(request, rule, e.getKey(), assets.get(e.getKey()), e.getValue()).execute());
        }
        return new AccountTrace.Result(request, results);
    }

    /** How a policy splits a payment among the inflows that paid it, chosen once per trace. */
    private enum Rule { POISON, HAIRCUT, FIFO, LIFO }

    private static Rule rule(TaintPolicy policy) {
        return switch (policy) {
            case PoisonPolicy p -> Rule.POISON;
            case HaircutPolicy p -> Rule.HAIRCUT;
            case FifoPolicy p -> Rule.FIFO;
            case LifoPolicy p -> Rule.LIFO;
            case TihoPolicy p -> throw new IllegalArgumentException(
                    "policy " + p.name() + " has no backward rule on account chains (use fifo, lifo, haircut or poison)");
        };
    }

    /** What is asked of one transfer: the parts of its value (intervals, in units) and the hop. */
    private static final class Ask {
        final List<BigInteger[]> parts = new ArrayList<>();
        int hop;
        BigInteger total = BigInteger.ZERO;

        Ask(int hop) {
            this.hop = hop;
        }
    }

    private final class Run {
        private final AccountTrace.Request request;
        private final String assetKey;
        private final Asset asset;
        private final Limits limits;
        private final Rule rule;
        private final Map<AccountTransfer, Ask> asked = new LinkedHashMap<>();
        private final Map<String, List<AccountTransfer>> pending = new LinkedHashMap<>();
        private final Deque<String> senders = new ArrayDeque<>();
        private final Map<String, List<AccountTransfer>> histories = new HashMap<>();
        private final Map<String, Optional<Label>> endpointOf = new HashMap<>();
        private final Map<String, AccountTrace.Reached> reached = new LinkedHashMap<>();
        private final List<AccountTrace.Hit> hits = new ArrayList<>();
        private BigInteger seeded = BigInteger.ZERO;
        private BigInteger endpoints = BigInteger.ZERO;
        private BigInteger unknown = BigInteger.ZERO;
        private BigInteger dust = BigInteger.ZERO;
        private BigInteger cutByHops = BigInteger.ZERO;
        private BigInteger cutByTime = BigInteger.ZERO;
        private BigInteger cutByBudget = BigInteger.ZERO;
        private BigInteger notFetched = BigInteger.ZERO;

        Run(AccountTrace.Request request, Rule rule, String assetKey, Asset asset, List<AccountTransfer> seeds) {
            this.request = request;
            this.assetKey = assetKey;
            this.asset = asset;
            this.limits = request.limits();
            this.rule = rule;
            for (AccountTransfer t : seeds) {
                BigInteger a = t.amount().units();
                seeded = seeded.add(a);
                ask(t, List.<BigInteger[]>of(new BigInteger[] {BigInteger.ZERO, a}), 0);
            }
        }

        AccountTrace.AssetResult execute() {
            while (!senders.isEmpty()) {
                String sender = senders.poll();
                List<AccountTransfer> now = pending.remove(sender);
                if (now != null) {
                    answer(sender, now);
                }
            }
            List<AccountTrace.TaintedTransfer> flows = new ArrayList<>();
            asked.forEach((t, a) -> flows.add(new AccountTrace.TaintedTransfer(t, a.total, a.hop)));
            return new AccountTrace.AssetResult(asset, List.copyOf(reached.values()), hits, flows,
                    new AccountTrace.Account(seeded, endpoints, unknown, dust, cutByHops, cutByTime, cutByBudget, notFetched,
                            BigInteger.ZERO, BigInteger.ZERO));
        }

        /** Asks about parts of a transfer: where did they come from. Its sender is visited later. */
        private void ask(AccountTransfer t, List<BigInteger[]> parts, int hop) {
            BigInteger amount = BigInteger.ZERO;
            for (BigInteger[] p : parts) {
                amount = amount.add(p[1].subtract(p[0]));
            }
            if (amount.signum() == 0) {
                return;
            }
            Ask a = asked.get(t);
            if (a == null) {
                if (asked.size() >= limits.maxEdges() || reached.size() > limits.maxTransactions()) {
                    cutByBudget = cutByBudget.add(amount);
                    return;
                }
                a = new Ask(hop);
                asked.put(t, a);
            } else if (rule == Rule.POISON) {
                return; // poison asks a transfer in full once
            }
            a.hop = Math.min(a.hop, hop);
            a.total = a.total.add(amount);
            String sender = t.from().text();
            AccountTrace.Reached r = reached.get(sender);
            reached.put(sender, new AccountTrace.Reached(t.from(), r == null ? hop : Math.min(r.hop(), hop),
                    (r == null ? BigInteger.ZERO : r.received()).add(amount), BigInteger.ZERO));
            Optional<Label> service = endpoint(t.from());
            if (service.isPresent()) {
                Label l = service.get();
                hits.add(new AccountTrace.Hit(l.entity(), l.category(), t.from(), t.txHash(), t.block().height(), t.block().time(), hop, amount));
                if (!request.throughEndpoints()) {
                    endpoints = endpoints.add(amount);
                    return;
                }
            }
            if (hop + 1 > limits.maxHops()) {
                cutByHops = cutByHops.add(amount);
                return;
            }
            if (t.block().time() < limits.fromTime()) {
                cutByTime = cutByTime.add(amount);
                return;
            }
            // Only parts that go on to the sender are kept for it to answer.
            a.parts.addAll(parts);
            List<AccountTransfer> waiting = pending.computeIfAbsent(sender, k -> new ArrayList<>());
            if (waiting.isEmpty()) {
                senders.add(sender);
            }
            waiting.add(t);
        }

        /** Replays a sender's history up to the latest payment asked of it and splits each asked payment into its sources. */
        private void answer(String sender, List<AccountTransfer> payments) {
            Map<AccountTransfer, List<BigInteger[]>> newParts = new HashMap<>();
            for (AccountTransfer t : payments) {
                Ask a = asked.get(t);
                // Only what this visit must answer: the parts added since the sender was last visited for t.
                newParts.computeIfAbsent(t, k -> new ArrayList<>()).addAll(a.parts);
                a.parts.clear();
            }
            if (!ledger.historyKnown(payments.getFirst().from())) {
                // A sender a fetch did not ask about: its inflows are not in the store, so where this came from is not known here.
                newParts.values().forEach(p -> notFetched = notFetched.add(sum(p)));
                return;
            }
            AccountTransfer last = payments.stream().max(CHAIN_ORDER).orElseThrow();
            List<AccountTransfer> history = histories.computeIfAbsent(sender, k -> ledger.transfersOf(payments.getFirst().from()).stream()
                    .filter(x -> AccountTracer.assetKey(x.amount().asset()).equals(assetKey)).sorted(CHAIN_ORDER).toList());
            SourcePool pool = switch (rule) {
                case FIFO -> new LotSources(false);
                case LIFO -> new LotSources(true);
                case POISON, HAIRCUT -> new ShareSources();
            };
            List<AccountTransfer> inflows = new ArrayList<>();
            for (AccountTransfer x : history) {
                if (CHAIN_ORDER.compare(x, last) > 0) {
                    break;
                }
                if (x.from().text().equals(sender)) {
                    List<SourcePool.Piece> pieces = pool.pay(x.amount().units());
                    List<BigInteger[]> parts = newParts.get(x);
                    if (parts != null) {
                        attribute(x, parts, pieces, inflows);
                    }
                }
                if (x.to().text().equals(sender)) {
                    pool.receive(inflows.size(), x.amount().units());
                    inflows.add(x);
                }
            }
        }

        /** Maps the asked parts of payment {@code x} onto the inflows that paid it. */
        private void attribute(AccountTransfer x, List<BigInteger[]> parts, List<SourcePool.Piece> pieces, List<AccountTransfer> inflows) {
            int hop = asked.get(x).hop + 1;
            if (rule == Rule.POISON) {
                for (AccountTransfer in : inflows) {
                    ask(in, List.<BigInteger[]>of(new BigInteger[] {BigInteger.ZERO, in.amount().units()}), hop);
                }
                if (inflows.isEmpty()) {
                    unknown = unknown.add(sum(parts));
                }
                return;
            }
            if (rule == Rule.HAIRCUT) {
                BigInteger[] weights = pieces.stream().map(SourcePool.Piece::amount).toArray(BigInteger[]::new);
                BigInteger[] shares = ShareSources.split(sum(parts), weights);
                for (int i = 0; i < pieces.size(); i++) {
                    give(pieces.get(i).source(), List.<BigInteger[]>of(new BigInteger[] {BigInteger.ZERO, shares[i]}), inflows, hop);
                }
                return;
            }
            for (SourcePool.Piece piece : pieces) {
                BigInteger p0 = piece.paymentOffset();
                BigInteger p1 = p0.add(piece.amount());
                List<BigInteger[]> mapped = new ArrayList<>();
                for (BigInteger[] part : parts) {
                    BigInteger lo = part[0].max(p0);
                    BigInteger hi = part[1].min(p1);
                    if (lo.compareTo(hi) < 0) {
                        BigInteger shift = piece.sourceOffset().subtract(p0);
                        mapped.add(new BigInteger[] {lo.add(shift), hi.add(shift)});
                    }
                }
                give(piece.source(), mapped, inflows, hop);
            }
        }

        private void give(int source, List<BigInteger[]> parts, List<AccountTransfer> inflows, int hop) {
            BigInteger amount = sum(parts);
            if (amount.signum() == 0) {
                return;
            }
            if (source == SourcePool.Piece.UNKNOWN) {
                unknown = unknown.add(amount);
            } else if (amount.compareTo(BigInteger.valueOf(limits.minAmount())) < 0) {
                dust = dust.add(amount);
            } else {
                ask(inflows.get(source), parts, hop);
            }
        }

        private BigInteger sum(List<BigInteger[]> parts) {
            BigInteger s = BigInteger.ZERO;
            for (BigInteger[] p : parts) {
                s = s.add(p[1].subtract(p[0]));
            }
            return s;
        }

        private Optional<Label> endpoint(Address a) {
            return endpointOf.computeIfAbsent(a.text(), k -> ledger.labelsOf(a).stream()
                    .filter(l -> request.stopAt().contains(l.category())).max(Comparator.comparingDouble(Label::confidence)));
        }
    }
}
