package io.chaintrace.cli.app;

import io.chaintrace.cli.report.CaseReport;
import io.chaintrace.cli.report.ReportWriter;
import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The HTML report of one trace and its JSON, CSV, GraphML and GEXF siblings. */
public final class TraceReports {
    private TraceReports() {
    }

    /**
     * Writes the report of {@code outcome} into {@code dir} ({@link ReportWriter#write}: a report already there is
     * replaced only when {@code replace} is set); {@code parameters} are what reproduces it (shown in the report).
     * Returns the HTML file.
     */
    public static Path write(ChainStore cs, TraceOutcome outcome, String policy, List<String> seeds, Map<String, Object> parameters, Path dir,
                             boolean replace) {
        return write(cs, outcome, policy, seeds, parameters, dir, replace, Map.of(policy, outcome));
    }

    /**
     * As above, with the same trace under each policy in {@code byPolicy} (the first is {@code outcome}): the report's
     * comparison section shows where the value went under each.
     */
    public static Path write(ChainStore cs, TraceOutcome outcome, String policy, List<String> seeds, Map<String, Object> parameters, Path dir,
                             boolean replace, Map<String, TraceOutcome> byPolicy) {
        return ReportWriter.write(report(cs, outcome, policy, seeds, parameters, byPolicy, List.of()), dir, replace).html();
    }

    /** The report of a trace, with {@code extraNotes} after the report's own (a workspace's annotations). */
    public static CaseReport report(ChainStore cs, TraceOutcome outcome, String policy, List<String> seeds, Map<String, Object> parameters,
                                    Map<String, TraceOutcome> byPolicy, List<String> extraNotes) {
        List<CaseReport.Leg> legs = legs(cs, outcome, policy);
        List<String> notes = new ArrayList<>(List.of("Amounts are exact: satoshi and wei in the store."));
        if (outcome instanceof TraceOutcome.Utxo u) {
            long partly = u.result().transactions().stream().filter(t -> !t.resolved()).count();
            if (partly > 0) {
                notes.add(partly + (partly == 1 ? " transaction" : " transactions") + " of the trace spend an output whose funding"
                        + " transaction is not in the store (\"resolved\": false in trace --json): what such an input held is"
                        + " unknown, so the shares split through it rest on the inputs the store knows; the account shows the"
                        + " unresolved value. Ingest or fetch the funding transactions to make them exact.");
            }
        }
        notes.addAll(extraNotes);
        List<CaseReport.PolicyRow> rows = new ArrayList<>();
        if (byPolicy.size() > 1) {
            byPolicy.forEach((name, o) -> rows.addAll(policyRows(name, o)));
            List<String> order = List.copyOf(byPolicy.keySet());
            rows.sort(java.util.Comparator.comparing(CaseReport.PolicyRow::leg).thenComparing(r -> order.indexOf(r.policy())));
        }
        return new CaseReport("Trace of " + String.join(", ", seeds), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                parameters, legs, List.of(), rows, CaseReport.alerts(alerts(outcome), legs), notes);
    }

    /** A trace as the report's legs: Bitcoin one, Ethereum one per asset. */
    public static List<CaseReport.Leg> legs(ChainStore cs, TraceOutcome outcome, String policy) {
        List<CaseReport.Leg> legs = new ArrayList<>();
        switch (outcome) {
            case TraceOutcome.Utxo u -> legs.add(CaseReport.bitcoin("Bitcoin " + u.result().request().direction().name().toLowerCase(Locale.ROOT),
                    u.result(), cs::labelsOf));
            case TraceOutcome.Account a -> {
                for (AccountTrace.AssetResult r : a.result().assets()) {
                    legs.add(CaseReport.account("Ethereum " + r.asset().symbol(), policy, r, a.seeds(), cs::labelsOf, a.backward()));
                }
            }
            case TraceOutcome.Compact c -> throw TraceService.compactOnly();
        }
        return legs;
    }

    /** The patterns flagged on a trace (empty unless they were asked for). */
    public static List<Alert> alerts(TraceOutcome outcome) {
        return switch (outcome) {
            case TraceOutcome.Utxo u -> u.alerts();
            case TraceOutcome.Account a -> a.alerts();
            case TraceOutcome.Compact c -> List.of();
        };
    }

    /**
     * What a report shows of how it was made: the command that reproduces it, the trace's settings, the store and the
     * data it holds ({@code data}: {@link Provenance}), the detector settings and the tool's version.
     */
    public static Map<String, Object> parameters(String command, TraceSpec spec, List<String> policies, Path store, Map<String, Object> data,
                                                 String version) {
        Map<String, Object> parameters = new java.util.LinkedHashMap<>();
        parameters.put("command", command);
        parameters.put("policy", spec.policy().name().toLowerCase(Locale.ROOT));
        parameters.put("policies", policies.stream().map(String::strip).toList());
        parameters.put("direction", spec.direction().name().toLowerCase(Locale.ROOT));
        parameters.put("maxHops", spec.limits().maxHops());
        parameters.put("stopAt", spec.stopAt().stream().sorted().map(io.chaintrace.core.model.LabelCategory::id).toList());
        parameters.put("seeds", spec.seeds());
        parameters.put("store", store.toAbsolutePath().toString());
        parameters.put("patternSettings", spec.patternSettings().values());
        parameters.put("chaintrace", version);
        parameters.put("data", data);
        return parameters;
    }

    /** Where the value went under one policy, per leg: by entity, in the leg's units. */
    private static List<CaseReport.PolicyRow> policyRows(String policy, TraceOutcome o) {
        List<CaseReport.PolicyRow> rows = new ArrayList<>();
        switch (o) {
            case TraceOutcome.Utxo u -> rows.add(CaseReport.PolicyRow.bitcoin(
                    "Bitcoin " + u.result().request().direction().name().toLowerCase(Locale.ROOT), policy, u.result()));
            case TraceOutcome.Account a -> a.result().assets().forEach(r -> rows.add(CaseReport.PolicyRow.account(
                    "Ethereum " + r.asset().symbol(), policy, r)));
            case TraceOutcome.Compact c -> throw TraceService.compactOnly();
        }
        return rows;
    }
}
