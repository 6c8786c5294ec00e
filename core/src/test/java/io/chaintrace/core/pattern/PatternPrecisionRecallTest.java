package io.chaintrace.core.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.scenario.PatternPlanter;
import io.chaintrace.core.scenario.Scenario;
import io.chaintrace.core.trace.MemoryLedger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every detector against planted ground truth: each pattern planted 60 times among 3,000
 * background payments and 60 of each near-miss (batch payouts, payrolls, consolidations, short or
 * growing peel-like runs). Precision and recall are printed per pattern and must be >= 0.95.
 */
class PatternPrecisionRecallTest {
    @Test
    void everyPatternIsFoundAndNearMissesAreNot() {
        PatternPlanter.Planted planted = PatternPlanter.plant(2026, 60, 3_000);
        MemoryLedger ledger = planted.scenario().toLedger();
        List<UtxoTransaction> all = new ArrayList<>();
        for (Scenario.Block b : planted.scenario().blocks()) {
            for (Scenario.Tx t : b.transactions()) {
                all.add(ledger.transaction(t.txid()).orElseThrow());
            }
        }
        Map<String, Set<Hash256>> found = new HashMap<>();
        CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();
        for (UtxoTransaction tx : all) {
            coinjoins.match(tx).ifPresent(a -> found.computeIfAbsent(a.pattern(), k -> new HashSet<>()).add(a.transactions().getFirst()));
        }
        for (Alert a : PeelChainDetector.DEFAULT.scan(all, ledger)) {
            found.computeIfAbsent(a.pattern(), k -> new HashSet<>()).add(a.transactions().getFirst());
            assertTrue(a.transactions().size() >= 3 && a.amounts().size() == a.transactions().size(), a.toString());
        }
        Map<String, String> table = new TreeMap<>();
        Set<String> patterns = new HashSet<>(planted.truth().keySet());
        patterns.addAll(found.keySet());
        for (String p : patterns) {
            Set<Hash256> truth = planted.truth().getOrDefault(p, Set.of());
            Set<Hash256> hits = found.getOrDefault(p, Set.of());
            long tp = hits.stream().filter(truth::contains).count();
            double precision = hits.isEmpty() ? 1.0 : (double) tp / hits.size();
            double recall = truth.isEmpty() ? 1.0 : (double) tp / truth.size();
            table.put(p, String.format("planted %3d  flagged %3d  precision %.3f  recall %.3f", truth.size(), hits.size(), precision, recall));
            assertTrue(precision >= 0.95 && recall >= 0.95, p + ": " + table.get(p));
        }
        table.forEach((p, line) -> System.out.printf("%-22s %s%n", p, line));
        assertEquals(6, planted.truth().size(), "every pattern planted");
        planted.truth().values().forEach(s -> assertEquals(60, s.size()));
    }
}
