package io.chaintrace.cli.report;

import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.AlertReview;
import io.chaintrace.core.trace.TraceGraph;
import io.chaintrace.core.trace.TraceResult;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jgrapht.Graph;

/**
 * What a report says about a case, independent of its format: per traced asset (a leg) the seeds,
 * where the seeded value went (endpoint entities and categories, what is still held, what limits
 * cut), a per-hop breakdown, and the flow graph at address level; links between legs (a bridge
 * hop); how each policy would split the same value; the patterns flagged; and the parameters that
 * reproduce it. Amounts are exact base units as text, with a decimal form for people.
 */
public record CaseReport(String title, String generated, Map<String, Object> parameters, List<Leg> legs, List<Link> links,
                         List<PolicyRow> policies, List<AlertRow> alerts, List<String> notes) {

    /** One traced asset: a chain, an asset, one policy. */
    public record Leg(String name, String chain, String asset, int decimals, String policy, List<String> seeds, String seeded,
                      String seededDisplay, List<Endpoint> endpoints, List<Category> categories, Map<String, String> account,
                      List<Hop> hops, List<Node> nodes, List<Edge> edges, List<AccountRow> accountRows) {
    }

    /**
     * One line of a leg's account: {@code key} is the field's name in {@code trace --json}'s account, {@code units} the
     * exact base units ({@code balanced}: true, false, or "does not apply"), {@code uncertain} when the amount rests on an
     * input whose funding transaction is not in the store (what it held, and so the shares split through it, is unknown).
     */
    public record AccountRow(String key, String label, String units, String display, boolean uncertain) {
    }

    /** Value one endpoint entity received; {@code uncertain} as for an account row. */
    public record Endpoint(String entity, String category, String amount, String display, int transfers, boolean uncertain) {
    }

    /** Value one category of service received. */
    public record Category(String category, String amount, String display) {
    }

    /** Per hop: how many tainted transfers (Bitcoin: outputs), the taint they carried, and what reached services at that hop. */
    public record Hop(int hop, int transfers, String moved, String display, String toEndpoints) {
    }

    /**
     * A node of the flow graph: an address ({@code id} = chain:address).
     *
     * @param kind seed, endpoint (a labelled service the trace stopped at), held (still holds taint), or address
     * @param category the normalised category (what a trace stops at); {@code sourceCategory} the label source's own word
     */
    public record Node(String id, String address, String chain, String kind, String label, String entity, String category, int hop,
                       String sourceCategory) {
    }

    /** Taint moving from one address to another in one transaction; {@code uncertain} as for an account row. */
    public record Edge(String source, String target, String tx, int block, long time, int hop, String asset, String value, String taint,
                       String display, boolean uncertain) {
    }

    /** A hop the ledgers do not show, stated by the case (e.g. a bridge's payout on the other chain). */
    public record Link(String source, String target, String note) {
    }

    /** What one endpoint entity receives under one policy, for one leg. */
    public record PolicyRow(String leg, String policy, Map<String, String> byEntity) {
        /** Where a Bitcoin trace's value went under its policy, by entity, in BTC. */
        public static PolicyRow bitcoin(String leg, String policy, TraceResult r) {
            Map<String, String> m = new LinkedHashMap<>();
            r.byEntity().forEach((k, v) -> m.put(k, display(BigInteger.valueOf(v), 8)));
            return new PolicyRow(leg, policy, m);
        }

        /** The same for one asset of an account trace, in the asset's units. */
        public static PolicyRow account(String leg, String policy, AccountTrace.AssetResult a) {
            int d = a.asset().decimals().orElse(0);
            Map<String, String> m = new LinkedHashMap<>();
            a.byEntity().forEach((k, v) -> m.put(k, display(v, d)));
            return new PolicyRow(leg, policy, m);
        }
    }

    /** A flagged pattern with its evidence; {@code onTrace} when it touches a traced transaction or address. */
    /** An alert in the report: ranked as the review ranks it, with why it was raised and how many findings it merges. */
    public record AlertRow(String pattern, double confidence, String reason, int merged, List<String> transactions, List<String> addresses,
                           List<String> amounts, Map<String, String> parameters, boolean onTrace) {
    }

    /** Every node id across the legs (a node shared by two legs, e.g. ETH and a token, counts once). */
    public Set<String> nodeIds() {
        Set<String> ids = new HashSet<>();
        legs.forEach(l -> l.nodes().forEach(n -> ids.add(n.id())));
        return ids;
    }

    /** Exact base units as a decimal number. */
    public static String display(BigInteger units, int decimals) {
        return new BigDecimal(units, decimals).stripTrailingZeros().toPlainString();
    }

    public static String nodeId(Address a) {
        return (a.chain() == Chain.BITCOIN ? "btc:" : "eth:") + a.shown(); // a key and its P2PKH address are one node
    }

    /** A Bitcoin trace as a leg (address level). */
    public static Leg bitcoin(String name, TraceResult r, Function<Address, List<Label>> labels) {
        int decimals = 8;
        Map<String, TraceResult.TaintedOutput> byOutpoint = new HashMap<>();
        r.outputs().forEach(o -> byOutpoint.put(o.outpoint().toString(), o));
        Set<String> uncertain = uncertainOutputs(r);
        Nodes nodes = new Nodes(labels);
        for (TraceResult.TaintedOutput o : r.outputs()) {
            if (o.taint().isClean()) {
                continue;
            }
            String kind = o.hop() == 0 ? "seed" : switch (o.state()) {
                case ENDPOINT -> "endpoint";
                case UNSPENT -> "held";
                default -> "address";
            };
            if (o.owner().isPresent()) {
                nodes.add(o.owner().get(), kind, o.hop());
            } else {
                // Value burnt or paid to a script with no owner (OP_RETURN): a node of its own, as the trace graph has it.
                nodes.ownerless("btc:no owner:" + o.outpoint(), o.outpoint().toString(), kind, o.hop());
            }
        }
        // The graph names an owner by its text (a P2PK key as pubkey:...); the report's node by what explorers show.
        Map<String, String> nodeOf = new HashMap<>();
        r.outputs().forEach(o -> o.owner().ifPresent(a -> nodeOf.put(a.text(), nodeId(a))));
        List<Edge> edges = new ArrayList<>();
        Graph<TraceGraph.Node, TraceGraph.Edge> g = TraceGraph.of(r, TraceGraph.Level.ADDRESS);
        for (TraceGraph.Edge e : g.edgeSet()) {
            TraceResult.TaintedOutput o = byOutpoint.get(e.outpoint());
            String fromText = g.getEdgeSource(e).id().substring("addr:".length());
            String toText = g.getEdgeTarget(e).id().substring("addr:".length());
            String from = nodeOf.getOrDefault(fromText, "btc:" + fromText);
            String to = nodeOf.getOrDefault(toText, "btc:" + toText);
            edges.add(new Edge(from, to, o.outpoint().txid().hex(), o.height(), o.time(), o.hop(), "BTC", Long.toString(e.value()),
                    Long.toString(e.taint()), display(BigInteger.valueOf(e.taint()), decimals), uncertain.contains(e.outpoint())));
        }
        List<Endpoint> endpoints = endpoints(r.endpoints().stream().map(h -> new Hit(h.entity(), h.category().id(),
                BigInteger.valueOf(h.amount()), h.hop(), uncertain.contains(h.outpoint().toString()))).toList(), decimals);
        TraceResult.Account a = r.account();
        boolean conserving = r.request().policy().conserving();
        boolean anyUncertain = !uncertain.isEmpty();
        boolean endpointsUncertain = endpoints.stream().anyMatch(Endpoint::uncertain);
        boolean unspentUncertain = r.outputs().stream().anyMatch(o -> o.state() == TraceResult.OutputState.UNSPENT
                && uncertain.contains(o.outpoint().toString()));
        Rows rows = new Rows(decimals);
        rows.add("endpoints", "reached services", a.endpoints(), endpointsUncertain);
        rows.add("unspent", conserving ? "still unspent" : "on unspent tainted outputs", a.unspent(), unspentUncertain);
        rows.add("fees", "paid as fees", a.fees(), anyUncertain && a.fees() > 0);
        rows.add("cutByHops", "cut by the hop limit", a.cutByHops(), anyUncertain && a.cutByHops() > 0);
        rows.add("dust", "below the minimum amount", a.dust(), anyUncertain && a.dust() > 0);
        rows.add("cutByTime", "cut by the time window", a.cutByTime(), anyUncertain && a.cutByTime() > 0);
        rows.add("cutByBudget", "cut by the budget", a.cutByBudget(), anyUncertain && a.cutByBudget() > 0);
        rows.add("cutNotFetched", "not fetched (the fetched neighbourhood ends there; not unspent)", a.cutNotFetched(), false);
        rows.add("minted", "minted (coinbases reached backward)", a.minted(), false);
        rows.add("unresolved", "unresolved (funding transaction not in the store)", a.unresolved(), false);
        rows.add("absorbedBySeeds", "came back to a seed (counted there already)", a.absorbedBySeeds(), false);
        rows.balanced(conserving ? Boolean.toString(a.balanced()) : "does not apply: poison taints whole outputs and does not conserve value");
        List<Hop> hops = hops(r.outputs().stream().filter(o -> o.hop() > 0 && !o.taint().isClean())
                .map(o -> new Hit("", "", BigInteger.valueOf(o.taint().amount()), o.hop(), false)).toList(),
                r.endpoints().stream().map(h -> new Hit("", "", BigInteger.valueOf(h.amount()), h.hop(), false)).toList(), decimals);
        return new Leg(name, "bitcoin", "BTC", decimals, r.request().policy().name(),
                r.request().seeds().stream().map(Object::toString).toList(), Long.toString(a.seeded()),
                display(BigInteger.valueOf(a.seeded()), decimals), endpoints, categories(endpoints, decimals), rows.labelled(), hops,
                nodes.list(), edges, rows.list());
    }

    /**
     * The outputs whose taint rests on an input whose funding transaction is not in the store: the outputs of such a
     * transaction, and everything reached through them. What the unknown input held is not known, so the shares a
     * policy splits through the transaction are not either.
     */
    static Set<String> uncertainOutputs(TraceResult r) {
        Set<Hash256> txs = new HashSet<>();
        r.transactions().stream().filter(t -> !t.resolved()).forEach(t -> txs.add(t.txid()));
        Set<String> out = new HashSet<>();
        if (txs.isEmpty()) {
            return out;
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (TraceResult.TaintedOutput o : r.outputs()) {
                Hash256 through = o.via().orElse(o.outpoint().txid());
                if (txs.contains(through) && out.add(o.outpoint().toString())) {
                    grew = true;
                    Hash256 onwards = r.request().direction() == io.chaintrace.core.trace.Direction.FORWARD ? o.next().orElse(null)
                            : o.outpoint().txid();
                    if (onwards != null) {
                        txs.add(onwards);
                    }
                }
            }
        }
        return out;
    }

    /** A leg's account lines, in order; the labelled map the report has always carried is made from the same lines. */
    private static final class Rows {
        private final int decimals;
        private final List<AccountRow> rows = new ArrayList<>();

        Rows(int decimals) {
            this.decimals = decimals;
        }

        void add(String key, String label, long units, boolean uncertain) {
            add(key, label, BigInteger.valueOf(units), uncertain);
        }

        void add(String key, String label, BigInteger units, boolean uncertain) {
            rows.add(new AccountRow(key, label, units.toString(), display(units, decimals), uncertain));
        }

        void balanced(String value) {
            rows.add(new AccountRow("balanced", "balanced", value, value, false));
        }

        Map<String, String> labelled() {
            Map<String, String> m = new LinkedHashMap<>();
            rows.forEach(r -> m.put(r.label(), r.display()));
            return m;
        }

        List<AccountRow> list() {
            return List.copyOf(rows);
        }
    }

    /** One asset of an Ethereum trace as a leg. */
    public static Leg account(String name, String policy, AccountTrace.AssetResult r, List<AccountTrace.Seed> seeds,
                              Function<Address, List<Label>> labels) {
        return account(name, policy, r, seeds, labels, false);
    }

    /** An Ethereum asset's trace as a leg; backward, what the trace could not trace further back is of unknown origin, not held. */
    public static Leg account(String name, String policy, AccountTrace.AssetResult r, List<AccountTrace.Seed> seeds,
                              Function<Address, List<Label>> labels, boolean backward) {
        Asset asset = r.asset();
        int decimals = asset.decimals().orElse(0);
        Nodes nodes = new Nodes(labels);
        Set<String> seedAddresses = new HashSet<>();
        seeds.forEach(s -> seedAddresses.add(s.address().shown()));
        Set<String> endpointAddresses = new HashSet<>();
        r.endpoints().forEach(h -> endpointAddresses.add(h.address().shown()));
        Map<String, BigInteger> heldBy = new HashMap<>();
        r.addresses().forEach(a -> heldBy.put(a.address().shown(), a.held()));
        List<Edge> edges = new ArrayList<>();
        for (AccountTrace.TaintedTransfer f : r.flows()) {
            if (f.taint().signum() <= 0) {
                continue;
            }
            for (Address a : List.of(f.transfer().from(), f.transfer().to())) {
                String kind = seedAddresses.contains(a.shown()) ? "seed" : endpointAddresses.contains(a.shown()) ? "endpoint"
                        : heldBy.getOrDefault(a.shown(), BigInteger.ZERO).signum() > 0 ? "held" : "address";
                nodes.add(a, kind, a == f.transfer().from() ? Math.max(0, f.hop() - 1) : f.hop());
            }
            edges.add(new Edge(nodeId(f.transfer().from()), nodeId(f.transfer().to()), f.transfer().txHash().hex(),
                    f.transfer().block().height(), f.transfer().block().time(), f.hop(), asset.symbol(),
                    f.transfer().amount().units().toString(), f.taint().toString(), display(f.taint(), decimals), false));
        }
        List<Endpoint> endpoints = endpoints(r.endpoints().stream().map(h -> new Hit(h.entity(), h.category().id(), h.amount(), h.hop(), false))
                .toList(), decimals);
        AccountTrace.Account a = r.account();
        Rows rows = new Rows(decimals);
        rows.add("endpoints", "reached services", a.endpoints(), false);
        if (backward) {
            rows.add("unknownOrigin", "of unknown origin (paid from value the data does not show arriving)", a.held(), false);
        } else {
            rows.add("held", "still held by traced addresses", a.held(), false);
        }
        rows.add("cutByHops", "cut by the hop limit", a.cutByHops(), false);
        rows.add("dust", "below the minimum amount", a.dust(), false);
        rows.add("cutByTime", "cut by the time window", a.cutByTime(), false);
        rows.add("cutByBudget", "cut by the budget", a.cutByBudget(), false);
        rows.add("cutNotFetched", "not fetched (the fetched neighbourhood ends there; not held)", a.cutNotFetched(), false);
        if (!backward) {
            rows.add("paidBeyondSeen", "paid beyond what the trace saw arrive (paid clean; not part of the account)", a.paidBeyondSeen(), false);
        }
        if (a.swappedIn().signum() > 0 || a.swappedOut().signum() > 0) {
            rows.add("swappedIn", "came in through swaps of another asset", a.swappedIn(), false);
            rows.add("swappedOut", "paid into swaps (goes on in what they paid)", a.swappedOut(), false);
        }
        rows.add("absorbedBySeeds", "came back to a seed (counted there already)", a.absorbedBySeeds(), false);
        rows.balanced(policy.equals("poison") ? "does not apply: poison taints whole amounts and does not conserve value"
                : Boolean.toString(a.balanced()));
        List<Hop> hops = hops(r.flows().stream().filter(f -> f.taint().signum() > 0).map(f -> new Hit("", "", f.taint(), f.hop(), false)).toList(),
                r.endpoints().stream().map(h -> new Hit("", "", h.amount(), h.hop(), false)).toList(), decimals);
        return new Leg(name, "ethereum", asset.symbol(), decimals, policy, seeds.stream().map(Object::toString).toList(), a.seeded().toString(),
                display(a.seeded(), decimals), endpoints, categories(endpoints, decimals), rows.labelled(), hops, nodes.list(), edges, rows.list());
    }

    /**
     * Alerts as rows, reviewed ({@link AlertReview}: merged, parts left out, ranked, with reasons); one is on the trace
     * when it shares a transaction with one of the legs, or an address other than a service's (an exchange's deposit
     * address is in every cash-out alert). A direct use of a service is listed only when it is on the trace.
     */
    public static List<AlertRow> alerts(Collection<Alert> alerts, Collection<Leg> legs) {
        Set<String> txs = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (Leg l : legs) {
            l.edges().forEach(e -> txs.add(e.tx()));
            l.nodes().stream().filter(n -> n.entity().isEmpty()).forEach(n -> addresses.add(n.address()));
        }
        List<AlertRow> rows = new ArrayList<>();
        for (AlertReview.Reviewed r : AlertReview.of(List.copyOf(alerts), false, true).alerts()) {
            Alert a = r.alert();
            boolean on = a.transactions().stream().map(Hash256::hex).anyMatch(txs::contains)
                    || a.addresses().stream().map(Address::text).anyMatch(addresses::contains);
            if (!on && AlertReview.isEvent(a.pattern())) {
                continue;
            }
            rows.add(new AlertRow(a.pattern(), a.confidence(), r.reason(), r.merged(), a.transactions().stream().map(Hash256::hex).toList(),
                    a.addresses().stream().map(Address::text).toList(), a.amounts().stream().map(BigInteger::toString).toList(),
                    new TreeMap<>(a.parameters()), on));
        }
        return rows;
    }

    private record Hit(String entity, String category, BigInteger amount, int hop, boolean uncertain) {
    }

    private static List<Endpoint> endpoints(List<Hit> hits, int decimals) {
        Map<String, BigInteger> amounts = new TreeMap<>();
        Map<String, String> categories = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        Set<String> uncertain = new HashSet<>();
        for (Hit h : hits) {
            amounts.merge(h.entity(), h.amount(), BigInteger::add);
            categories.putIfAbsent(h.entity(), h.category());
            counts.merge(h.entity(), 1, Integer::sum);
            if (h.uncertain()) {
                uncertain.add(h.entity());
            }
        }
        List<Endpoint> out = new ArrayList<>();
        amounts.forEach((e, v) -> out.add(new Endpoint(e, categories.get(e), v.toString(), display(v, decimals), counts.get(e), uncertain.contains(e))));
        out.sort((x, y) -> new BigInteger(y.amount()).compareTo(new BigInteger(x.amount())));
        return out;
    }

    private static List<Category> categories(List<Endpoint> endpoints, int decimals) {
        Map<String, BigInteger> m = new TreeMap<>();
        endpoints.forEach(e -> m.merge(e.category(), new BigInteger(e.amount()), BigInteger::add));
        List<Category> out = new ArrayList<>();
        m.forEach((c, v) -> out.add(new Category(c, v.toString(), display(v, decimals))));
        return out;
    }

    private static List<Hop> hops(List<Hit> moved, List<Hit> reached, int decimals) {
        Map<Integer, BigInteger> sum = new TreeMap<>();
        Map<Integer, Integer> count = new HashMap<>();
        Map<Integer, BigInteger> atEndpoints = new HashMap<>();
        moved.forEach(h -> {
            sum.merge(h.hop(), h.amount(), BigInteger::add);
            count.merge(h.hop(), 1, Integer::sum);
        });
        reached.forEach(h -> atEndpoints.merge(h.hop(), h.amount(), BigInteger::add));
        List<Hop> out = new ArrayList<>();
        sum.forEach((hop, v) -> out.add(new Hop(hop, count.get(hop), v.toString(), display(v, decimals),
                display(atEndpoints.getOrDefault(hop, BigInteger.ZERO), decimals))));
        return out;
    }

    /** Nodes by id; a node keeps its strongest kind (seed, endpoint, held, address) and its smallest hop. */
    private static final class Nodes {
        private static final List<String> RANK = List.of("seed", "endpoint", "held", "address");
        private final Function<Address, List<Label>> labels;
        private final Map<String, Node> nodes = new LinkedHashMap<>();

        Nodes(Function<Address, List<Label>> labels) {
            this.labels = labels;
        }

        void add(Address a, String kind, int hop) {
            String id = nodeId(a);
            Node old = nodes.get(id);
            if (old != null) {
                String k = RANK.indexOf(kind) < RANK.indexOf(old.kind()) ? kind : old.kind();
                nodes.put(id, new Node(id, old.address(), old.chain(), k, old.label(), old.entity(), old.category(), Math.min(hop, old.hop()),
                        old.sourceCategory()));
                return;
            }
            List<Label> ls = labels.apply(a);
            String entity = ls.isEmpty() ? "" : ls.getFirst().entity();
            String category = ls.isEmpty() ? "" : ls.getFirst().category().id();
            String own = ls.isEmpty() ? "" : ls.getFirst().sourceCategory() + " (source " + ls.getFirst().source() + ")";
            String text = a.shown();
            String shortText = text.length() > 14 ? text.substring(0, 8) + "…" + text.substring(text.length() - 4) : text;
            nodes.put(id, new Node(id, text, a.chain() == Chain.BITCOIN ? "bitcoin" : "ethereum", kind,
                    entity.isEmpty() ? shortText : entity + " " + shortText, entity, category, hop, own));
        }

        void ownerless(String id, String outpoint, String kind, int hop) {
            nodes.putIfAbsent(id, new Node(id, "", "bitcoin", kind, "no owner " + outpoint.substring(0, 8) + "…" + outpoint.substring(outpoint.length() - 4),
                    "", "", hop, ""));
        }

        List<Node> list() {
            return List.copyOf(nodes.values());
        }
    }
}
