package io.chaintrace.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.PeelChainDetector;
import io.chaintrace.core.pattern.TracePatterns;
import io.chaintrace.core.trace.MemoryLedger;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Patterns on a trace report every pattern whose transactions the trace walks: a trace seeded on a
 * later step of a planted peel chain (issue 16: 23 steps walked, only pass_through flagged) reports
 * the peel chain, whole, once.
 */
class TracePatternsTest {
    @Test
    void aTraceEnteringAPeelChainInItsMiddleReportsTheChain() {
        PatternPlanter.Planted planted = PatternPlanter.plant(7, 20, 500);
        MemoryLedger ledger = planted.scenario().toLedger();
        // The longest planted chain, its steps in chain order.
        List<UtxoTransaction> chain = planted.truth().get("peel_chain").stream()
                .map(txs -> txs.stream().map(t -> ledger.transaction(t).orElseThrow())
                        .sorted(Comparator.<UtxoTransaction>comparingInt(t -> t.block().height()).thenComparingInt(UtxoTransaction::position))
                        .toList())
                .max(Comparator.comparingInt(List::size)).orElseThrow();
        assertTrue(chain.size() >= 5, "a chain of " + chain.size());
        // Seed the remainder of its second step: the trace walks steps 3 onwards, never the start.
        UtxoTransaction second = chain.get(1);
        int remainder = PeelChainDetector.DEFAULT.remainder(second).orElseThrow().index();
        TraceResult r = new UtxoTracer(ledger).trace(new TraceRequest(List.of(new Seed.OutpointSeed(new Outpoint(second.txid(), remainder))),
                TaintPolicy.named("haircut"), 30));
        Set<Hash256> walked = new java.util.HashSet<>();
        r.transactions().forEach(t -> walked.add(t.txid()));
        assertTrue(walked.contains(chain.get(2).txid()) && !walked.contains(chain.getFirst().txid()), "the trace starts mid-chain");
        List<Alert> peels = TracePatterns.of(r, ledger).stream().filter(a -> a.pattern().equals("peel_chain")).toList();
        assertEquals(1, peels.size(), peels.toString());
        assertEquals(chain.stream().map(UtxoTransaction::txid).toList(), peels.getFirst().transactions(), "the whole chain, from its start");
    }
}
