package io.chaintrace.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.CoinJoinClassifier;
import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.Patterns;
import io.chaintrace.core.trace.MemoryLedger;
import io.chaintrace.scenarios.PatternPlanter;
import io.chaintrace.scenarios.Scenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every detector against planted ground truth: each pattern planted 60 times over two years of
 * background payments, beside 60 of each near-miss (batch payouts and payrolls for the CoinJoin
 * rules, consolidations for fan-in, short or growing peel-like runs, splits too small or too slow,
 * slow pass-through, value that never returns, coins that rest less than a year).
 *
 * <p>An alert is right when it shares a transaction with a planted instance of its pattern, or of
 * a pattern that contains it: a scatter-gather is also a fan-out and a fan-in, a gather-scatter a
 * fan-in and a fan-out, and a peel chain whose steps follow within minutes is also rapid
 * pass-through. Recall counts the planted instances some alert of the pattern shares a
 * transaction with. Both are printed per pattern and must be at least 0.95.
 */
class PatternPrecisionRecallTest {
    static final Map<String, List<String>> CONTAINED_IN = Map.of(
            "fan_out", List.of("scatter_gather", "gather_scatter"),
            "fan_in", List.of("scatter_gather", "gather_scatter"),
            "pass_through", List.of("peel_chain"));

    @Test
    void everyPatternIsFoundAndNearMissesAreNot() {
        PatternPlanter.Planted planted = PatternPlanter.plant(2026, 60, 3_000);
        MemoryLedger ledger = planted.scenario().toLedger();
        List<PatternDetector> detectors = Patterns.standard();
        List<Alert> alerts = new ArrayList<>();
        for (Scenario.Block b : planted.scenario().blocks()) {
            for (Scenario.Tx t : b.transactions()) {
                UtxoTransaction tx = ledger.transaction(t.txid()).orElseThrow();
                detectors.forEach(d -> d.accept(tx, ledger, alerts::add));
            }
        }
        detectors.forEach(d -> d.finish(alerts::add));
        Map<String, List<Alert>> byPattern = new HashMap<>();
        alerts.forEach(a -> byPattern.computeIfAbsent(a.pattern(), k -> new ArrayList<>()).add(a));

        Map<String, String> table = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        for (PatternDetector d : detectors) {
            for (String p : planted.truth().keySet()) {
                if (!p.equals(d.name()) && !(d instanceof CoinJoinClassifier && p.startsWith("coinjoin."))) {
                    continue;
                }
                List<Set<Hash256>> truth = planted.truth().get(p);
                List<Set<Hash256>> accepted = new ArrayList<>(truth);
                CONTAINED_IN.getOrDefault(p, List.of()).forEach(c -> accepted.addAll(planted.truth().getOrDefault(c, List.of())));
                List<Alert> flagged = byPattern.getOrDefault(p, List.of());
                long right = flagged.stream().filter(a -> accepted.stream().anyMatch(s -> !Collections.disjoint(s, a.transactions()))).count();
                long found = truth.stream().filter(s -> flagged.stream().anyMatch(a -> !Collections.disjoint(s, a.transactions()))).count();
                double precision = flagged.isEmpty() ? 0 : (double) right / flagged.size();
                double recall = (double) found / truth.size();
                table.put(p, String.format("planted %3d  flagged %4d  precision %.3f  recall %.3f", truth.size(), flagged.size(), precision, recall));
                if (precision < 0.95 || recall < 0.95) {
                    failed.add(p);
                }
            }
        }
        table.forEach((p, line) -> System.out.printf("%-22s %s%n", p, line));
        assertTrue(failed.isEmpty(), "below 0.95: " + failed + "\n" + table);
        assertEquals(13, table.size(), "every planted pattern scored: " + table.keySet());
        for (Alert a : alerts) {
            assertTrue(!a.transactions().isEmpty() && !a.parameters().isEmpty() && a.confidence() > 0, a.toString());
        }
    }
}
