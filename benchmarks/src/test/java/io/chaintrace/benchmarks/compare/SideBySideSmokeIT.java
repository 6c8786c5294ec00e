package io.chaintrace.benchmarks.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The side-by-side harness at a tiny size, so that it cannot rot: the same store, a real Neo4j
 * and a JGraphT graph; every (seed, k) answered alike by all three (the harness throws otherwise),
 * and every figure of the report present.
 */
class SideBySideSmokeIT {
    @TempDir
    Path work;

    @Test
    void tinyRunAgreesAndReports() throws Exception {
        SideBySide.Report r = SideBySide.run(new SideBySide.Settings(3_000, 8, 4, work, Duration.ofSeconds(30), 64L << 20, 1, Duration.ZERO, 2));
        assertTrue(r.transactions() > 2_000, "transactions: " + r.transactions());
        assertTrue(r.edges() > r.transactions(), "spend edges: " + r.edges());
        assertEquals(2 * 8 * 4, r.verified(), "every (seed, k) compared with both Neo4j models too");
        assertEquals(0, r.unverified());
        for (String system : new String[] {"Chaintrace", "Neo4j", "Neo4j UTXO", "JGraphT"}) {
            assertTrue(r.loadSeconds().get(system) > 0, system);
            assertEquals(4, r.latency().get(system).size(), system);
        }
        assertTrue(r.diskBytes().get("Chaintrace") > 0 && r.diskBytes().get("Neo4j") > 0 && r.diskBytes().get("Neo4j UTXO") > 0);
        assertTrue(r.meanReached().get(4) >= r.meanReached().get(1), "reach grows with k");
        assertTrue(r.markdown().contains("| 4 |"), r.markdown());
        assertTrue(r.markdown().contains("Chaintrace 1 pass in"), "the warm-up reported");
    }
}
