package io.chaintrace.core.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Label;
import io.chaintrace.core.scenario.Scenario;
import io.chaintrace.core.scenario.ScenarioGenerator;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The compact tracer gives exactly what the object tracer gives: per output, per endpoint, the account. */
class CompactTracerTest {
    @ParameterizedTest(name = "seed {0}, {1} thefts, {2} background, {3} hops")
    @CsvSource({"3, 2, 30, 6", "5, 8, 300, 6", "9, 4, 100, 2"})
    void sameAnswersAsTheObjectTracer(long seed, int thefts, int background, int hops) {
        Scenario s = ScenarioGenerator.generate(seed, thefts, background);
        ScenarioChains.Loaded loaded = ScenarioChains.load(s, TraceRequest.SERVICES);
        int[] seeds = s.thefts().stream().mapToInt(loaded.outputs()::get).toArray();
        Map<Integer, String> entityOf = new HashMap<>();
        for (Label l : s.labels()) {
            entityOf.put(loaded.owners().get(l.address().text()), l.entity());
        }
        for (TaintPolicy p : TaintPolicy.ALL) {
            TraceResult expected = new UtxoTracer(s.toLedger()).trace(new TraceRequest(s.thefts().stream().<Seed>map(Seed.OutpointSeed::new)
                    .toList(), p, Direction.FORWARD, Limits.DEFAULT.withHops(hops), TraceRequest.SERVICES, false));
            CompactTracer.Result r = new CompactTracer(loaded.chain()).forward(loaded.chain().refs(seeds), p, hops);
            Map<String, Long> byEntity = new java.util.TreeMap<>();
            r.endpointTaint().forEach((owner, a) -> byEntity.merge(entityOf.get(owner), a, Long::sum));
            assertEquals(expected.byEntity(), byEntity, p.name());
            assertEquals(expected.account().unspent(), r.unspent(), p.name() + " unspent");
            assertEquals(expected.account().fees(), r.fees(), p.name() + " fees");
            assertEquals(expected.account().cutByHops(), r.cutByHops(), p.name() + " cut");
            for (TraceResult.TaintedOutput o : expected.outputs()) {
                assertEquals(o.taint().amount(), r.outputTaint(loaded.outputs().get(o.outpoint())), p.name() + " " + o.outpoint());
            }
            assertTrue(!p.conserving() || r.balanced(), p.name());
        }
        assertTrue(loaded.chain().bytesPerEdge() <= 24, "bytes per edge " + loaded.chain().bytesPerEdge());
    }
}
