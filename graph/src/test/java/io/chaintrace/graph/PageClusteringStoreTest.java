package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Address;
import io.chaintrace.scenarios.ExchangeHack;
import io.chaintrace.scenarios.OwnerScenario;
import io.chaintrace.scenarios.PatternPlanter;
import io.chaintrace.scenarios.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clustering from the compact rows (the default) makes the entities that clustering transaction by transaction, each
 * read back whole, makes: on chains planted with every CoinJoin wallet's shape, peel chains and their near-misses, on
 * the exchange-hack case and on the owner scenario; in one run, in small committed chunks, and killed mid-run and
 * resumed.
 */
class PageClusteringStoreTest {
    @TempDir
    Path dir;

    /** Each address's stored entity, by owner id. */
    private static List<String> entities(ChainStore store) {
        List<String> e = new ArrayList<>();
        for (int id = 0; id < store.stats().owners(); id++) {
            Address a = store.address(id);
            e.add(store.entityOf(a).orElseThrow().text());
        }
        return e;
    }

    private ClusterRun[] both(Scenario s, String name, int chunk) {
        ClusterRun[] runs = new ClusterRun[2];
        List<List<String>> entities = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            try (ChainStore store = ChainStore.open(dir.resolve(name + k))) {
                ScenarioStoreTest.write(s, store);
                runs[k] = store.cluster(chunk, n -> { }, k == 0);
                entities.add(entities(store));
            }
        }
        assertEquals(entities.get(1), entities.get(0), name + ": every address's entity");
        assertEquals(runs[1].transactions(), runs[0].transactions(), name);
        assertEquals(runs[1].coinjoinsSkipped(), runs[0].coinjoinsSkipped(), name + ": CoinJoins passed over");
        // Unions that merged two sets: as many whatever their order (the split by reason may differ by the links that wait).
        assertEquals(runs[1].multiInputLinks() + runs[1].changeLinks(), runs[0].multiInputLinks() + runs[0].changeLinks(), name);
        long joined = entities.get(0).size() - entities.get(0).stream().distinct().count();
        assertTrue(joined > 0, name + ": some addresses share an entity");
        return runs;
    }

    @Test
    void plantedCoinJoinsAndPeelChains() {
        ClusterRun[] r = both(PatternPlanter.plant(5, 6, 400).scenario(), "planted", 50_000);
        assertTrue(r[0].coinjoinsSkipped() >= 5 * 6, "every planted CoinJoin found: " + r[0]);
        assertTrue(r[0].changeLinks() > 0, r[0].toString());
    }

    @Test
    void exchangeHackCaseInSmallChunks() {
        ClusterRun[] r = both(ExchangeHack.generate(3, 300).bitcoin(), "hack", 7);
        assertTrue(r[0].coinjoinsSkipped() >= 1, r[0].toString());
    }

    @Test
    void ownerScenario() {
        OwnerScenario.Generated g = OwnerScenario.generate(9, 120, 4_000);
        ClusterRun[] r = both(g.scenario(), "owners", 1_000);
        assertEquals(g.coinjoins(), r[0].coinjoinsSkipped());
    }

    /** A run killed after a committed chunk (here: its progress callback throws) and run again ends as one run does. */
    @Test
    void killedMidRunAndResumed() {
        Scenario s = PatternPlanter.plant(8, 5, 600).scenario();
        List<String> once;
        try (ChainStore store = ChainStore.open(dir.resolve("once"))) {
            ScenarioStoreTest.write(s, store);
            store.cluster(100_000, n -> { });
            once = entities(store);
        }
        try (ChainStore store = ChainStore.open(dir.resolve("resumed"))) {
            ScenarioStoreTest.write(s, store);
            for (int kill = 1; kill <= 3; kill++) {
                int[] calls = {0};
                assertThrows(IllegalStateException.class, () -> store.cluster(29, n -> {
                    if (++calls[0] == 3) {
                        throw new IllegalStateException("killed");
                    }
                }));
            }
            store.cluster(29, n -> { });
            assertEquals(once, entities(store));
        }
    }
}
