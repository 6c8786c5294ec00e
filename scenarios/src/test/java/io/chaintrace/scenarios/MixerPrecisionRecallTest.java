package io.chaintrace.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.Patterns;
import io.chaintrace.scenarios.MixerScenario;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Ethereum detectors against planted ground truth: 60 of each link (same address, direct
 * transfer, portfolio, unique gas price), bridge entry and cash-out, among 3,000 unlinked single-pool users, 3,000
 * pairs of ordinary transfers, 60 portfolios withdrawn too late, and exchange withdrawals. An alert
 * is right when it shares a transaction with a planted instance of its pattern; for a link, when
 * its deposit and withdrawal both belong to one planted instance.
 */
class MixerPrecisionRecallTest {
    @Test
    void mixerLinksBridgesAndCashOuts() {
        MixerScenario.Generated g = MixerScenario.generate(11, 60, 3_000);
        List<PatternDetector> detectors = Patterns.standard();
        List<Alert> alerts = new ArrayList<>();
        for (AccountTransfer t : g.transfers()) {
            detectors.forEach(d -> d.accept(t, g.ledger(), alerts::add));
        }
        detectors.forEach(d -> d.finish(alerts::add));
        Map<String, List<Alert>> byPattern = new HashMap<>();
        alerts.forEach(a -> byPattern.computeIfAbsent(a.pattern(), k -> new ArrayList<>()).add(a));
        Map<String, String> table = new TreeMap<>();
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, List<Set<Hash256>>> e : g.truth().entrySet()) {
            String p = e.getKey();
            List<Set<Hash256>> truth = e.getValue();
            List<Alert> flagged = byPattern.getOrDefault(p, List.of());
            boolean link = p.startsWith("mixer.link.");
            java.util.function.BiPredicate<Set<Hash256>, Alert> matches = (s, a) -> link
                    ? s.contains(a.transactions().get(0)) && s.contains(a.transactions().get(1)) : !Collections.disjoint(s, a.transactions());
            long right = flagged.stream().filter(a -> truth.stream().anyMatch(s -> matches.test(s, a))).count();
            long found = truth.stream().filter(s -> flagged.stream().anyMatch(a -> matches.test(s, a))).count();
            double precision = flagged.isEmpty() ? 0 : (double) right / flagged.size();
            double recall = (double) found / truth.size();
            table.put(p, String.format("planted %4d  flagged %4d  precision %.3f  recall %.3f", truth.size(), flagged.size(), precision, recall));
            if (precision < 0.95 || recall < 0.95) {
                failed.add(p);
            }
        }
        table.forEach((p, line) -> System.out.printf("%-28s %s%n", p, line));
        assertTrue(failed.isEmpty(), "below 0.95: " + failed + "\n" + table);
        assertEquals(8, table.size(), table.keySet().toString());
        for (Alert a : alerts) {
            assertTrue(!a.transactions().isEmpty() && !a.parameters().isEmpty(), a.toString());
        }
    }
}
