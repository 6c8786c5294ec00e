package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Label;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.scenarios.Scenario;
import io.chaintrace.scenarios.ScenarioGenerator;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A generated scenario written into RocksDB and traced from there gives the known answers too. */
class ScenarioStoreTest {
    @TempDir
    Path dir;

    /** Writes a scenario's blocks and labels into a store, block by block as a source would. */
    static void write(Scenario s, ChainStore store) {
        for (Scenario.Block b : s.blocks()) {
            store.append(new NewBlock(b.hash(), b.parent(), b.height(), b.time(), BigInteger.valueOf(b.height() + 1L),
                    b.transactions().stream().map(t -> new NewBlock.NewTransaction(t.txid(), t.spends(), t.outputs())).toList()),
                    new Checkpoint("scenario", b.hash(), b.height(), b.height() + 1L));
        }
        for (Label l : s.labels()) {
            store.putLabels(l.address(), List.of(l));
        }
    }

    @Test
    void tracesFromTheStoreMatchTheScenario() {
        Scenario s = ScenarioGenerator.generate(11, 5, 100);
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            write(s, store);
            assertEquals(s.transactionCount(), store.stats().txs());
            assertEquals(0, store.stats().unresolvedInputs());
            List<Seed> seeds = s.thefts().stream().<Seed>map(Seed.OutpointSeed::new).toList();
            for (TaintPolicy p : TaintPolicy.ALL) {
                TraceResult r = new UtxoTracer(store).trace(new TraceRequest(seeds, p, Direction.FORWARD,
                        Limits.DEFAULT.withHops(s.hopsNeeded()), TraceRequest.SERVICES, false));
                assertEquals(s.expectedEndpoints().get(p.name()), r.byEntity(), p.name());
                assertTrue(!p.conserving() || r.balanced(), p.name());
            }
        }
    }
}
