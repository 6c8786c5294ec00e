package io.chaintrace.cli.serve;

import io.chaintrace.cli.app.Engine;
import io.chaintrace.cli.app.Provenance;
import io.chaintrace.cli.app.TraceOutcome;
import io.chaintrace.cli.app.TraceReports;
import io.chaintrace.cli.app.TraceService;
import io.chaintrace.cli.app.TraceSpec;
import io.chaintrace.cli.report.CaseReport;
import io.chaintrace.core.account.AccountTracer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.UtxoLedger;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A case explored hop by hop over an open store, what {@code chaintrace serve} answers from. A case is a trace (seeds,
 * policy, direction, hops) revealed a node at a time: expanding a node shows the trace's flows out of it (or into it) with
 * their tainted amounts under the case's policy, so the nodes an investigator opened are the report's graph, and the
 * exported report is the one {@code chaintrace trace --report} writes for the same case. A node off the trace (looked up
 * by hand) expands by a one-hop trace of its own value. Answers are bounded: the largest flows first, with a message
 * saying how many more there are.
 */
public final class Workspace {
    /** Flows one expansion returns unless asked otherwise, and at most. */
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1_000;
    /** Hops a case grows to at most by expanding; past it, the command line's trace --hops. */
    public static final int MAX_HOPS = 12;
    /** Seeds in one case at most. */
    public static final int MAX_SEEDS = 100;
    /** Label matches one search returns at most. */
    static final int MAX_MATCHES = 50;
    /** Inputs and outputs one trace examines at most: an expansion from an exchange's hot wallet stays an answer. */
    static final long EDGE_BUDGET = 2_000_000;
    private static final Pattern HEX64 = Pattern.compile("(?i)[0-9a-f]{64}");

    private final ChainStore cs;
    private final Path store;
    private final PatternSettings patterns;
    private final String version;
    /** What the store holds ({@link Provenance}): read once, with the digest the server read at start (the store does not change). */
    private final Map<String, Object> data;
    private final String digest;
    /** Recent traces by case (expanding node after node re-reads one trace). */
    private final Map<Key, Traced> traces = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Traced> eldest) {
            return size() > 8;
        }
    };

    /** {@code digest}: the store's chain digest, read once by whoever opened it (case files record it). */
    public Workspace(ChainStore cs, Path store, PatternSettings patterns, String version, String digest) {
        this.cs = cs;
        this.store = store;
        this.patterns = patterns;
        this.version = version;
        this.digest = digest;
        this.data = Provenance.of(cs, "sha256:" + digest);
    }

    /** The store's chain digest. */
    public String digest() {
        return digest;
    }

    /** An answer that names nothing in the store (HTTP 404). */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** What a case traces: the seeds as {@code chaintrace trace} takes them, the policy, direction and hops. */
    public record CaseSpec(List<String> seeds, String policy, String direction, int hops) {
        public CaseSpec {
            if (seeds == null || seeds.isEmpty()) {
                throw new IllegalArgumentException("a case needs at least one seed");
            }
            if (seeds.size() > MAX_SEEDS) {
                throw new IllegalArgumentException("a case has at most " + MAX_SEEDS + " seeds, not " + seeds.size());
            }
            seeds = seeds.stream().map(s -> {
                if (s == null || s.isBlank() || s.length() > 200) {
                    throw new IllegalArgumentException("a seed is an address, ADDRESS@TX, TXID:VOUT or TXID of at most 200 characters");
                }
                return s.strip();
            }).toList();
            policy = TaintPolicy.named(policy == null ? "haircut" : policy).name().toLowerCase(Locale.ROOT);
            direction = direction == null ? "forward" : direction.strip().toLowerCase(Locale.ROOT);
            if (!direction.equals("forward") && !direction.equals("backward")) {
                throw new IllegalArgumentException("direction is forward or backward, not " + direction);
            }
            if (hops < 1 || hops > MAX_HOPS) {
                throw new IllegalArgumentException("hops is between 1 and " + MAX_HOPS + ", not " + hops);
            }
        }

        CaseSpec withHops(int h) {
            return new CaseSpec(seeds, policy, direction, h);
        }

        /** The trace this case runs: the command line's defaults for everything the case does not set. */
        TraceSpec spec(PatternSettings settings) {
            return spec(settings, false);
        }

        /** With {@code throughEndpoints}: a service's own value expanded goes out of it (its seed is no endpoint). */
        TraceSpec spec(PatternSettings settings, boolean throughEndpoints) {
            return new TraceSpec(seeds, TaintPolicy.named(policy), direction.equals("forward") ? Direction.FORWARD : Direction.BACKWARD,
                    new Limits(hops, 0, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, EDGE_BUDGET), TraceRequest.SERVICES, throughEndpoints,
                    Engine.OBJECT, true, settings, false);
        }

        /** The command that writes this case's report from the command line. */
        String command(Path store) {
            StringBuilder b = new StringBuilder("chaintrace trace --store ").append(store);
            seeds.forEach(s -> b.append(" --seed ").append(s));
            return b.append(" --policy ").append(policy).append(" --direction ").append(direction).append(" --hops ").append(hops)
                    .append(" --max-edges ").append(EDGE_BUDGET).append(" --patterns").toString();
        }
    }

    /** A trace remembered: the case, and whether it passes through services (a node's own value). */
    private record Key(CaseSpec spec, boolean through) {
    }

    private record Traced(CaseSpec spec, TraceOutcome outcome, List<CaseReport.Leg> legs, List<CaseReport.AlertRow> alerts) {
    }

    /** A label as the workspace shows it. */
    public record LabelView(String address, String entity, String category, String source, double confidence, String sourceCategory) {
        static LabelView of(Label l) {
            return new LabelView(l.address().shown(), l.entity(), l.category().id(), l.source(), l.confidence(), l.sourceCategory());
        }
    }

    /**
     * What a search found: an address (with its labels, entity and how many transactions or transfers the store has of
     * it), a Bitcoin transaction (inputs and outputs), or labels whose entity matches. {@code seed} is the text a case
     * starts from; {@code node} the graph node it is.
     */
    public record Lookup(String kind, String chain, String query, String seed, String node, List<LabelView> labels, String entity,
                         Long activity, TxView transaction, List<LabelView> matches) {
    }

    /** A Bitcoin transaction: where its inputs came from and where its outputs went (spent by which transaction). */
    public record TxView(String txid, int height, long time, List<Map<String, Object>> inputs, List<Map<String, Object>> outputs) {
    }

    /** One leg of a case: its asset, what was seeded and the account of where it went. */
    public record LegView(String name, String chain, String asset, int decimals, String policy, String seeded, String seededDisplay,
                          Map<String, String> account) {
    }

    /** A case traced: its legs' accounts, the seed nodes to start from, and the hops it runs to. */
    public record CaseView(CaseSpec spec, List<LegView> legs, List<CaseReport.Node> nodes, int alerts) {
    }

    /**
     * A flow between two nodes in one transaction; {@code id} is stable across runs (notes are kept by it); {@code uncertain}
     * when its taint rests on an input whose funding transaction is not in the store.
     */
    public record Flow(String id, String leg, String source, String target, String tx, int block, long time, int hop, String asset,
                       String value, String taint, String display, boolean uncertain) {
        static Flow of(String leg, CaseReport.Edge e) {
            return new Flow(leg + "|" + e.tx() + "|" + e.source() + "|" + e.target(), leg, e.source(), e.target(), e.tx(), e.block(), e.time(),
                    e.hop(), e.asset(), e.value(), e.taint(), e.display(), e.uncertain());
        }
    }

    /**
     * One node expanded: the flows out of it (side "out") or into it ("in"), the nodes at their other ends, the alerts on
     * them; {@code basis} "case" (the case's trace) or "node" (the node's own value, one hop); {@code hops} the hops the
     * case now runs to; {@code total} flows there are, {@code message} what was left out or why there are none.
     */
    public record Expansion(String node, String side, String basis, int hops, int total, List<Flow> flows, List<CaseReport.Node> nodes,
                            List<CaseReport.AlertRow> alerts, String message) {
    }

    /** The store and what it holds, for the page's header and a case's digest. */
    public Map<String, Object> info() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("chaintrace", version);
        m.put("store", store.toAbsolutePath().toString());
        m.put("storeDigest", digest);
        m.put("data", data);
        m.put("policies", TaintPolicy.ALL.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList());
        m.put("defaults", Map.of("policy", "haircut", "direction", "forward", "hops", 6, "limit", DEFAULT_LIMIT, "maxLimit", MAX_LIMIT,
                "maxHops", MAX_HOPS));
        return m;
    }

    /** Looks up what {@code query} names: an address, ADDRESS@TX, a Bitcoin output or transaction, or a label's entity. */
    public Lookup lookup(String query) {
        String q = query == null ? "" : query.strip();
        if (q.isEmpty()) {
            throw new IllegalArgumentException("search for an address, a transaction id, TXID:VOUT, ADDRESS@TX or a label's name");
        }
        if (q.length() > 200) {
            throw new IllegalArgumentException("a search is at most 200 characters, not " + q.length());
        }
        if (TraceService.isEthereum(q) && !q.regionMatches(true, 0, "outflows:", 0, 9)) {
            int at = q.indexOf('@');
            Address a = Address.parse(at < 0 ? q : q.substring(0, at));
            if (at >= 0) {
                Hash256.fromHex(q.substring(at + 1));
            }
            return address(a, q, at < 0 ? a.shown() : a.shown() + q.substring(at));
        }
        if (HEX64.matcher(q).matches() || (q.contains(":") && HEX64.matcher(q.substring(0, q.indexOf(':'))).matches())) {
            return transaction(q);
        }
        if (q.startsWith("0x") || q.startsWith("0X")) {
            throw new IllegalArgumentException("not an Ethereum address (0x and 40 hex digits) or ADDRESS@TXHASH: " + q);
        }
        Optional<Address> btc = bitcoinAddress(q);
        if (btc.isPresent()) {
            return address(btc.get(), q, btc.get().shown());
        }
        List<LabelView> matches = new ArrayList<>();
        String needle = q.toLowerCase(Locale.ROOT);
        cs.forEachLabelled(ls -> ls.stream().filter(l -> matches.size() < MAX_MATCHES && l.entity().toLowerCase(Locale.ROOT).contains(needle))
                .forEach(l -> matches.add(LabelView.of(l))));
        if (matches.isEmpty()) {
            throw new NotFound("nothing in the store is named '" + q + "': not an address, a transaction or a label's entity");
        }
        return new Lookup("labels", null, q, null, null, List.of(), null, null, null, matches);
    }

    private static Optional<Address> bitcoinAddress(String q) {
        if (!q.matches("[A-Za-z0-9]{25,90}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Address.parse(q));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not an address: a label search
        }
    }

    private Lookup address(Address a, String q, String seed) {
        boolean eth = a.chain() == Chain.ETHEREUM;
        long activity = eth ? cs.transferCount(a, 1_000_000) : cs.transactionsOf(a).size();
        List<Label> labels = cs.labelsOf(a);
        if (activity == 0 && labels.isEmpty() && !cs.knows(a)) {
            throw new NotFound("address " + a.shown() + " is not in the store (" + (eth ? "fetch its neighbourhood first: chaintrace fetch eth"
                    : "ingest its blocks or fetch it first: chaintrace fetch btc") + " --seed " + a.shown() + " --store DIR)");
        }
        return new Lookup("address", eth ? "ethereum" : "bitcoin", q, seed, CaseReport.nodeId(a), labels.stream().map(LabelView::of).toList(),
                cs.entityOf(a).map(Address::shown).orElse(null), activity, null, List.of());
    }

    private Lookup transaction(String q) {
        String txid = q.contains(":") ? q.substring(0, q.indexOf(':')) : q;
        Hash256 hash = Hash256.fromHex(txid);
        if (q.contains(":")) {
            Outpoint.parse(q); // a malformed output index fails here, in one line
        }
        UtxoTransaction tx = cs.transaction(hash).orElseThrow(() -> new NotFound("transaction " + txid + " is not in the store (Bitcoin"
                + " transactions by id; an Ethereum transaction is looked up as ADDRESS@TXHASH)"));
        if (q.contains(":")) {
            int vout = Outpoint.parse(q).vout();
            if (vout >= tx.outputs().size()) {
                throw new NotFound("transaction " + txid + " has no output " + vout + " (its outputs are 0-" + (tx.outputs().size() - 1) + ")");
            }
        }
        List<Map<String, Object>> ins = new ArrayList<>();
        tx.inputs().forEach(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prevout", i.prevout().toString());
            m.put("address", i.owner().map(Address::shown).orElse(null));
            m.put("value", Long.toString(i.value()));
            m.put("status", i.status().name().toLowerCase(Locale.ROOT));
            ins.add(m);
        });
        List<Map<String, Object>> outs = new ArrayList<>();
        List<Optional<UtxoLedger.Spend>> spends = cs.spendersOf(tx);
        tx.outputs().forEach(o -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", o.index());
            m.put("address", o.owner().map(Address::shown).orElse(null));
            m.put("value", Long.toString(o.value()));
            // The spending transaction and which of its inputs, as an explorer names them.
            m.put("spentBy", spends.get(o.index()).map(s -> s.spendingTx().hex()).orElse(null));
            m.put("spentByInput", spends.get(o.index()).map(UtxoLedger.Spend::inputIndex).orElse(null));
            outs.add(m);
        });
        return new Lookup("transaction", "bitcoin", q, q, null, List.of(), null, null,
                new TxView(tx.txid().hex(), tx.block().height(), tx.block().time(), ins, outs), List.of());
    }

    /** Traces a case and returns its legs' accounts and its seed nodes: where an investigation starts. */
    public CaseView open(CaseSpec spec) {
        Traced t = traced(spec);
        List<CaseReport.Node> seeds = new ArrayList<>();
        for (CaseReport.Leg l : t.legs()) {
            l.nodes().stream().filter(n -> n.kind().equals("seed") && seeds.stream().noneMatch(s -> s.id().equals(n.id()))).forEach(seeds::add);
        }
        List<LegView> legs = t.legs().stream().map(l -> new LegView(l.name(), l.chain(), l.asset(), l.decimals(), l.policy(), l.seeded(),
                l.seededDisplay(), l.account())).toList();
        return new CaseView(t.spec(), legs, seeds, (int) t.alerts().stream().filter(CaseReport.AlertRow::onTrace).count());
    }

    /**
     * Expands {@code node}: its flows on the case's trace (out: where its taint went; in: where it came from), the largest
     * {@code limit} of them. A node the trace reached at its last hop grows the case by a hop first.
     */
    public Expansion expand(CaseSpec spec, String node, String side, int limit) {
        if (!"out".equals(side) && !"in".equals(side)) {
            throw new IllegalArgumentException("side is out (outflows) or in (inflows), not " + side);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit is between 1 and " + MAX_LIMIT + ", not " + limit);
        }
        if (node == null || !(node.startsWith("btc:") || node.startsWith("eth:"))) {
            throw new IllegalArgumentException("a node is btc:ADDRESS or eth:ADDRESS, not " + node);
        }
        Traced t = traced(spec);
        Optional<CaseReport.Node> onTrace = find(t, node);
        if (onTrace.isPresent()) {
            // A forward case grows outward from its seeds: a node at the last hop is expanded by tracing one hop further.
            boolean grows = side.equals("out") == spec.direction().equals("forward");
            if (grows && onTrace.get().hop() + 1 > spec.hops() && spec.hops() < MAX_HOPS) {
                t = traced(spec.withHops(onTrace.get().hop() + 1));
            }
            return expansion(t, node, side, limit, "case", onTrace.get());
        }
        if (node.startsWith("btc:no owner:")) {
            throw new IllegalArgumentException("value paid to a script with no owner goes nowhere: nothing to expand");
        }
        // Off the trace: the node's own value, one hop, under the case's policy.
        String address = node.substring(4);
        Address.parse(address);
        CaseSpec own = new CaseSpec(List.of(address), spec.policy(), side.equals("out") ? "forward" : "backward", 1);
        try {
            return expansion(traced(own, true), node, side, limit, "node", null);
        } catch (NotFound e) {
            // A labelled address the store has no transaction of: nothing to show, and that is the answer.
            return new Expansion(node, side, "node", spec.hops(), 0, List.of(), List.of(), List.of(), e.getMessage());
        }
    }

    private static Optional<CaseReport.Node> find(Traced t, String node) {
        return t.legs().stream().flatMap(l -> l.nodes().stream()).filter(n -> n.id().equals(node)).min(Comparator.comparingInt(CaseReport.Node::hop));
    }

    private Expansion expansion(Traced t, String node, String side, int limit, String basis, CaseReport.Node known) {
        boolean out = side.equals("out");
        List<Flow> all = new ArrayList<>();
        for (CaseReport.Leg l : t.legs()) {
            l.edges().stream().filter(e -> (out ? e.source() : e.target()).equals(node)).forEach(e -> all.add(Flow.of(l.name(), e)));
        }
        all.sort(Comparator.comparing((Flow f) -> new BigInteger(f.taint())).reversed().thenComparing(Flow::id));
        List<Flow> shown = all.subList(0, Math.min(limit, all.size()));
        Set<String> ends = new java.util.HashSet<>();
        shown.forEach(f -> ends.add(out ? f.target() : f.source()));
        Map<String, CaseReport.Node> nodes = new LinkedHashMap<>();
        t.legs().forEach(l -> l.nodes().stream().filter(n -> ends.contains(n.id())).forEach(n -> nodes.merge(n.id(), n,
                (a, b) -> a.hop() <= b.hop() ? a : b)));
        Set<String> txs = new java.util.HashSet<>();
        shown.forEach(f -> txs.add(f.tx()));
        String address = node.substring(4);
        List<CaseReport.AlertRow> alerts = t.alerts().stream().filter(a -> a.transactions().stream().anyMatch(txs::contains)
                || a.addresses().stream().anyMatch(x -> x.equalsIgnoreCase(address))).toList();
        String message = null;
        if (all.size() > shown.size()) {
            message = String.format("showing the %,d largest of %,d %s; ask for more with limit (at most %,d), or write the whole trace"
                    + " with chaintrace trace --report", shown.size(), all.size(), out ? "outflows" : "inflows", MAX_LIMIT);
        } else if (all.isEmpty()) {
            message = none(t, known, out);
        }
        return new Expansion(node, side, basis, t.spec().hops(), all.size(), List.copyOf(shown), List.copyOf(nodes.values()), alerts, message);
    }

    /** Why a node has no flows on this side. */
    private static String none(Traced t, CaseReport.Node n, boolean out) {
        if (n == null) {
            return "no " + (out ? "outflows" : "inflows") + " in the store";
        }
        boolean forward = t.spec().direction().equals("forward");
        if (out == forward) {
            return switch (n.kind()) {
                case "endpoint" -> "the trace stops at services (" + n.category() + "): what " + (n.entity().isEmpty() ? "it" : n.entity())
                        + " did next is the service's own business";
                case "held" -> forward ? "still holds its taint: not spent within the data the store has" : "its value's origin is not in the store";
                default -> n.hop() >= MAX_HOPS ? "cut by the hop limit (" + MAX_HOPS + "): trace further with chaintrace trace --hops"
                        : "no tainted " + (out ? "outflows" : "inflows") + " on the trace";
            };
        }
        return "no tainted " + (out ? "outflows" : "inflows") + " on the trace: the case runs " + t.spec().direction()
                + " from its seeds";
    }

    /** The case's trace, from the recent ones or run now. */
    private Traced traced(CaseSpec spec) {
        return traced(spec, false);
    }

    private Traced traced(CaseSpec spec, boolean through) {
        Key key = new Key(spec, through);
        Traced t = traces.get(key);
        if (t != null) {
            return t;
        }
        TraceOutcome outcome;
        try {
            outcome = TraceService.trace(cs, spec.spec(patterns, through));
        } catch (UtxoTracer.SeedNotFoundException | AccountTracer.SeedNotFoundException e) {
            throw new NotFound(e.getMessage());
        }
        List<CaseReport.Leg> legs = TraceReports.legs(cs, outcome, spec.policy());
        t = new Traced(spec, outcome, legs, CaseReport.alerts(TraceReports.alerts(outcome), legs));
        traces.put(key, t);
        return t;
    }

    /** The case's report, as {@code chaintrace trace --report} writes it, with the investigator's notes added to its notes. */
    public CaseReport report(CaseSpec spec, Map<String, String> notes) {
        Traced t = traced(spec);
        TraceSpec ts = spec.spec(patterns);
        List<String> extra = new ArrayList<>();
        new java.util.TreeMap<>(notes).forEach((on, text) -> extra.add("Investigator's note on " + on + ": " + text));
        return TraceReports.report(cs, t.outcome(), spec.policy(), spec.seeds(),
                TraceReports.parameters(spec.command(store), ts, List.of(spec.policy()), store, data, version), Map.of(spec.policy(), t.outcome()),
                extra);
    }
}
