package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.cli.report.CaseReport;
import io.chaintrace.scenarios.ExchangeHack;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.graphml.GraphMLImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chaintrace demo}, the README's main command, run as a user runs it: the report's amounts
 * at every endpoint entity, under every policy and on every leg, equal the case generator's
 * ground truth (worked by hand in {@link ExchangeHack}); every export says the same.
 */
class DemoIT {
    @TempDir
    static Path dir;
    static JsonNode report;
    static ExchangeHack.Case hack;

    @BeforeAll
    static void runDemo() throws Exception {
        assertEquals(ExitCode.OK, Chaintrace.run("demo", "--out", dir.toString(), "--no-progress"));
        report = new ObjectMapper().readTree(dir.resolve("report/report.json").toFile());
        // The same generator with the demo's default seed and size: the ground truth.
        hack = ExchangeHack.generate(2026, 400);
    }

    @Test
    void everyPolicysEndpointsEqualTheGroundTruth() {
        int compared = 0;
        for (JsonNode row : report.get("policies")) {
            String leg = row.get("leg").asText();
            String asset = leg.startsWith("Bitcoin") ? "BTC" : leg.substring("Ethereum ".length());
            int decimals = switch (asset) {
                case "BTC" -> 8;
                case "ETH" -> 18;
                default -> 6;
            };
            String policy = row.get("policy").asText();
            Map<String, String> expected = new TreeMap<>();
            hack.expected().get(asset).get(policy).forEach((entity, units) -> {
                if (units.signum() > 0) {
                    expected.put(entity, CaseReport.display(units, decimals));
                }
            });
            Map<String, String> got = new TreeMap<>();
            row.get("byEntity").properties().forEach(e -> got.put(e.getKey(), e.getValue().asText()));
            assertEquals(expected, got, leg + " under " + policy);
            compared++;
        }
        assertEquals(3 * 5, compared, "three legs (ETH, USDT, BTC) under five policies");
    }

    @Test
    void theReportsLegsAreExactAndBalanced() {
        for (JsonNode leg : report.get("legs")) {
            String asset = leg.get("asset").asText();
            BigInteger sum = BigInteger.ZERO;
            for (JsonNode e : leg.get("endpoints")) {
                BigInteger units = new BigInteger(e.get("amount").asText());
                assertEquals(hack.expected().get(asset).get("haircut").get(e.get("entity").asText()), units, asset + " " + e);
                sum = sum.add(units);
            }
            assertEquals("true", leg.get("account").get("balanced").asText(), leg.get("name").asText());
            assertTrue(leg.get("edges").size() > 0 && leg.get("nodes").size() > 0);
            assertEquals(sum, leg.get("endpoints").valueStream().map(e -> new BigInteger(e.get("amount").asText())).reduce(BigInteger.ZERO,
                    BigInteger::add));
        }
        assertEquals(new BigInteger("22000000000000000000000"), new BigInteger(report.get("legs").get(0).get("seeded").asText()));
    }

    /**
     * {@code trace --patterns} on the Ethereum leg flags what the demo's report flags on it: the mixer deposits and their
     * links, the token swap, the cash-outs; the report of that trace lists them too.
     */
    @Test
    void anEthereumTraceFlagsThePatternsItWalks() throws Exception {
        // The demo's Ethereum seeds: those of its ETH and token legs.
        List<String> args = new ArrayList<>(List.of("trace", "--store", dir.resolve("store").toString(), "--hops", "8", "--patterns", "--json"));
        Set<String> seeds = new java.util.LinkedHashSet<>();
        report.get("legs").forEach(l -> l.get("seeds").forEach(x -> {
            if (x.asText().startsWith("0x")) {
                seeds.add(x.asText());
            }
        }));
        seeds.forEach(x -> args.addAll(List.of("--seed", x)));
        TestData.Run r = TestData.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        JsonNode trace = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        Set<String> flagged = new HashSet<>();
        trace.get("patterns").forEach(a -> flagged.add(a.get("pattern").asText()));
        Set<String> inReport = new HashSet<>();
        report.get("alerts").forEach(a -> {
            boolean ethereum = a.get("addresses").valueStream().anyMatch(x -> x.asText().startsWith("0x"));
            if (a.get("onTrace").asBoolean() && ethereum) {
                inReport.add(a.get("pattern").asText());
            }
        });
        for (String p : List.of("mixer.deposit", "mixer.link.unique_gas_price", "swap", "cash_out")) {
            assertTrue(flagged.contains(p), p + " not flagged on the Ethereum trace: " + flagged);
        }
        assertTrue(flagged.containsAll(inReport), "the demo's report flags " + inReport + " on its Ethereum legs; the trace " + flagged);
        double previous = Double.MAX_VALUE;
        for (JsonNode a : trace.get("patterns")) {
            assertTrue(a.get("confidence").asDouble() <= previous, "ranked");
            previous = a.get("confidence").asDouble();
        }
    }

    @Test
    void thePatternsOfThePlaybookAreFlaggedOnTheTrace() {
        Set<String> onTrace = new HashSet<>();
        report.get("alerts").forEach(a -> {
            if (a.get("onTrace").asBoolean()) {
                onTrace.add(a.get("pattern").asText());
            }
        });
        for (String p : List.of("peel_chain", "coinjoin.generic", "mixer.deposit", "mixer.link.unique_gas_price", "bridge", "cash_out")) {
            assertTrue(onTrace.contains(p), p + " not flagged on the trace: " + onTrace);
        }
    }

    @Test
    void exportsCarryTheSameGraphAndAmounts() throws Exception {
        Path out = dir.resolve("report");
        int nodes = 0;
        Set<String> ids = new HashSet<>();
        int edges = 0;
        for (JsonNode leg : report.get("legs")) {
            leg.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
            edges += leg.get("edges").size();
        }
        nodes = ids.size();
        // GraphML, read back with jgrapht-io.
        Graph<String, DefaultEdge> g = new DirectedPseudograph<>(null, DefaultEdge::new, false);
        GraphMLImporter<String, DefaultEdge> importer = new GraphMLImporter<>();
        importer.setVertexFactory(id -> id);
        try (Reader r = Files.newBufferedReader(out.resolve("flow.graphml"))) {
            importer.importGraph(g, r);
        }
        assertEquals(nodes, g.vertexSet().size());
        assertEquals(edges, g.edgeSet().size());
        // GEXF, as XML.
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve("flow.gexf").toFile());
        assertEquals(nodes, doc.getElementsByTagName("node").getLength());
        assertEquals(edges, doc.getElementsByTagName("edge").getLength());
        // Every GEXF edge weighs its taint in coins and carries its block time (for Gephi); GraphML's taint is a number.
        java.util.Set<String> jsonTimes = new java.util.HashSet<>();
        report.get("legs").forEach(l -> l.get("edges").forEach(e -> jsonTimes.add(e.get("time").asText())));
        String timeId = null;
        var attributes = doc.getElementsByTagName("attribute");
        for (int i = 0; i < attributes.getLength(); i++) {
            var a = (org.w3c.dom.Element) attributes.item(i);
            if (a.getAttribute("title").equals("time")) {
                timeId = a.getAttribute("id");
                assertEquals("long", a.getAttribute("type"));
            }
        }
        java.util.Set<String> gexfTimes = new java.util.HashSet<>();
        var gexfEdges = doc.getElementsByTagName("edge");
        for (int i = 0; i < gexfEdges.getLength(); i++) {
            var e = (org.w3c.dom.Element) gexfEdges.item(i);
            assertTrue(Double.parseDouble(e.getAttribute("weight")) > 0, "weight of edge " + e.getAttribute("id"));
            // Gephi's timeline: each edge starts at its block time.
            assertTrue(jsonTimes.contains(Long.toString((long) Double.parseDouble(e.getAttribute("start")))), "start of edge " + e.getAttribute("id"));
            var values = e.getElementsByTagName("attvalue");
            for (int j = 0; j < values.getLength(); j++) {
                var v = (org.w3c.dom.Element) values.item(j);
                if (v.getAttribute("for").equals(timeId)) {
                    gexfTimes.add(v.getAttribute("value"));
                }
            }
        }
        assertEquals(jsonTimes, gexfTimes);
        assertEquals("dynamic", ((org.w3c.dom.Element) doc.getElementsByTagName("graph").item(0)).getAttribute("mode"));
        assertTrue(Files.readString(out.resolve("flow.graphml")).matches("(?s).*attr\\.name=\"taint\"\\s+attr\\.type=\"double\".*"),
                "GraphML declares taint a double");
        // CSV: one line per edge and per endpoint, amounts exact.
        List<String> edgeLines = Files.readAllLines(out.resolve("edges.csv"));
        assertEquals(edges + 1, edgeLines.size());
        List<String> endpointLines = Files.readAllLines(out.resolve("endpoints.csv"));
        int endpoints = 0;
        for (JsonNode leg : report.get("legs")) {
            for (JsonNode e : leg.get("endpoints")) {
                endpoints++;
                String units = e.get("amount").asText();
                assertTrue(endpointLines.stream().anyMatch(l -> l.contains("," + e.get("entity").asText() + ",") && l.contains("," + units + ",")),
                        "endpoints.csv lacks " + e);
            }
        }
        assertEquals(endpoints + 1, endpointLines.size());
        // The page is one file: nothing fetched from elsewhere.
        String html = Files.readString(out.resolve("report.html"));
        assertFalse(html.contains("<script src"), "scripts are inlined");
        assertFalse(html.contains("<link "), "styles are inlined");
        assertTrue(html.contains("cytoscape"), "cytoscape.js is bundled");
    }
}
