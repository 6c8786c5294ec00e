package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chaintrace trace --json} end to end on real data, both chains. */
class TraceCliTest {
    @TempDir
    Path dir;

    private String stdout(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Chaintrace.run(args), String.join(" ", args));
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(saved);
        }
    }

    /**
     * {@code --patterns} on a real trace: from the coin that starts the peel chain checked by hand
     * in RealPatternsTest (block 556,977), the chain is flagged with its four transactions; the
     * entity graph joins the remainder addresses to the payer (change by consensus), so it has
     * fewer nodes than the address graph.
     */
    @Test
    void patternsAndEntitiesOnARealTrace() throws Exception {
        String store = dir.resolve("jan2019").toString();
        assertEquals(0, Chaintrace.run("ingest", "btc-blocks", TestData.blk("block2019Jan.blk").toString(), "--store", store, "--no-progress"));
        String seed = "188de4d8330fe094c7961f01a702acad9cfc0cfaa17c7d90f5b58ca4c023c6a7:1";
        JsonNode r = new ObjectMapper().readTree(stdout("trace", "--store", store, "--seed", seed, "--policy", "haircut", "--hops", "10",
                "--patterns", "--json"));
        JsonNode peel = null;
        for (JsonNode a : r.get("patterns")) {
            if (a.get("pattern").asText().equals("peel_chain")) {
                peel = a;
            }
        }
        assertEquals("92c0418451d73a94818d7953ba11d4189e4611c94dd6ab01120fa094e8099c86", peel.get("transactions").get(0).asText());
        assertEquals(4, peel.get("transactions").size());
        assertEquals(154_500, peel.get("amounts").get(0).asLong());
        String byAddress = stdout("trace", "--store", store, "--seed", seed, "--policy", "haircut", "--hops", "10", "--format", "dot", "--level", "address");
        String byEntity = stdout("trace", "--store", store, "--seed", seed, "--policy", "haircut", "--hops", "10", "--format", "dot", "--level", "entity");
        long addressNodes = byAddress.lines().filter(l -> l.contains("label=") && !l.contains("->")).count();
        long entityNodes = byEntity.lines().filter(l -> l.contains("label=") && !l.contains("->")).count();
        assertTrue(entityNodes < addressNodes && entityNodes > 0, entityNodes + " entity nodes, " + addressNodes + " address nodes");
    }

    /** {@code --engine compact} reads the store's compact rows and gives the object tracer's account under every policy. */
    @Test
    void theCompactEngineAgreesWithTheObjectTracer() throws Exception {
        String store = dir.resolve("compact").toString();
        assertEquals(0, Chaintrace.run("ingest", "btc-blocks", TestData.blk("block2019Jan.blk").toString(), "--store", store, "--no-progress"));
        String seed = "188de4d8330fe094c7961f01a702acad9cfc0cfaa17c7d90f5b58ca4c023c6a7:1";
        for (String policy : new String[] {"poison", "haircut", "fifo", "lifo", "tiho"}) {
            JsonNode object = new ObjectMapper().readTree(stdout("trace", "--store", store, "--seed", seed, "--policy", policy, "--hops", "3", "--json"));
            JsonNode compact = new ObjectMapper().readTree(stdout("trace", "--store", store, "--seed", seed, "--policy", policy, "--hops", "3",
                    "--engine", "compact", "--json"));
            for (String field : new String[] {"seeded", "unspent", "fees", "cutByHops", "endpoints"}) {
                assertEquals(object.get("account").get(field).asLong(), compact.get("account").get(field).asLong(), policy + " " + field);
            }
            assertTrue(compact.get("edgesVisited").asLong() > 0);
        }
        // An address seed: what the address received, seeded alike by both engines.
        String address;
        try (io.chaintrace.graph.ChainStore cs = io.chaintrace.graph.ChainStore.openReadOnly(java.nio.file.Path.of(store))) {
            address = cs.transaction(io.chaintrace.core.model.Outpoint.parse(seed).txid()).orElseThrow().outputs().get(1).owner().orElseThrow().text();
        }
        for (String policy : new String[] {"poison", "haircut", "fifo", "lifo", "tiho"}) {
            JsonNode object = new ObjectMapper().readTree(stdout("trace", "--store", store, "--seed", address, "--policy", policy, "--hops", "3", "--json"));
            JsonNode compact = new ObjectMapper().readTree(stdout("trace", "--store", store, "--seed", address, "--policy", policy, "--hops", "3",
                    "--engine", "compact", "--json"));
            assertTrue(object.get("account").get("seeded").asLong() > 0, address);
            for (String field : new String[] {"seeded", "unspent", "fees", "cutByHops", "endpoints"}) {
                assertEquals(object.get("account").get(field).asLong(), compact.get("account").get(field).asLong(), address + " " + policy + " " + field);
            }
        }
        assertEquals(1, Chaintrace.run("trace", "--store", store, "--seed", seed, "--policy", "haircut", "--engine", "compact",
                "--direction", "backward"), "compact traces go forward only: one error line, exit 1");
    }

    @Test
    void bitcoinTraceUnderEveryPolicyBalances() throws Exception {
        String store = dir.resolve("btc").toString();
        Chaintrace.run("ingest", "btc-blocks", TestData.blk("firstblocks.blk").toString(), "--store", store, "--no-progress");
        for (String policy : new String[] {"poison", "haircut", "fifo", "lifo", "tiho"}) {
            JsonNode r = new ObjectMapper().readTree(stdout("trace", "--store", store, "--seed",
                    "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0", "--policy", policy, "--hops", "6", "--json"));
            assertEquals(policy, r.get("policy").asText());
            assertEquals(5_000_000_000L, r.get("account").get("seeded").asLong());
            JsonNode merge = null;
            for (JsonNode o : r.get("outputs")) {
                if (o.get("txid").asText().startsWith("a3b0e9e7")) {
                    merge = o;
                }
            }
            assertEquals(policy.equals("poison") ? 6_100_000_000L : 1_100_000_000L, merge.get("taint").asLong(), policy);
            assertEquals(!policy.equals("poison"), r.get("account").get("balanced").asBoolean(), policy);
        }
    }

    @Test
    void ethereumTraceFromAnImportedExport() throws Exception {
        Path etl = TestData.blk("genesis.blk").getParent().getParent().getParent().resolve("eth/etl/test_stream/blocks_17173049_17173050");
        String store = dir.resolve("eth").toString();
        assertEquals(0, Chaintrace.run("ingest", "eth-etl", etl.resolve("expected_transactions.json").toString(),
                etl.resolve("expected_token_transfers.json").toString(), "--store", store));
        // The first token transfer of block 17173049: 7.056... WETH to 0x7054...; trace it on.
        JsonNode r = new ObjectMapper().readTree(stdout("trace", "--store", store, "--seed",
                "0x7054b0f980a7eb5b3a6b3446f3c947d80162775c@0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0",
                "--policy", "fifo", "--json"));
        JsonNode weth = null;
        for (JsonNode a : r.get("assets")) {
            if ("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2".equalsIgnoreCase(a.get("contract").asText())) {
                weth = a;
            }
        }
        assertEquals("7056176614974947328", weth.get("account").get("seeded").asText());
        assertTrue(weth.get("account").get("balanced").asBoolean());
        // The graph formats draw the trace on Ethereum too (they printed the text summary): one edge per tainted transfer.
        long tainted = 0;
        for (JsonNode a : r.get("assets")) {
            for (JsonNode t : a.get("transfers")) {
                tainted += new java.math.BigInteger(t.get("taint").asText()).signum() > 0 ? 1 : 0;
            }
        }
        String seed = "0x7054b0f980a7eb5b3a6b3446f3c947d80162775c@0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0";
        String graphml = stdout("trace", "--store", store, "--seed", seed, "--policy", "fifo", "--format", "graphml");
        var doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(graphml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(tainted, doc.getElementsByTagName("edge").getLength());
        String gexf = stdout("trace", "--store", store, "--seed", seed, "--policy", "fifo", "--format", "gexf");
        assertTrue(gexf.contains("mode=\"dynamic\"") && gexf.contains("<edge "), gexf);
        String dot = stdout("trace", "--store", store, "--seed", seed, "--policy", "fifo", "--format", "dot");
        assertTrue(dot.strip().startsWith("digraph") || dot.strip().startsWith("strict digraph"), dot);
        JsonNode json = new ObjectMapper().readTree(stdout("trace", "--store", store, "--seed", seed, "--policy", "fifo", "--format", "jgrapht-json"));
        assertEquals(tainted, json.get("edges").size());
    }
}
