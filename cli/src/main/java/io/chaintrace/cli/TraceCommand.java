package io.chaintrace.cli;

import io.chaintrace.cli.app.Documents;
import io.chaintrace.cli.app.Engine;
import io.chaintrace.cli.app.Json;
import io.chaintrace.cli.app.SeedFile;
import io.chaintrace.cli.app.TraceOutcome;
import io.chaintrace.cli.app.TraceReports;
import io.chaintrace.cli.app.TraceService;
import io.chaintrace.cli.app.TraceSpec;
import io.chaintrace.cli.app.TraceText;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceGraph;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.GraphExport;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jgrapht.Graph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

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

    @Option(names = "--policy", defaultValue = "haircut", split = ",", completionCandidates = Values.Policies.class,
            description = "poison, haircut, fifo, lifo or tiho, or all; repeatable (or comma-separated): the report then compares"
                    + " where the value went under each, and text and JSON give each trace (default: ${DEFAULT-VALUE}).")
    List<String> policies;

    /** The first policy asked: the report's legs, the graph formats, the name in single-policy output. */
    String policy;

    @Option(names = "--direction", defaultValue = "forward", completionCandidates = Values.Directions.class,
            description = "forward or backward (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--stop-at", split = ",", paramLabel = "CATEGORY", completionCandidates = Values.Categories.class,
            description = "Label categories that end the trace (default: exchange,deposit,bridge,mixer,dex,sanctioned; 'none' for none).")
    List<String> stopAt;

    @Option(names = "--through-endpoints", description = "Report endpoints but follow the value through them.")
    boolean throughEndpoints;

    @Option(names = "--follow-swaps", description = {"Ethereum: taint paid into a swap (an address sends one asset and receives another in",
        "the same transaction) goes on in what it received, in the ratio of the swap's amounts; without it a DEX is an endpoint."})
    boolean followSwaps;

    @Option(names = "--engine", defaultValue = "object", description = {"object (default: every limit, transactions, graphs) or compact",
        "(Bitcoin forward from outputs, transactions or addresses, hops only: amounts, endpoints and the account over the store's compact rows, fast)."})
    String engine;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write the HTML report (and JSON, CSV, GraphML, GEXF) into DIR.")
    Path report;

    @Option(names = "--force", description = "Replace a report already in the --report directory.")
    boolean force;

    @Option(names = "--pdf", description = "With --report: also print it to report.pdf through headless Chromium (its print layout).")
    boolean pdf;

    @Option(names = "--patterns", description = "Flag laundering patterns on the traced transactions, and cash-outs, bridges and mixers at the endpoints (Bitcoin).")
    boolean patterns;

    @Option(names = "--json", description = "Print the result as one JSON object (schema in the README); same as --format json.")
    boolean json;

    @Option(names = "--format", defaultValue = "text", completionCandidates = Values.Formats.class,
            description = "text, json (the trace, schema in the README), or the trace graph as graphml, gexf, dot or jgrapht-json.")
    String format;

    @Option(names = "--level", defaultValue = "tx", completionCandidates = Values.Levels.class, description = "Graph level for graph formats: tx, address or entity (addresses grouped by clustering; default: ${DEFAULT-VALUE}).")
    String level;

    @ParentCommand
    Chaintrace root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    /** A usage error (exit 2), in one line. */
    private picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(command.commandLine(), message);
    }

    @Override
    public Integer call() throws IOException {
        List<String> all = new ArrayList<>(seeds);
        if (seedsFile != null) {
            all.addAll(SeedFile.traceSeeds(seedsFile));
        }
        if (all.isEmpty()) {
            throw usage("no seed: give --seed SEED (repeatable) or --seeds-file FILE");
        }
        Direction dir = switch (direction.toLowerCase(Locale.ROOT)) {
            case "forward" -> Direction.FORWARD;
            case "backward" -> Direction.BACKWARD;
            default -> throw usage("--direction is forward or backward, not " + direction);
        };
        List<TaintPolicy> taintPolicies = new ArrayList<>();
        Set<LabelCategory> stopCategories;
        try {
            for (String p : policies) {
                for (TaintPolicy t : p.strip().equalsIgnoreCase("all") ? TaintPolicy.ALL : List.of(TaintPolicy.named(p.strip()))) {
                    if (taintPolicies.stream().noneMatch(q -> q.name().equals(t.name()))) {
                        taintPolicies.add(t);
                    }
                }
            }
            stopCategories = stops();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        TaintPolicy taintPolicy = taintPolicies.getFirst();
        policy = taintPolicy.name();
        Engine eng = Engine.named(engine);
        String f = json ? "json" : format.toLowerCase(Locale.ROOT);
        List<String> formats = new ArrayList<>();
        new Values.Formats().forEach(formats::add);
        if (!formats.contains(f)) {
            throw usage("unknown --format '" + format + "' (" + String.join(", ", formats) + ")");
        }
        if (!List.of("tx", "transaction", "address", "entity").contains(level.toLowerCase(Locale.ROOT))) {
            throw usage("unknown --level '" + level + "' (tx, address, entity)");
        }
        if (pdf && report == null) {
            throw usage("--pdf prints the report: give --report DIR too");
        }
        if (eng == Engine.COMPACT && !f.equals("json") && !f.equals("text")) {
            throw TraceService.compactOnly();
        }
        if (taintPolicies.size() > 1 && !f.equals("json") && !f.equals("text")) {
            throw usage("the graph formats draw one trace: give one --policy with --format " + f + " (several compare in text, JSON"
                    + " and the report)");
        }
        boolean entityLevel = level.equalsIgnoreCase("entity");
        if (entityLevel && all.stream().allMatch(TraceService::isEthereum)) {
            throw usage("an Ethereum trace's graph is at address level (--level address); its entities: chaintrace cluster --show ADDRESS");
        }
        if (entityLevel && (f.equals("json") || f.equals("text"))) {
            throw new IllegalArgumentException("--level entity is for the graph formats (graphml, gexf, dot, jgrapht-json)");
        }
        // The report shows the patterns flagged on the trace even when --patterns is not given.
        TraceSpec spec = new TraceSpec(all, taintPolicy, dir, limits(), stopCategories, throughEndpoints, eng,
                patterns || report != null && eng == Engine.OBJECT, root.patterns(), followSwaps);
        TraceOutcome outcome;
        // Every policy asked, in order, the first one's outcome first.
        Map<String, TraceOutcome> byPolicy = new LinkedHashMap<>();
        Graph<TraceGraph.Node, TraceGraph.Edge> graph = null;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            outcome = TraceService.trace(cs, spec);
            byPolicy.put(policy, outcome);
            for (TaintPolicy other : taintPolicies.subList(1, taintPolicies.size())) {
                byPolicy.put(other.name(), TraceService.trace(cs, new TraceSpec(spec.seeds(), other, spec.direction(), spec.limits(),
                        spec.stopAt(), spec.throughEndpoints(), spec.engine(), spec.patterns(), spec.patternSettings(), spec.followSwaps())));
            }
            if (report != null) {
                Map<String, Object> parameters = TraceReports.parameters(reproduce(all), spec, policies, store,
                        io.chaintrace.cli.app.Provenance.of(cs), Chaintrace.VERSION);
                Path html = TraceReports.write(cs, outcome, policy.toLowerCase(Locale.ROOT), all, parameters, report, force, byPolicy);
                System.err.println("report: " + html.toAbsolutePath());
                if (pdf) {
                    System.err.println("report: " + io.chaintrace.cli.report.PdfPrinter.print(html, html.resolveSibling("report.pdf"), force)
                            .toAbsolutePath());
                }
            }
            if (!f.equals("json") && !f.equals("text") && outcome instanceof TraceOutcome.Utxo u) {
                graph = entityLevel ? TraceGraph.of(u.result(), a -> cs.entityOf(a).orElse(a)) : TraceGraph.of(u.result(), graphLevel());
            }
            if (!f.equals("json") && !f.equals("text") && outcome instanceof TraceOutcome.Account) {
                // An Ethereum trace's graph is its report's: addresses, and the taint each transfer carried (wei exceed a long).
                PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
                io.chaintrace.cli.report.ReportWriter.exportGraph(TraceReports.report(cs, outcome, policy.toLowerCase(Locale.ROOT), all,
                        Map.of(), Map.of(policy.toLowerCase(Locale.ROOT), outcome), List.of()), f, out);
                out.flush();
                return ExitCode.OK;
            }
        }
        String name = policy.toLowerCase(Locale.ROOT);
        if (f.equals("json")) {
            if (byPolicy.size() == 1) {
                System.out.println(Json.write(document(outcome, name, all)));
            } else {
                // Several policies: one document holding each trace, in the order asked.
                List<Object> docs = new ArrayList<>();
                byPolicy.forEach((p, o) -> docs.add(document(o, p, all)));
                System.out.println(Json.write(Map.of("policies", docs)));
            }
        } else if (f.equals("text") || graph == null) {
            boolean first = true;
            for (Map.Entry<String, TraceOutcome> e : byPolicy.entrySet()) {
                if (byPolicy.size() > 1) {
                    System.out.println((first ? "" : "\n") + "== policy " + e.getKey() + " ==");
                }
                TraceText.print(e.getValue(), e.getKey(), patterns, System.out);
                first = false;
            }
        } else {
            PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            GraphExport.write(graph, GraphExport.Format.of(f.equals("jgrapht-json") ? "json" : f), out);
            out.flush();
        }
        return ExitCode.OK;
    }

    private Object document(TraceOutcome outcome, String name, List<String> all) {
        return switch (outcome) {
            case TraceOutcome.Utxo u -> Documents.UtxoTrace.of(u.result(), patterns ? u.alerts().stream().map(Documents.AlertLine::of).toList() : null);
            case TraceOutcome.Compact c -> Documents.CompactTrace.of(c.seeds(), name, hops, c.result(), c.byEntity());
            case TraceOutcome.Account a -> Documents.AccountTraceDoc.of(all, name, a.backward(), hops, a.result(),
                    patterns ? a.alerts().stream().map(Documents.AlertLine::of).toList() : null);
        };
    }

    private TraceGraph.Level graphLevel() {
        return switch (level.toLowerCase(Locale.ROOT)) {
            case "tx", "transaction" -> TraceGraph.Level.TRANSACTION;
            case "address" -> TraceGraph.Level.ADDRESS;
            case "entity" -> TraceGraph.Level.ENTITY;
            default -> throw new IllegalArgumentException("--level is tx, address or entity, not " + level);
        };
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

    /** The command that reproduces the report, as the report shows it. */
    private String reproduce(List<String> all) {
        return "chaintrace trace --store " + store + " " + all.stream().map(x -> "--seed " + x).collect(Collectors.joining(" "))
                + " --policy " + String.join(",", policies) + " --direction " + direction + " --hops " + hops
                + (minAmount != 0 ? " --min-amount " + minAmount : "") + (until != null ? " --until " + until : "")
                + (maxTransactions != null ? " --max-transactions " + maxTransactions : "") + (maxEdges != null ? " --max-edges " + maxEdges : "")
                + (since != null ? " --since " + since : "") + (stopAt != null ? " --stop-at " + String.join(",", stopAt) : "")
                + (throughEndpoints ? " --through-endpoints" : "") + (followSwaps ? " --follow-swaps" : "") + (patterns ? " --patterns" : "")
                + (report != null ? " --report " + report : "") + (pdf ? " --pdf" : "");
    }

    static long time(String t) {
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(t).getEpochSecond();
            } catch (DateTimeParseException p) {
                throw new IllegalArgumentException("not a time (unix seconds or ISO-8601 like 2016-08-02T00:00:00Z): " + t, p);
            }
        }
    }
}
