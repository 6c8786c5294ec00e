package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.cluster.UnionFind;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster --show} on a real 2019 block (2,898 transactions, clustered as ingested): an entity's addresses, their
 * number, and the links that joined them, each with its transaction - links that span exactly the entity's members (one
 * fewer than its size, connecting all), each joining two addresses that the named transaction really has (inputs spent
 * together; an input and the change output).
 */
class ClusterShowTest {
    @TempDir
    static Path dir;
    static Path store;

    @BeforeAll
    static void ingest() {
        store = TestData.ingested(dir.resolve("jan2019"), "block2019Jan.blk");
    }

    @Test
    void everyEntityWithLinksShowsTheLinksThatSpanIt() throws Exception {
        Set<String> starts = new HashSet<>();
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            int tip = cs.tip().orElseThrow().ref().height();
            for (Hash256 id : cs.transactionIds(tip)) {
                UtxoTransaction t = cs.transaction(id).orElseThrow();
                Set<String> owners = new HashSet<>();
                t.inputs().forEach(i -> i.owner().ifPresent(a -> owners.add(a.shown())));
                if (owners.size() >= 2 && t.inputs().size() <= 20) {
                    starts.add(owners.iterator().next());
                }
            }
        }
        assertTrue(starts.size() >= 5, "transactions spending two owners' coins: " + starts.size());
        int checked = 0;
        int withChange = 0;
        for (String start : starts) {
            TestData.Run r = TestData.run("cluster", "--store", store.toString(), "--show", start, "--json", "--limit", "5000");
            assertEquals(0, r.exit(), r.err());
            JsonNode e = new ObjectMapper().readTree(r.out());
            long size = e.get("size").asLong();
            if (size < 2 || e.get("links").isEmpty()) {
                continue; // a CoinJoin's inputs are not joined
            }
            checked++;
            assertEquals(size, e.get("members").size());
            assertEquals(size - 1, e.get("links").size(), "a spanning set of links: " + e);
            Map<String, Integer> index = new HashMap<>();
            e.get("members").forEach(m -> index.put(m.asText(), index.size()));
            UnionFind joined = new UnionFind(index.size());
            try (ChainStore cs = ChainStore.openReadOnly(store)) {
                for (JsonNode l : e.get("links")) {
                    String a = l.get("a").asText();
                    String b = l.get("b").asText();
                    assertTrue(index.containsKey(a) && index.containsKey(b), l.toString());
                    joined.union(index.get(a), index.get(b));
                    UtxoTransaction t = cs.transaction(Hash256.fromHex(l.get("tx").asText())).orElseThrow();
                    List<String> ins = t.inputs().stream().map(TxInput::owner).flatMap(java.util.Optional::stream).map(Address::shown).toList();
                    List<String> outs = t.outputs().stream().map(TxOutput::owner).flatMap(java.util.Optional::stream).map(Address::shown).toList();
                    if (l.get("reason").asText().startsWith("common input")) {
                        assertTrue(ins.contains(a) && ins.contains(b), "both spent in " + t.txid() + ": " + l);
                    } else {
                        withChange++;
                        assertTrue(ins.contains(a) && outs.contains(b), "spender and change in " + t.txid() + ": " + l);
                    }
                }
            }
            int root = joined.find(0);
            for (int i = 1; i < index.size(); i++) {
                assertEquals(root, joined.find(i), "the links connect every member");
            }
        }
        assertTrue(checked >= 3, "entities checked: " + checked);
        // The text form says the same, one line per link.
        String any = starts.iterator().next();
        TestData.Run text = TestData.run("cluster", "--store", store.toString(), "--show", any);
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains(any), text.out());
        System.out.println("entities checked: " + checked + ", change links among them: " + withChange);
    }

    @Test
    void anAddressNotInTheStoreIsOneLine() {
        TestData.Run r = TestData.run("cluster", "--store", store.toString(), "--show", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
        assertEquals(1, r.exit());
        assertEquals(List.of("chaintrace: error: address 1BoatSLRHtKNngkdXEeobR76b53LETtpyT is not in the store " + store), r.err().lines().toList());
        TestData.Run limit = TestData.run("cluster", "--store", store.toString(), "--show", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "--limit", "0");
        assertEquals(2, limit.exit());
    }
}
