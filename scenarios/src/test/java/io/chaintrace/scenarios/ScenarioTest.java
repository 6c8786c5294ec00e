package io.chaintrace.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.MemoryLedger;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every policy finds exactly the generator's answer at every endpoint, amid unrelated traffic. */
class ScenarioTest {
    @ParameterizedTest(name = "seed {0}, {1} thefts, {2} background")
    @CsvSource({"1, 1, 0", "7, 3, 40", "42, 10, 200"})
    void eachPolicyFindsTheKnownAmountAtEveryEndpoint(long seed, int thefts, int background) {
        Scenario s = ScenarioGenerator.generate(seed, thefts, background);
        MemoryLedger ledger = s.toLedger();
        assertTrue(s.transactionCount() > thefts * 14 + background, "background traffic is there: " + s.transactionCount());
        List<Seed> seeds = s.thefts().stream().<Seed>map(Seed.OutpointSeed::new).toList();
        for (TaintPolicy p : TaintPolicy.ALL) {
            TraceResult r = new UtxoTracer(ledger).trace(new TraceRequest(seeds, p, Direction.FORWARD, Limits.DEFAULT.withHops(s.hopsNeeded()),
                    TraceRequest.SERVICES, false));
            assertEquals(s.expectedEndpoints().get(p.name()), r.byEntity(), p.name());
            assertEquals(s.expectedFees().get(p.name()), r.account().fees(), p.name() + " fees");
            if (p.conserving()) {
                assertTrue(r.balanced(), p.name());
                assertEquals(600L * ScenarioGenerator.U * thefts, r.seeded());
            }
        }
    }
}
