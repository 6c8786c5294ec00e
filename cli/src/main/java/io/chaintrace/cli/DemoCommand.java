package io.chaintrace.cli;

import io.chaintrace.cli.app.IngestProgress;
import io.chaintrace.cli.report.CaseReport;
import io.chaintrace.cli.report.ReportWriter;
import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.account.AccountTracer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.ClusterRun;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileSource;
import io.chaintrace.ingest.demo.CaseFiles;
import io.chaintrace.ingest.eth.EtlSource;
import io.chaintrace.ingest.labels.LabelImporter;
import io.chaintrace.scenarios.ExchangeHack;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code chaintrace demo}: the main job on the embedded default. Generates an exchange-hack case
 * ({@link ExchangeHack}), writes it as the files an investigation starts from (a Bitcoin Core
 * block file, an ethereum-etl export, a label list), ingests them into a RocksDB store through the
 * real ingest paths, traces both legs under every policy, flags patterns, and writes the report.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Build an exchange-hack case (Ethereum hot wallet drained; split, token swap, mixer, bridge to Bitcoin,",
            "peel chain, CoinJoin-like mixing, exchange cash-outs), ingest it into an embedded store, trace it under",
            "every policy and write the report (HTML, JSON, CSV, GraphML, GEXF)."})
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    Chaintrace root;

    static final List<String> POLICIES = List.of("poison", "haircut", "fifo", "lifo", "tiho");
    /** Services a trace stops at; a token's contract is labelled too but value passes through it. */
    static final Set<LabelCategory> STOP_AT = EnumSet.complementOf(EnumSet.of(LabelCategory.OTHER));

    @Option(names = "--out", defaultValue = "chaintrace-demo", description = "Where the case files, store and report go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--seed", defaultValue = "2026", description = "Seed of the case generator (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--background", defaultValue = "400", description = "Unrelated transactions around each leg (default: ${DEFAULT-VALUE}).")
    int background;

    @Option(names = "--policy", defaultValue = "haircut", description = "Policy the report's graph and tables show (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--no-progress", description = "Do not draw progress bars.")
    boolean noProgress;

    /** What the demo produced: the case, the report and the traces by policy (for tests). */
    record Outcome(ExchangeHack.Case hack, CaseReport report, ReportWriter.Written files, Map<String, AccountTrace.Result> eth,
                   Map<String, TraceResult> btc) {
    }

    @Override
    public Integer call() throws IOException {
        Outcome o = run();
        System.out.println();
        System.out.println("Report: " + o.files().html().toAbsolutePath() + "   (open it in a browser; it works offline)");
        System.out.println("Also:   " + o.files().json().getFileName() + ", " + o.files().edgesCsv().getFileName() + ", "
                + o.files().endpointsCsv().getFileName() + ", " + o.files().accountCsv().getFileName() + ", " + o.files().graphml().getFileName() + ", " + o.files().gexf().getFileName()
                + " in " + o.files().html().getParent());
        System.out.println("Next:   ./chaintrace trace --store " + out.resolve("store") + " --seed " + o.report().legs().getLast().seeds().getFirst()
                + " --policy fifo --hops 8");
        System.out.println("        ./chaintrace serve --store " + out.resolve("store") + "   (a workspace in the browser: expand the case node by node)");
        return ExitCode.OK;
    }

    Outcome run() throws IOException {
        TaintPolicy.named(policy); // an unknown policy fails before any work
        System.out.println("Chaintrace demo: an exchange hack, generated (seed " + seed + "), ingested and traced on the embedded store");
        ExchangeHack.Case hack = ExchangeHack.generate(seed, background);
        CaseFiles.Written files = CaseFiles.write(hack, out.resolve("case"));
        System.out.printf("  case files: %s (Bitcoin block file), %s (ethereum-etl export), %s (labels)%n", files.blocks(),
                files.ethereum().getFirst().getParent(), files.labels());
        Path store = out.resolve("store");
        deleteStore(store);
        Map<String, AccountTrace.Result> eth = new LinkedHashMap<>();
        Map<String, TraceResult> btc = new LinkedHashMap<>();
        List<Outpoint> btcSeeds = hack.btcSeeds().stream().map(files::real).toList();
        List<Alert> alerts = new ArrayList<>();
        CaseReport report;
        try (ChainStore cs = ChainStore.open(store)) {
            new LabelImporter(cs).importFile(files.labels());
            try (IngestProgress progress = new IngestProgress(!noProgress, "transactions")) {
                BlockFileSource.Summary s = new BlockFileSource(cs, List.of(files.blocks())).run(progress);
                progress.close();
                System.out.printf("  Bitcoin:  %,d blocks, %,d transactions ingested from the block file%n", s.written(), s.transactions());
                cs.compactPages();
            }
            EtlSource.Summary e = new EtlSource(cs, files.ethereum()).run(IngestListener.NONE);
            System.out.printf("  Ethereum: %,d blocks, %,d transfers imported from the export%n", e.blocks(), e.transfers());
            ClusterRun clusters = cs.cluster(50_000, n -> { });
            System.out.printf("  entities: %,d common-input and %,d change links (Bitcoin), %,d deposit-address links (Ethereum)%n",
                    clusters.multiInputLinks(), clusters.changeLinks(), clusters.depositAddressLinks());

            Limits limits = Limits.DEFAULT.withHops(Math.max(8, hack.hopsNeeded()));
            for (String p : POLICIES) {
                eth.put(p, new AccountTracer(cs).trace(new AccountTrace.Request(hack.ethSeeds(), TaintPolicy.named(p), limits, STOP_AT, false)));
                btc.put(p, new UtxoTracer(cs).trace(new TraceRequest(btcSeeds.stream().map(o -> (Seed) new Seed.OutpointSeed(o)).toList(), TaintPolicy.named(p),
                        io.chaintrace.core.trace.Direction.FORWARD, limits, STOP_AT, false)));
            }
            long scanned = PatternsCommand.scan(cs, null, null, root.patterns(), alerts::add);
            io.chaintrace.core.pattern.AlertReview.Result review = io.chaintrace.core.pattern.AlertReview.of(alerts, false, false);
            System.out.printf("  patterns: %,d alerts to review over %,d transactions and transfers (%,d findings merged and ranked;"
                    + " %,d direct uses of services counted)%n", review.alerts().size(), scanned, review.raw(), review.events());
            report = report(hack, cs::labelsOf, eth, btc, alerts, store, limits, io.chaintrace.cli.app.Provenance.of(cs));
        }
        // The demo rebuilds its own folder each run, report included.
        ReportWriter.Written written = ReportWriter.write(report, out.resolve("report"), true);
        printSummary(report);
        return new Outcome(hack, report, written, eth, btc);
    }

    private CaseReport report(ExchangeHack.Case hack, Function<Address, List<Label>> labels, Map<String, AccountTrace.Result> eth,
                              Map<String, TraceResult> btc, List<Alert> alerts, Path store, Limits limits, Map<String, Object> data) {
        String p = policy.toLowerCase(java.util.Locale.ROOT);
        List<CaseReport.Leg> legs = new ArrayList<>();
        for (AccountTrace.AssetResult a : eth.get(p).assets()) {
            legs.add(CaseReport.account("Ethereum " + a.asset().symbol(), p, a, hack.ethSeeds(), labels));
        }
        legs.add(CaseReport.bitcoin("Bitcoin (after the bridge)", btc.get(p), labels));
        List<CaseReport.PolicyRow> rows = new ArrayList<>();
        for (String q : POLICIES) {
            for (AccountTrace.AssetResult a : eth.get(q).assets()) {
                rows.add(CaseReport.PolicyRow.account("Ethereum " + a.asset().symbol(), q, a));
            }
            rows.add(CaseReport.PolicyRow.bitcoin("Bitcoin (after the bridge)", q, btc.get(q)));
        }
        rows.sort(Comparator.comparing(CaseReport.PolicyRow::leg).thenComparing(r -> POLICIES.indexOf(r.policy())));
        List<CaseReport.AlertRow> alertRows = CaseReport.alerts(alerts, legs).stream()
                .sorted(Comparator.comparing(CaseReport.AlertRow::onTrace).reversed().thenComparing(CaseReport.AlertRow::pattern)).toList();
        // The bridge hop: THORChain's router took the ETH; its vault paid the thief the BTC the Bitcoin leg starts from. Chaintrace
        // does not match bridge deposits to payouts by itself: the case states the link, as the bridge's own records would.
        List<CaseReport.Link> links = new ArrayList<>();
        CaseReport.Leg bitcoin = legs.getLast();
        bitcoin.nodes().stream().filter(n -> n.kind().equals("seed")).findFirst().ifPresent(seedNode -> links.add(new CaseReport.Link(
                CaseReport.nodeId(labelled(hack, "THORChain Router")), seedNode.id(), "bridge: THORChain's vault "
                + CaseFiles.stored(labelled(hack, "THORChain Vault")) + " paid " + bitcoin.seededDisplay()
                        + " BTC")));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("command", "chaintrace demo --seed " + seed + " --background " + background + " --policy " + p);
        parameters.put("policy", p);
        parameters.put("direction", "forward");
        parameters.put("maxHops", limits.maxHops());
        parameters.put("stopAt", STOP_AT.stream().map(LabelCategory::id).toList());
        parameters.put("ethereumSeeds", hack.ethSeeds().stream().map(Object::toString).toList());
        parameters.put("bitcoinSeeds", btc.get(p).request().seeds().stream().map(Object::toString).toList());
        parameters.put("store", store.toAbsolutePath().toString());
        parameters.put("generator", "ExchangeHack seed " + seed + ", " + background + " background transactions per leg");
        parameters.put("chaintrace", Chaintrace.VERSION);
        parameters.put("data", data);
        List<String> notes = List.of(
                "Generated case, not real data: every address and transaction here was made by the scenario generator and ingested from"
                        + " the files under case/ through the same paths as real block files, exports and label lists (the Bitcoin"
                        + " leg as a regtest block file, whose blocks carry real proof of work at regtest's difficulty).",
                "Across the bridge the trace does not follow by itself: the Bitcoin leg is seeded at the bridge's payout, as an"
                        + " investigator would from the bridge's records.",
                "Amounts are exact: satoshi and wei in the store; shown here as BTC, ETH and USDT.");
        return new CaseReport("Exchange hack: VictimEx hot wallet (demo case " + seed + ")",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), parameters, legs, links, rows, alertRows, notes);
    }

    /** The case's address labelled with this entity. */
    private static Address labelled(ExchangeHack.Case hack, String entity) {
        return hack.labels().stream().filter(l -> l.entity().equals(entity)).map(Label::address).findFirst().orElseThrow();
    }

    private void printSummary(CaseReport r) {
        for (CaseReport.Leg l : r.legs()) {
            System.out.printf("  %s, %s: %s %s seeded%n", l.name(), l.policy(), grouped(l.seededDisplay()), l.asset());
            for (CaseReport.Endpoint e : l.endpoints()) {
                System.out.printf("      %-24s %-9s %18s %s%n", e.entity(), e.category(), grouped(e.display()), l.asset());
            }
            String held = l.account().getOrDefault("still unspent", l.account().get("still held by traced addresses"));
            System.out.printf("      %-34s %18s %s%n", "still held by the thief", grouped(held), l.asset());
        }
        long onTrace = r.alerts().stream().filter(CaseReport.AlertRow::onTrace).count();
        Map<String, Long> byPattern = new java.util.TreeMap<>();
        r.alerts().stream().filter(CaseReport.AlertRow::onTrace).forEach(a -> byPattern.merge(a.pattern(), 1L, Long::sum));
        System.out.printf("  patterns on the trace: %d %s%n", onTrace, byPattern);
    }

    /** An exact decimal with thousands separators (the digits are not rounded). */
    static String grouped(String decimal) {
        int dot = decimal.indexOf('.');
        String whole = dot < 0 ? decimal : decimal.substring(0, dot);
        return String.format("%,d", new java.math.BigInteger(whole)) + (dot < 0 ? "" : decimal.substring(dot));
    }

    /** The demo's own store is rebuilt on every run; refuses a directory that is not a store. */
    private static void deleteStore(Path store) throws IOException {
        if (!Files.exists(store)) {
            return;
        }
        if (!Files.exists(store.resolve("CURRENT"))) {
            throw new IllegalArgumentException(store + " exists and is not a Chaintrace store; choose another --out");
        }
        try (Stream<Path> files = Files.walk(store)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
