package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.cluster.Clusterer;
import io.chaintrace.core.cluster.TransactionClustering;
import io.chaintrace.core.cluster.UnionFind;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.scenario.OwnerScenario;
import io.chaintrace.core.scenario.Scenario;
import io.chaintrace.core.trace.MemoryLedger;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entities in the store: clustering run in three increments as blocks arrive (and in small
 * committed chunks) gives the same entities as one pass in memory, and they survive reopening.
 */
class EntityStoreTest {
    @TempDir
    Path dir;

    @Test
    void incrementalClusteringInTheStoreEqualsOnePassInMemory() {
        OwnerScenario.Generated g = OwnerScenario.generate(3, 80, 3_000);
        List<Scenario.Block> blocks = g.scenario().blocks();
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            int third = blocks.size() / 3;
            long clustered = 0;
            for (int part = 0; part < 3; part++) {
                for (Scenario.Block b : blocks.subList(part * third, part == 2 ? blocks.size() : (part + 1) * third)) {
                    store.append(new NewBlock(b.hash(), b.parent(), b.height(), b.time(), BigInteger.valueOf(b.height() + 1L),
                            b.transactions().stream().map(t -> new NewBlock.NewTransaction(t.txid(), t.spends(), t.outputs())).toList()),
                            new Checkpoint("owners", b.hash(), b.height(), b.height() + 1L));
                }
                clustered += store.cluster(97, n -> { }).transactions();
            }
            assertEquals(store.stats().txs(), clustered, "every transaction clustered once");
            assertEquals(0, store.cluster(97, n -> { }).transactions(), "nothing new: nothing to do");
        }
        // One pass in memory, owner ids in order of first appearance as the store gives them.
        MemoryLedger ledger = g.scenario().toLedger();
        Map<String, Integer> ids = new HashMap<>();
        List<String> byId = new ArrayList<>();
        UnionFind sets = new UnionFind(1024);
        TransactionClustering feed = new TransactionClustering(Clusterer.standard(sets), ledger, (Address a) -> ids.computeIfAbsent(a.text(), k -> {
            byId.add(k);
            return byId.size() - 1;
        }), -1);
        for (Scenario.Block b : blocks) {
            for (Scenario.Tx t : b.transactions()) {
                for (TxOutput o : t.outputs()) {
                    o.owner().ifPresent(a -> ids.computeIfAbsent(a.text(), k -> {
                        byId.add(k);
                        return byId.size() - 1;
                    }));
                }
                feed.accept(ledger.transaction(t.txid()).orElseThrow());
            }
        }
        try (ChainStore store = ChainStore.openReadOnly(dir.resolve("s"))) {
            int joined = 0;
            Map<Integer, String> storedEntityOfSet = new HashMap<>();
            for (String text : byId) {
                Address a = store.address(store.addressId(Address.parse(text)).orElseThrow());
                Address entity = store.entityOf(a).orElseThrow();
                Address expected = Address.parse(byId.get(sets.find(ids.get(text))));
                // Same partition: two addresses share a stored entity exactly when they share one in memory.
                assertEquals(sets.find(ids.get(entity.text())), sets.find(ids.get(text)), text);
                assertEquals(sets.find(ids.get(expected.text())), sets.find(ids.get(entity.text())));
                // And the other way: every member of a set in memory has the same stored entity.
                assertEquals(storedEntityOfSet.computeIfAbsent(sets.find(ids.get(text)), k -> entity.text()), entity.text(), text);
                joined += entity.text().equals(text) ? 0 : 1;
            }
            assertTrue(joined > byId.size() / 4, "addresses in a larger entity: " + joined);
        }
    }
}
