package io.chaintrace.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.cluster.Clusterer;
import io.chaintrace.core.cluster.TransactionClustering;
import io.chaintrace.core.cluster.UnionFind;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.MemoryLedger;
import io.chaintrace.scenarios.OwnerScenario;
import io.chaintrace.scenarios.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Clustering on wallets of known owners with CoinJoins among them: common-input ownership never
 * joins two owners (CoinJoins are excluded); a change link that joins two owners is reported as
 * the heuristics' error; the largest cluster lies within the largest owner.
 */
class ClusteringTest {
    @Test
    void clustersRespectPlantedOwners() {
        OwnerScenario.Generated g = OwnerScenario.generate(7, 300, 20_000);
        assertTrue(g.coinjoins() >= 100, "coinjoins planted: " + g.coinjoins());
        MemoryLedger ledger = g.scenario().toLedger();
        Map<String, Integer> ids = new HashMap<>();
        List<String> byId = new ArrayList<>();
        UnionFind sets = new UnionFind(1024);
        Clusterer clusterer = Clusterer.standard(sets);
        TransactionClustering feed = new TransactionClustering(clusterer, ledger, (Address a) -> ids.computeIfAbsent(a.text(), k -> {
            byId.add(k);
            return byId.size() - 1;
        }), -1);
        int wrongMultiInput = 0;
        int wrongChange = 0;
        int change = 0;
        for (Scenario.Block b : g.scenario().blocks()) {
            for (Scenario.Tx t : b.transactions()) {
                UtxoTransaction tx = ledger.transaction(t.txid()).orElseThrow();
                for (Clusterer.Link l : feed.accept(tx)) {
                    boolean cross = !g.ownerOf().get(byId.get(l.a())).equals(g.ownerOf().get(byId.get(l.b())));
                    if (l.reason().equals("multi_input")) {
                        wrongMultiInput += cross ? 1 : 0;
                    } else {
                        change++;
                        wrongChange += cross ? 1 : 0;
                    }
                }
            }
        }
        Map<Integer, Set<Integer>> ownersOfCluster = new HashMap<>();
        Map<Integer, Integer> sizeOfCluster = new HashMap<>();
        for (int id = 0; id < byId.size(); id++) {
            int root = sets.find(id);
            ownersOfCluster.computeIfAbsent(root, k -> new HashSet<>()).add(g.ownerOf().get(byId.get(id)));
            sizeOfCluster.merge(root, 1, Integer::sum);
        }
        long spanning = ownersOfCluster.values().stream().filter(s -> s.size() > 1).count();
        int largest = sizeOfCluster.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Map<Integer, Integer> addressesPerOwner = new HashMap<>();
        g.ownerOf().values().forEach(o -> addressesPerOwner.merge(o, 1, Integer::sum));
        int largestOwner = addressesPerOwner.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        System.out.printf("addresses %,d, owners %d, clusters %,d, spanning two or more owners %d; links: multi-input %,d (wrong %d), change %,d (wrong %d); "
                + "coinjoins skipped %d; largest cluster %,d addresses (owner %s; owner %d has %,d)%n", byId.size(), addressesPerOwner.size(),
                ownersOfCluster.size(), spanning, clusterer.multiInputLinks(), wrongMultiInput, change, wrongChange, clusterer.coinjoinsSkipped(),
                sizeOfCluster.get(largest), ownersOfCluster.get(largest), largestOwner, addressesPerOwner.get(largestOwner));
        assertEquals(0, wrongMultiInput, "common-input ownership joined two owners: a CoinJoin got through");
        assertTrue(clusterer.coinjoinsSkipped() >= g.coinjoins(), "every planted CoinJoin excluded");
        assertTrue(change > 1_000, "change links made: " + change);
        assertTrue(wrongChange <= change / 50, "change heuristics wrong in " + wrongChange + " of " + change);
        assertEquals(Set.of(largestOwner), ownersOfCluster.get(largest), "the largest cluster lies within the largest owner");
        assertTrue(spanning <= wrongChange, "every cluster spanning owners comes from a wrong change link");
    }
}
