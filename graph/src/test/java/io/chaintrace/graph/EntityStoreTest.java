package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.cluster.Clusterer;
import io.chaintrace.core.cluster.TransactionClustering;
import io.chaintrace.core.cluster.UnionFind;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.trace.MemoryLedger;
import io.chaintrace.scenarios.OwnerScenario;
import io.chaintrace.scenarios.Scenario;
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

    /**
     * Ethereum in the store: two accounts of one customer pay a deposit address that forwards to a
     * labelled exchange within the window (less gas): after clustering they share an entity; an
     * account that pays the exchange directly stays apart, and so do the payers of an address
     * that forwards a different amount.
     */
    @Test
    void depositAddressesJoinTheirPayersInTheStore() {
        java.util.function.IntFunction<Address> acct = i -> Address.parse(String.format("0x%040x", 0x5000 + i));
        Address exchange = acct.apply(0);
        Address alice1 = acct.apply(1);
        Address alice2 = acct.apply(2);
        Address aliceDeposit = acct.apply(3);
        Address bob1 = acct.apply(4);
        Address bob2 = acct.apply(5);
        Address bobForward = acct.apply(6);
        Address carol = acct.apply(7);
        BigInteger eth = BigInteger.TEN.pow(18);
        BigInteger gas = eth.divide(BigInteger.valueOf(1_000));
        Object[][] plan = {
            {10L, alice1, aliceDeposit, eth.multiply(BigInteger.valueOf(3))},
            {20L, aliceDeposit, exchange, eth.multiply(BigInteger.valueOf(3)).subtract(gas)},
            {30L, alice2, aliceDeposit, eth.multiply(BigInteger.valueOf(7))},
            {40L, aliceDeposit, exchange, eth.multiply(BigInteger.valueOf(7)).subtract(gas)},
            {50L, bob1, bobForward, eth.multiply(BigInteger.valueOf(5))},
            {60L, bob2, bobForward, eth.multiply(BigInteger.valueOf(5))},
            {65L, bobForward, exchange, eth.multiply(BigInteger.valueOf(5)), "token"}, // tokens are swept otherwise: no deposit
            {70L, bobForward, exchange, eth.multiply(BigInteger.valueOf(2))},
            {80L, carol, exchange, eth},
        };
        try (ChainStore store = ChainStore.open(dir.resolve("eth"))) {
            store.putLabels(exchange, List.of(new io.chaintrace.core.model.Label(exchange, "Exchange", io.chaintrace.core.model.LabelCategory.EXCHANGE,
                    "test", 1.0)));
            io.chaintrace.core.model.Hash256 parent = io.chaintrace.core.model.Hash256.ZERO;
            for (int i = 0; i < plan.length; i++) {
                long n = (Long) plan[i][0];
                io.chaintrace.core.model.Hash256 hash = io.chaintrace.core.model.Hash256.fromHex(String.format("%064x", 0xb000 + i));
                io.chaintrace.core.model.Hash256 tx = io.chaintrace.core.model.Hash256.fromHex(String.format("%064x", 0x7000 + i));
                boolean token = plan[i].length > 4;
                io.chaintrace.core.model.Asset asset = token ? new io.chaintrace.core.model.Asset(io.chaintrace.core.model.Chain.ETHEREUM,
                        java.util.Optional.of(acct.apply(99)), "TOK", java.util.OptionalInt.of(18)) : io.chaintrace.core.model.Asset.ETH;
                io.chaintrace.core.model.AccountTransfer t = new io.chaintrace.core.model.AccountTransfer(tx,
                        new io.chaintrace.core.model.BlockRef((int) n, hash, 1_600_000_000L + n * 12), 0,
                        token ? io.chaintrace.core.model.TransferKind.TOKEN : io.chaintrace.core.model.TransferKind.NATIVE,
                        token ? 1 : 0, (Address) plan[i][1], (Address) plan[i][2], new io.chaintrace.core.model.Amount(asset, (BigInteger) plan[i][3]));
                store.appendEthBlock(new EthBlock(n, hash, parent, 1_600_000_000L + n * 12, List.of(t)), new Checkpoint("eth", hash, (int) n, n + 1));
                parent = hash;
            }
            ClusterRun r = store.cluster(1_000, x -> { });
            assertEquals(plan.length - 1, r.ethTransfers(), "the ether transfers: the token transfer is not fed");
            assertEquals(1, r.depositAddressLinks());
            assertEquals(store.entityOf(alice1), store.entityOf(alice2), "one customer's accounts");
            assertTrue(!store.entityOf(bob1).equals(store.entityOf(bob2)), "a forward of another amount joins nobody");
            assertTrue(!store.entityOf(carol).equals(store.entityOf(alice1)));
        }
    }
}
