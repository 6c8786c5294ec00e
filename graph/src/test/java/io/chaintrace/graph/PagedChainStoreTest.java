package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.compact.OutputRefs;
import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.scenarios.Scenario;
import io.chaintrace.scenarios.ScenarioGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compact rows written at ingest, read back a page at a time through a small cache, give the
 * compact tracer exactly what the object tracer reads from the same store: every reached output,
 * every endpoint, fees, cuts, and the scenario's known answers.
 */
class PagedChainStoreTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "scenario {0}: {1} thefts, {2} background txs, {3} hops, cache {4} bytes, labels first {5}")
    @CsvSource({"11, 5, 100, 99, 1, false", "4, 12, 400, 99, 40000, true", "7, 3, 200, 2, 1000000, false"})
    void pagedRowsTraceLikeTheObjectTracer(long seed, int thefts, int background, int hops, long cacheBytes, boolean labelsFirst) {
        Scenario s = ScenarioGenerator.generate(seed, thefts, background);
        try (ChainStore w = ChainStore.open(dir.resolve("s"))) {
            if (labelsFirst) {
                // Labels imported before the chain: the endpoints are learnt as their addresses arrive.
                s.labels().forEach(l -> w.putLabels(l.address(), java.util.List.of(l)));
            }
            ScenarioStoreTest.write(s, w);
        }
        try (ChainStore store = ChainStore.openReadOnly(dir.resolve("s"))) {
            List<RowRef> refs = s.thefts().stream().map(op -> store.rowOf(op).orElseThrow()).toList();
            OutputRefs seeds = new OutputRefs(refs.stream().mapToInt(RowRef::tx).toArray(),
                    refs.stream().mapToInt(RowRef::vout).toArray());
            int maxHops = Math.min(hops, s.hopsNeeded());
            for (TaintPolicy p : TaintPolicy.ALL) {
                TraceResult expected = new UtxoTracer(store).trace(new TraceRequest(s.thefts().stream().<Seed>map(Seed.OutpointSeed::new)
                        .toList(), p, Direction.FORWARD, Limits.DEFAULT.withHops(maxHops), TraceRequest.SERVICES, false));
                PagedChain rows = store.compactRows(TraceRequest.SERVICES, cacheBytes);
                CompactTracer.Result r = new CompactTracer(rows).forward(seeds, p, maxHops);
                Map<String, Long> byEntity = new TreeMap<>();
                r.endpointTaint().forEach((owner, a) -> byEntity.merge(entityOf(store, owner), a, Long::sum));
                assertEquals(expected.byEntity(), byEntity, p.name());
                if (maxHops >= s.hopsNeeded()) {
                    assertEquals(s.expectedEndpoints().get(p.name()), byEntity, p.name() + " against the scenario");
                }
                assertEquals(expected.account().seeded(), r.seeded(), p.name() + " seeded");
                assertEquals(expected.account().unspent(), r.unspent(), p.name() + " unspent");
                assertEquals(expected.account().fees(), r.fees(), p.name() + " fees");
                assertEquals(expected.account().cutByHops(), r.cutByHops(), p.name() + " cut");
                for (TraceResult.TaintedOutput o : expected.outputs()) {
                    assertEquals(o.taint().amount(), r.outputTaint(store.rowOf(o.outpoint()).orElseThrow().output()), p.name() + " " + o.outpoint());
                }
                assertTrue(!p.conserving() || r.balanced(), p.name());
                assertTrue(rows.cachedBytes() <= cacheBytes || rows.cachedPages() == 1, "cache over its bound: " + rows.cachedBytes());
                assertTrue(rows.pageReads() > 0);
            }
        }
    }

    private static String entityOf(ChainStore store, int owner) {
        return store.labelsOf(store.address(owner)).getFirst().entity();
    }
}
