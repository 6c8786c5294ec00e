package io.chaintrace.cli;

import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.account.AccountBackwardTracer;
import io.chaintrace.core.account.AccountTracer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TraceGraph;
import io.chaintrace.graph.GraphExport;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chaintrace trace}: follow tainted value forward from seeds. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Follow value from seeds, transaction by transaction in chain order, under a taint policy:",
            "forward (where it went) or backward (where it came from). Labelled services are endpoints.",
            "Lists every output reached with its tainted amount (satoshi) and hop, and an account that balances."})
final class TraceCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, description = "Store directory.")
    Path store;

    @Option(names = "--seed", paramLabel = "ADDRESS|TXID:VOUT[=SAT]|TXID",
            description = "Where the stolen value is: an address, an output (optionally only SAT of it) or a transaction. Repeatable.")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--seeds-file", paramLabel = "FILE", description = "More seeds, one per line (# comments).")
    Path seedsFile;

    @Option(names = "--policy", defaultValue = "haircut", description = "poison, haircut, fifo, lifo or tiho (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--direction", defaultValue = "forward", description = "forward or backward (default: ${DEFAULT-VALUE}).")
    String direction;

    @Option(names = "--hops", defaultValue = "6", description = "Transactions to follow from the seeds (default: ${DEFAULT-VALUE}).")
    int hops;

    @Option(names = "--min-amount", defaultValue = "0", description = "Drop taint below this many satoshi as dust (default: ${DEFAULT-VALUE}).")
    long minAmount;

    @Option(names = "--until", description = "Forward: follow no transaction after this time (unix seconds or ISO-8601).")
    String until;

    @Option(names = "--since", description = "Backward: follow no transaction before this time (unix seconds or ISO-8601).")
    String since;

    @Option(names = "--max-transactions", description = "Node budget: transactions followed at most.")
    Long maxTransactions;

    @Option(names = "--max-edges", description = "Edge budget: inputs and outputs examined at most.")
    Long maxEdges;

    @Option(names = "--stop-at", split = ",", paramLabel = "CATEGORY",
            description = "Label categories that end the trace (default: exchange,deposit,bridge,mixer,dex,sanctioned; 'none' for none).")
    List<String> stopAt;

    @Option(names = "--through-endpoints", description = "Report endpoints but follow the value through them.")
    boolean throughEndpoints;

    @Option(names = "--engine", defaultValue = "object", description = {"object (default: every limit, transactions, graphs) or compact",
        "(Bitcoin forward from outputs, transactions or addresses, hops only: amounts, endpoints and the account over the store's compact rows, fast)."})
    String engine;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write the HTML report (and JSON, CSV, GraphML, GEXF) into DIR.")
    Path report;

    @Option(names = "--patterns", description = "Flag laundering patterns on the traced transactions, and cash-outs, bridges and mixers at the endpoints (Bitcoin).")
    boolean patterns;

    @Option(names = "--json", description = "Print the result as one JSON object (schema in the README); same as --format json.")
    boolean json;

    @Option(names = "--format", defaultValue = "text",
            description = "text, json (the trace, schema in the README), or the trace graph as graphml, gexf, dot or jgrapht-json.")
    String format;

    @Option(names = "--level", defaultValue = "tx", description = "Graph level for graph formats: tx, address or entity (addresses grouped by clustering; default: ${DEFAULT-VALUE}).")
    String level;

    @Override
    public Integer call() throws java.io.IOException {
        List<String> all = new ArrayList<>(seeds);
        if (seedsFile != null) {
            List<String> lines = java.nio.file.Files.readAllLines(seedsFile);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                try {
                    if (!isEthereum(l)) {
                        Seed.parse(l); // report a bad line with its number
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(seedsFile + ": line " + (i + 1) + ": " + e.getMessage(), e);
                }
                all.add(l);
            }
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no seed: give --seed or --seeds-file");
        }
        if (all.stream().allMatch(TraceCommand::isEthereum)) {
            return traceAccounts(all);
        }
        if (all.stream().anyMatch(TraceCommand::isEthereum)) {
            throw new IllegalArgumentException("seeds mix Bitcoin and Ethereum: trace each chain on its own");
        }
        List<Seed> parsed = new ArrayList<>();
        for (String s : all) {
            parsed.add(Seed.parse(s));
        }
        Direction dir = switch (direction.toLowerCase(java.util.Locale.ROOT)) {
            case "forward" -> Direction.FORWARD;
            case "backward" -> Direction.BACKWARD;
            default -> throw new IllegalArgumentException("--direction is forward or backward, not " + direction);
        };
        if (engine.equalsIgnoreCase("compact")) {
            return traceCompact(parsed, dir);
        } else if (!engine.equalsIgnoreCase("object")) {
            throw new IllegalArgumentException("--engine is object or compact, not " + engine);
        }
        TraceRequest request = new TraceRequest(parsed, TaintPolicy.named(policy), dir, limits(), stops(), throughEndpoints);
        TraceResult result;
        String f = json ? "json" : format.toLowerCase(Locale.ROOT);
        boolean entityLevel = level.equalsIgnoreCase("entity");
        if (entityLevel && (f.equals("json") || f.equals("text"))) {
            throw new IllegalArgumentException("--level entity is for the graph formats (graphml, gexf, dot, jgrapht-json)");
        }
        org.jgrapht.Graph<TraceGraph.Node, TraceGraph.Edge> entityGraph = null;
        List<io.chaintrace.core.pattern.Alert> alerts = List.of();
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            result = new UtxoTracer(cs).trace(request);
            if (patterns || report != null) {
                alerts = io.chaintrace.core.pattern.TracePatterns.of(result, cs, Chaintrace.patternSettings);
            }
            if (report != null) {
                writeReport(List.of(io.chaintrace.cli.report.CaseReport.bitcoin("Bitcoin " + dir.name().toLowerCase(Locale.ROOT), result,
                        cs::labelsOf)), alerts, all);
            }
            if (entityLevel) {
                entityGraph = TraceGraph.of(result, a -> cs.entityOf(a).orElse(a));
            }
        }
        switch (f) {
            case "json" -> {
                Map<String, Object> m = toJson(result);
                if (patterns) {
                    m.put("patterns", alerts.stream().map(PatternsCommand::json).toList());
                }
                System.out.println(Json.write(m));
            }
            case "text" -> {
                printText(result);
                if (patterns) {
                    Map<String, Integer> counts = new java.util.TreeMap<>();
                    alerts.forEach(a -> counts.merge(a.pattern(), 1, Integer::sum));
                    System.out.println("patterns: " + (counts.isEmpty() ? "none" : counts));
                    alerts.forEach(a -> System.out.printf("  %-20s %s (confidence %.2f)%n", a.pattern(),
                            a.transactions().stream().map(io.chaintrace.core.model.Hash256::hex).collect(Collectors.joining(", ")), a.confidence()));
                }
            }
            default -> {
                TraceGraph.Level l = switch (level.toLowerCase(Locale.ROOT)) {
                    case "tx", "transaction" -> TraceGraph.Level.TRANSACTION;
                    case "address" -> TraceGraph.Level.ADDRESS;
                    case "entity" -> TraceGraph.Level.ENTITY;
                    default -> throw new IllegalArgumentException("--level is tx, address or entity, not " + level);
                };
                java.io.PrintWriter out = new java.io.PrintWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8));
                GraphExport.write(l == TraceGraph.Level.ENTITY ? entityGraph : TraceGraph.of(result, l),
                        GraphExport.Format.of(f.equals("jgrapht-json") ? "json" : f), out);
                out.flush();
            }
        }
        return ExitCode.OK;
    }

    /**
     * The compact engine: forward from whole outputs over the store's compact rows, hops and
     * endpoints the only limits. Prints the account and what each endpoint entity received.
     */
    private Integer traceCompact(List<Seed> parsed, Direction dir) {
        if (dir != Direction.FORWARD || minAmount != 0 || until != null || since != null || maxTransactions != null || maxEdges != null
                || throughEndpoints || patterns || !json && !format.equalsIgnoreCase("json") && !format.equalsIgnoreCase("text")) {
            throw new IllegalArgumentException("--engine compact traces forward with --hops and --stop-at only, and prints json or text;"
                    + " use --engine object for the rest");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            io.chaintrace.core.compact.CompactTracer.Result r = new io.chaintrace.core.compact.CompactTracer(cs.compactRows(stops(), 256L << 20))
                    .forward(BatchCommand.outputRefs(cs, parsed), TaintPolicy.named(policy), hops);
            Map<String, Long> byEntity = new java.util.TreeMap<>();
            r.endpointTaint().forEach((owner, amount) -> byEntity.merge(BatchCommand.entity(cs, owner, stops()), amount, Long::sum));
            m.put("seeds", parsed.stream().map(Object::toString).toList());
            m.put("policy", policy.toLowerCase(Locale.ROOT));
            m.put("direction", "forward");
            m.put("maxHops", hops);
            m.put("engine", "compact");
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("seeded", r.seeded());
            account.put("endpoints", r.endpoints());
            account.put("unspent", r.unspent());
            account.put("fees", r.fees());
            account.put("cutByHops", r.cutByHops());
            account.put("absorbedBySeeds", r.absorbedBySeeds());
            account.put("balanced", r.balanced());
            m.put("account", account);
            m.put("endpointsByEntity", byEntity);
            m.put("edgesVisited", r.edgesVisited());
        }
        if (json || format.equalsIgnoreCase("json")) {
            System.out.println(Json.write(m));
        } else {
            Map<?, ?> acc = (Map<?, ?>) m.get("account");
            long absorbed = (Long) acc.get("absorbedBySeeds");
            System.out.printf("%s, compact engine: seeded %s BTC, at endpoints %s, unspent %s, fees %s, cut by hops %s%s; %,d edges%n", policy,
                    btc((Long) acc.get("seeded")), btc((Long) acc.get("endpoints")), btc((Long) acc.get("unspent")), btc((Long) acc.get("fees")),
                    btc((Long) acc.get("cutByHops")), absorbed == 0 ? "" : ", reached seeds again " + btc(absorbed), (Long) m.get("edgesVisited"));
            ((Map<?, ?>) m.get("endpointsByEntity")).forEach((k, v) -> System.out.printf("  endpoint %-30s %s BTC%n", k, btc((Long) v)));
        }
        return ExitCode.OK;
    }

    /** The limits the options set (--since only matters backward: value older than it is not followed back). */
    private Limits limits() {
        return new Limits(hops, minAmount, since == null ? Long.MIN_VALUE : time(since), until == null ? Long.MAX_VALUE : time(until),
                maxTransactions == null ? Long.MAX_VALUE : maxTransactions, maxEdges == null ? Long.MAX_VALUE : maxEdges);
    }

    /** The categories the trace stops at: the services by default, none with 'none'. */
    private Set<LabelCategory> stops() {
        return stopAt == null ? TraceRequest.SERVICES : stopAt.stream().filter(c -> !c.equalsIgnoreCase("none")).map(LabelCategory::fromId)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(LabelCategory.class)));
    }

    static boolean isEthereum(String seed) {
        String s = seed.strip();
        return s.startsWith("0x") && (s.length() == 42 || (s.length() > 43 && s.charAt(42) == '@'));
    }

    /**
     * Ethereum: ADDRESS or ADDRESS@TXHASH (only that transaction's inflows), traced on account
     * pools forward (where the value went) or backward (where the value of those inflows came from).
     */
    private Integer traceAccounts(List<String> all) {
        boolean backward = direction.equalsIgnoreCase("backward");
        List<AccountTrace.Seed> seedList = new ArrayList<>();
        for (String s : all) {
            String t = s.strip();
            int at = t.indexOf('@');
            seedList.add(new AccountTrace.Seed(Address.parse(at < 0 ? t : t.substring(0, at)),
                    at < 0 ? java.util.Optional.empty() : java.util.Optional.of(Hash256.fromHex(t.substring(at + 1)))));
        }
        AccountTrace.Result result;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            AccountTrace.Request request = new AccountTrace.Request(seedList, TaintPolicy.named(policy), limits(), stops(), throughEndpoints);
            result = backward ? new AccountBackwardTracer(cs).trace(request) : new AccountTracer(cs).trace(request);
            if (report != null) {
                List<io.chaintrace.cli.report.CaseReport.Leg> legs = new ArrayList<>();
                for (AccountTrace.AssetResult a : result.assets()) {
                    legs.add(io.chaintrace.cli.report.CaseReport.account("Ethereum " + a.asset().symbol(), policy.toLowerCase(Locale.ROOT), a,
                            seedList, cs::labelsOf));
                }
                writeReport(legs, List.of(), all);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seeds", all);
        m.put("policy", policy.toLowerCase(Locale.ROOT));
        m.put("direction", backward ? "backward" : "forward");
        m.put("maxHops", hops);
        List<Map<String, Object>> assets = new ArrayList<>();
        for (AccountTrace.AssetResult a : result.assets()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("asset", a.asset().symbol());
            e.put("contract", a.asset().contract().map(Address::text).orElse(null));
            e.put("decimals", a.asset().decimals().isPresent() ? a.asset().decimals().getAsInt() : null);
            AccountTrace.Account acc = a.account();
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("seeded", acc.seeded().toString());
            account.put("endpoints", acc.endpoints().toString());
            account.put(backward ? "unknownOrigin" : "held", acc.held().toString());
            account.put("dust", acc.dust().toString());
            account.put("cutByHops", acc.cutByHops().toString());
            account.put("cutByTime", acc.cutByTime().toString());
            account.put("cutByBudget", acc.cutByBudget().toString());
            account.put("balanced", acc.balanced());
            e.put("account", account);
            Map<String, String> byEntity = new LinkedHashMap<>();
            a.byEntity().forEach((k, v) -> byEntity.put(k, v.toString()));
            e.put("endpointsByEntity", byEntity);
            List<Map<String, Object>> hitList = new ArrayList<>();
            for (AccountTrace.Hit h : a.endpoints()) {
                hitList.add(new LinkedHashMap<>(Map.of("entity", h.entity(), "category", h.category().id(), "address", h.address().text(),
                        "tx", "0x" + h.tx().hex(), "block", h.block(), "hop", h.hop(), "amount", h.amount().toString())));
            }
            e.put("endpoints", hitList);
            List<Map<String, Object>> reached = new ArrayList<>();
            for (AccountTrace.Reached r : a.addresses()) {
                reached.add(new LinkedHashMap<>(Map.of("address", r.address().text(), "hop", r.hop(), "received", r.received().toString(),
                        "held", r.held().toString())));
            }
            e.put("addresses", reached);
            List<Map<String, Object>> flows = new ArrayList<>();
            for (AccountTrace.TaintedTransfer f : a.flows()) {
                flows.add(new LinkedHashMap<>(Map.of("tx", "0x" + f.transfer().txHash().hex(), "block", f.transfer().block().height(),
                        "from", f.transfer().from().text(), "to", f.transfer().to().text(), "amount", f.transfer().amount().units().toString(),
                        "taint", f.taint().toString(), "hop", f.hop())));
            }
            e.put("transfers", flows);
            assets.add(e);
        }
        m.put("assets", assets);
        if (json) {
            System.out.println(Json.write(m));
        } else {
            for (AccountTrace.AssetResult a : result.assets()) {
                System.out.printf("%s %s: seeded %s, at endpoints %s, %s %s (base units)%n", policy, a.asset().symbol(), a.account().seeded(),
                        a.account().endpoints(), backward ? "origin unknown" : "held", a.account().held());
                a.byEntity().forEach((k, v) -> System.out.printf("  endpoint %-30s %s%n", k, v));
            }
        }
        return ExitCode.OK;
    }

    /** The HTML report and its JSON, CSV, GraphML and GEXF siblings, into --report DIR. */
    private void writeReport(List<io.chaintrace.cli.report.CaseReport.Leg> legs, List<io.chaintrace.core.pattern.Alert> alerts, List<String> seeds) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("command", "chaintrace trace --store " + store + " " + seeds.stream().map(x -> "--seed " + x).collect(Collectors.joining(" "))
                + " --policy " + policy + " --direction " + direction + " --hops " + hops
                + (minAmount != 0 ? " --min-amount " + minAmount : "") + (until != null ? " --until " + until : "")
                + (since != null ? " --since " + since : "") + (stopAt != null ? " --stop-at " + String.join(",", stopAt) : "")
                + (throughEndpoints ? " --through-endpoints" : ""));
        parameters.put("policy", policy.toLowerCase(Locale.ROOT));
        parameters.put("direction", direction.toLowerCase(Locale.ROOT));
        parameters.put("maxHops", hops);
        parameters.put("stopAt", stops().stream().map(LabelCategory::id).toList());
        parameters.put("seeds", seeds);
        parameters.put("store", store.toAbsolutePath().toString());
        parameters.put("patternSettings", Chaintrace.patternSettings.values());
        List<io.chaintrace.cli.report.CaseReport.AlertRow> rows = io.chaintrace.cli.report.CaseReport.alerts(alerts, legs);
        io.chaintrace.cli.report.CaseReport r = new io.chaintrace.cli.report.CaseReport("Trace of " + String.join(", ", seeds),
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), parameters, legs, List.of(), List.of(),
                rows, List.of("Amounts are exact: satoshi and wei in the store."));
        io.chaintrace.cli.report.ReportWriter.Written w = io.chaintrace.cli.report.ReportWriter.write(r, report);
        System.err.println("report: " + w.html().toAbsolutePath());
    }

    private static long time(String t) {
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                return java.time.Instant.parse(t).getEpochSecond();
            } catch (java.time.format.DateTimeParseException p) {
                throw new IllegalArgumentException("not a time (unix seconds or ISO-8601 like 2016-08-02T00:00:00Z): " + t, p);
            }
        }
    }

    static Map<String, Object> toJson(TraceResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        TraceRequest q = r.request();
        m.put("seeds", q.seeds().stream().map(Object::toString).toList());
        m.put("policy", q.policy().name());
        m.put("direction", q.direction().name().toLowerCase(Locale.ROOT));
        m.put("maxHops", q.limits().maxHops());
        m.put("minAmount", q.limits().minAmount());
        m.put("stopAt", q.stopAt().stream().map(LabelCategory::id).toList());
        TraceResult.Account a = r.account();
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("seeded", a.seeded());
        account.put("endpoints", a.endpoints());
        account.put("unspent", a.unspent());
        account.put("fees", a.fees());
        account.put("minted", a.minted());
        account.put("unresolved", a.unresolved());
        account.put("dust", a.dust());
        account.put("cutByHops", a.cutByHops());
        account.put("cutByTime", a.cutByTime());
        account.put("cutByBudget", a.cutByBudget());
        account.put("absorbedBySeeds", a.absorbedBySeeds());
        account.put("conserving", q.policy().conserving());
        account.put("balanced", a.balanced());
        m.put("account", account);
        Map<String, Long> byEntity = r.byEntity();
        m.put("endpointsByEntity", byEntity);
        Map<String, Long> byCategory = new LinkedHashMap<>();
        r.byCategory().forEach((c, v) -> byCategory.put(c.id(), v));
        m.put("endpointsByCategory", byCategory);
        List<Map<String, Object>> hits = new ArrayList<>();
        for (TraceResult.EndpointHit h : r.endpoints()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("entity", h.entity());
            e.put("category", h.category().id());
            e.put("source", h.source());
            e.put("address", h.address().text());
            e.put("txid", h.txid().hex());
            e.put("vout", h.outpoint().vout());
            e.put("height", h.height());
            e.put("time", h.time());
            e.put("hop", h.hop());
            e.put("amount", h.amount());
            hits.add(e);
        }
        m.put("endpoints", hits);
        List<Map<String, Object>> outs = new ArrayList<>();
        for (TraceResult.TaintedOutput o : r.outputs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("txid", o.outpoint().txid().hex());
            e.put("vout", o.outpoint().vout());
            e.put("height", o.height());
            e.put("time", o.time());
            e.put("hop", o.hop());
            e.put("value", o.value());
            e.put("taint", o.taint().amount());
            e.put("kind", o.kind().name().toLowerCase(Locale.ROOT));
            e.put("address", o.owner().map(x -> x.text()).orElse(null));
            e.put("state", o.state().name().toLowerCase(Locale.ROOT));
            e.put("next", o.next().map(h -> h.hex()).orElse(null));
            outs.add(e);
        }
        m.put("outputs", outs);
        List<Map<String, Object>> txs = new ArrayList<>();
        for (TraceResult.TaintedTransaction t : r.transactions()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("txid", t.txid().hex());
            e.put("height", t.height());
            e.put("time", t.time());
            e.put("hop", t.hop());
            e.put("inputValue", t.inputValue());
            e.put("taintIn", t.taintIn());
            e.put("outputValue", t.outputValue());
            e.put("taintOut", t.taintOut());
            e.put("feeTaint", t.feeTaint());
            e.put("resolved", t.resolved());
            txs.add(e);
        }
        m.put("transactions", txs);
        List<Map<String, Object>> cuts = new ArrayList<>();
        for (TraceResult.Cut c : r.cuts()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("reason", c.reason().name().toLowerCase(Locale.ROOT));
            e.put("outpoint", c.outpoint().toString());
            e.put("next", c.next().map(h -> h.hex()).orElse(null));
            e.put("amount", c.amount());
            cuts.add(e);
        }
        m.put("cuts", cuts);
        m.put("maxFlowToEndpoints", TraceGraph.maxFlowToEndpoints(r));
        m.put("roundTrips", TraceGraph.roundTrips(r).stream().map(c -> c.stream().map(TraceGraph.Node::label).sorted().toList()).toList());
        return m;
    }

    private static void printText(TraceResult r) {
        TraceResult.Account a = r.account();
        System.out.printf("%s %s, %d hops: seeded %s BTC; endpoints %s, unspent %s, fees %s, minted %s, unresolved %s, dust %s, cut %s%s%n",
                r.request().policy().name(), r.request().direction().name().toLowerCase(Locale.ROOT), r.request().limits().maxHops(),
                btc(a.seeded()), btc(a.endpoints()), btc(a.unspent()), btc(a.fees()), btc(a.minted()), btc(a.unresolved()), btc(a.dust()),
                btc(a.cutByHops() + a.cutByTime() + a.cutByBudget()), r.request().policy().conserving() ? "" : " (poison: whole outputs)");
        r.byEntity().forEach((entity, amount) -> System.out.printf("  endpoint %-40s %16s BTC%n", entity, btc(amount)));
        System.out.printf("%-3s %-7s %-70s %16s %16s  %s%n", "hop", "height", "output", "value BTC", "taint BTC", "owner / state");
        for (TraceResult.TaintedOutput o : r.outputs()) {
            System.out.printf("%-3d %-7d %-70s %16s %16s  %s / %s%n", o.hop(), o.height(), o.outpoint(), btc(o.value()), btc(o.taint().amount()),
                    o.owner().map(x -> x.text().length() > 40 ? x.text().substring(0, 40) + "…" : x.text()).orElse("-"),
                    o.state().name().toLowerCase(Locale.ROOT));
        }
    }

    static String btc(long sat) {
        return new java.math.BigDecimal(sat).movePointLeft(8).toPlainString();
    }
}
