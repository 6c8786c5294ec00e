package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chaintrace.cli.serve.CaseServer;
import io.chaintrace.cli.serve.SavedCases;
import io.chaintrace.cli.serve.Workspace;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.graph.ChainStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chaintrace serve}'s API over HTTP on 127.0.0.1, on the demo's store: lookups, a case expanded node by node until
 * nothing is left reveals exactly the trace {@code trace --report} writes, bounded expansions, saved cases, the export,
 * the token, and bad input of every kind answered with one line and the right status.
 */
class ServeApiIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static ChainStore store;
    static CaseServer server;
    static HttpClient http = HttpClient.newHttpClient();
    static JsonNode demo;
    static ObjectNode spec;

    @BeforeAll
    static void start() throws Exception {
        assertEquals(ExitCode.OK, Chaintrace.run("demo", "--out", dir.toString(), "--no-progress"));
        demo = JSON.readTree(dir.resolve("report/report.json").toFile());
        store = ChainStore.openReadOnly(dir.resolve("store"));
        server = new CaseServer(new Workspace(store, dir.resolve("store"), PatternSettings.defaults(), Chaintrace.VERSION, store.chainDigest()),
                new SavedCases(dir.resolve("cases")), InetAddress.getLoopbackAddress(), 0, Optional.empty(), m -> { });
        spec = JSON.createObjectNode();
        ArrayNode seeds = spec.putArray("seeds");
        demo.get("parameters").get("ethereumSeeds").forEach(seeds::add);
        spec.put("policy", "haircut").put("direction", "forward").put("hops", 6);
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    record Answer(int status, JsonNode body) {
    }

    static Answer get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    static Answer send(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    static JsonNode ok(Answer a) {
        assertEquals(200, a.status(), a.body().toString());
        return a.body();
    }

    static void refused(Answer a, int status, String says) {
        assertEquals(status, a.status(), a.body().toString());
        String error = a.body().get("error").asText();
        assertTrue(error.contains(says), error);
        assertFalse(error.contains("\n") || error.contains("at io.chaintrace"), error);
    }

    @Test
    void infoNamesTheStoreItsDigestAndData() throws Exception {
        JsonNode info = ok(get("/api/info"));
        assertEquals(Chaintrace.VERSION, info.get("chaintrace").asText());
        assertEquals(store.chainDigest(), info.get("storeDigest").asText());
        assertEquals(demo.get("parameters").get("data").get("ethereum").get("numbers"), info.get("data").get("ethereum").get("numbers"));
        assertEquals(demo.get("parameters").get("data").get("bitcoin").get("heights"), info.get("data").get("bitcoin").get("heights"));
    }

    @Test
    void looksUpLabelsAddressesAndTransactions() throws Exception {
        JsonNode labels = ok(get("/api/lookup?q=binance"));
        assertEquals("labels", labels.get("kind").asText());
        assertTrue(labels.get("matches").size() >= 2);
        labels.get("matches").forEach(m -> assertTrue(m.get("entity").asText().toLowerCase().contains("binance"), m.toString()));
        String hot = labels.get("matches").get(0).get("address").asText();
        JsonNode address = ok(get("/api/lookup?q=" + hot));
        assertEquals("address", address.get("kind").asText());
        assertEquals("Binance", address.get("labels").get(0).get("entity").asText());
        assertEquals(store.transferCount(io.chaintrace.core.model.Address.parse(hot), 1_000_000), address.get("activity").asLong());

        String outpoint = demo.get("parameters").get("bitcoinSeeds").get(0).asText();
        String txid = outpoint.substring(0, 64);
        JsonNode tx = ok(get("/api/lookup?q=" + txid));
        assertEquals("transaction", tx.get("kind").asText());
        io.chaintrace.core.model.UtxoTransaction stored = store.transaction(io.chaintrace.core.model.Hash256.fromHex(txid)).orElseThrow();
        assertEquals(stored.outputs().size(), tx.get("transaction").get("outputs").size());
        assertEquals(Long.toString(stored.outputs().get(0).value()), tx.get("transaction").get("outputs").get(0).get("value").asText());
        for (io.chaintrace.core.model.TxOutput o : stored.outputs()) {
            JsonNode shown = tx.get("transaction").get("outputs").get(o.index());
            java.util.Optional<io.chaintrace.core.trace.UtxoLedger.Spend> spend = store.spenderOf(new io.chaintrace.core.model.Outpoint(stored.txid(), o.index()));
            assertEquals(spend.map(s -> s.spendingTx().hex()).orElse(null), shown.get("spentBy").isNull() ? null : shown.get("spentBy").asText());
            assertEquals(spend.map(s -> s.inputIndex()).orElse(-1), shown.get("spentByInput").isNull() ? -1 : shown.get("spentByInput").asInt());
        }
        assertFalse(tx.get("transaction").get("outputs").get(Integer.parseInt(outpoint.substring(65))).get("spentBy").isNull(),
                "the seed's output was spent (the demo's thief moved it)");
        refused(get("/api/lookup?q=" + txid + ":" + stored.outputs().size()), 404, "has no output " + stored.outputs().size());
    }

    @Test
    void badLookupsSayWhatIsWrong() throws Exception {
        refused(get("/api/lookup?q=0x00000000000000000000000000000000000000aa"), 404, "0x00000000000000000000000000000000000000AA is not in the store");
        refused(get("/api/lookup?q=0xZZ"), 400, "not an Ethereum address");
        refused(get("/api/lookup?q=" + "ab".repeat(32)), 404, "is not in the store");
        refused(get("/api/lookup?q=" + "ab".repeat(32) + ":x"), 400, "output index is not a number");
        refused(get("/api/lookup?q=no-such-entity-anywhere"), 404, "nothing in the store is named 'no-such-entity-anywhere'");
        refused(get("/api/lookup?q="), 400, "search for an address");
        refused(get("/api/lookup?q=" + "a".repeat(201)), 400, "at most 200 characters");
        String raw = raw("GET /api/lookup?q=%zz HTTP/1.1", "127.0.0.1:" + server.port());
        assertTrue(raw.startsWith("HTTP/1.1 400"), raw); // the HTTP server's own refusal of a malformed URI
        refused(get("/api/nothing"), 404, "no such API");
        refused(send("POST", "/api/lookup?q=x", "{}"), 405, "GET is");
    }

    /** Expanding every node's outflows until nothing new appears reveals exactly the edges of the trace's report. */
    @Test
    void expandingEveryNodeRevealsTheTraceTheReportShows() throws Exception {
        JsonNode opened = ok(send("POST", "/api/case", spec.toString()));
        Path report = dir.resolve("trace-report");
        List<String> args = new ArrayList<>(List.of("trace", "--store", dir.resolve("store").toString()));
        spec.get("seeds").forEach(s -> args.addAll(List.of("--seed", s.asText())));
        args.addAll(List.of("--policy", "haircut", "--hops", "6", "--max-edges", "2000000", "--patterns", "--report", report.toString(), "--json"));
        assertEquals(ExitCode.OK, Chaintrace.run(args.toArray(String[]::new)));
        JsonNode written = JSON.readTree(report.resolve("report.json").toFile());
        // The legs' accounts on opening are the report's.
        for (int i = 0; i < written.get("legs").size(); i++) {
            assertEquals(written.get("legs").get(i).get("account"), opened.get("legs").get(i).get("account"));
        }
        Set<String> expected = new HashSet<>();
        written.get("legs").forEach(l -> l.get("edges").forEach(e -> expected.add(l.get("name").asText() + "|" + e.get("tx").asText() + "|"
                + e.get("source").asText() + "|" + e.get("target").asText() + "=" + e.get("taint").asText())));
        Set<String> seen = new HashSet<>();
        Set<String> expandedNodes = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        opened.get("nodes").forEach(n -> todo.add(n.get("id").asText()));
        Map<String, String> kinds = new HashMap<>();
        while (!todo.isEmpty()) {
            String node = todo.poll();
            if (!expandedNodes.add(node)) {
                continue;
            }
            // Both sides: the seeds' inflows are the drain from the hot wallet; everything after is outflows.
            for (String side : List.of("out", "in")) {
                ObjectNode body = JSON.createObjectNode().put("node", node).put("side", side).put("limit", 1000);
                body.set("case", spec);
                JsonNode x = ok(send("POST", "/api/expand", body.toString()));
                assertEquals("case", x.get("basis").asText());
                x.get("flows").forEach(f -> seen.add(f.get("id").asText() + "=" + f.get("taint").asText()));
                x.get("nodes").forEach(n -> {
                    kinds.put(n.get("id").asText(), n.get("kind").asText() + ":" + n.get("entity").asText());
                    todo.add(n.get("id").asText());
                });
                if (x.get("flows").isEmpty()) {
                    assertTrue(x.get("message").asText().length() > 10, x.toString());
                }
            }
        }
        assertEquals(new TreeMap<>(Map.of("all", new java.util.TreeSet<>(expected))), new TreeMap<>(Map.of("all", new java.util.TreeSet<>(seen))));
        // The exchanges are reached, as endpoints.
        assertTrue(kinds.containsValue("endpoint:Binance"), kinds.toString());
        assertTrue(kinds.containsValue("endpoint:Kraken"), kinds.toString());
    }

    @Test
    void expansionsAreBoundedWithAMessage() throws Exception {
        // The exchange's hot wallet is off a case seeded on the Bitcoin leg: it expands by its own value, one hop.
        ObjectNode bitcoinCase = spec.deepCopy();
        bitcoinCase.putArray("seeds").add(demo.get("parameters").get("bitcoinSeeds").get(0).asText());
        String hot = ok(get("/api/lookup?q=VictimEx")).get("matches").get(0).get("address").asText();
        ObjectNode body = JSON.createObjectNode().put("node", "eth:" + hot).put("side", "out").put("limit", 1);
        body.set("case", bitcoinCase);
        JsonNode x = ok(send("POST", "/api/expand", body.toString()));
        assertEquals("node", x.get("basis").asText());
        assertEquals(1, x.get("flows").size());
        assertTrue(x.get("total").asInt() > 1, x.toString());
        assertTrue(x.get("message").asText().startsWith("showing the 1 largest of " + x.get("total").asInt()), x.get("message").asText());
        body.put("limit", 1000);
        JsonNode all = ok(send("POST", "/api/expand", body.toString()));
        assertEquals(x.get("total").asInt(), all.get("flows").size());
        // The largest first: the one shown is the largest of all.
        java.math.BigInteger largest = java.math.BigInteger.ZERO;
        for (JsonNode f : all.get("flows")) {
            largest = largest.max(new java.math.BigInteger(f.get("taint").asText()));
        }
        assertEquals(largest.toString(), x.get("flows").get(0).get("taint").asText());
        body.put("limit", 5000);
        refused(send("POST", "/api/expand", body.toString()), 400, "limit is between 1 and 1000");
    }

    @Test
    void badCasesAndExpansionsSayWhatIsWrong() throws Exception {
        refused(send("POST", "/api/case", "{\"seeds\": [\"0x"), 400, "malformed JSON body");
        refused(send("POST", "/api/case", "{\"seeds\": [\"x\"], \"hops\": 2, \"colour\": 1}"), 400, "malformed JSON body");
        refused(send("POST", "/api/case", "{\"seeds\": [], \"hops\": 2}"), 400, "at least one seed");
        refused(send("POST", "/api/case", spec.deepCopy().put("policy", "haircutt").toString()), 400, "haircutt");
        refused(send("POST", "/api/case", spec.deepCopy().put("hops", 50).toString()), 400, "hops is between 1 and 12");
        ObjectNode many = spec.deepCopy();
        ArrayNode seeds = many.putArray("seeds");
        for (int i = 0; i < 101; i++) {
            seeds.add(String.format("0x%040x", i));
        }
        refused(send("POST", "/api/case", many.toString()), 400, "at most 100 seeds");
        ObjectNode unknown = spec.deepCopy();
        unknown.putArray("seeds").add("0x00000000000000000000000000000000000000aa");
        refused(send("POST", "/api/case", unknown.toString()), 404, "0x00000000000000000000000000000000000000AA");
        ObjectNode body = JSON.createObjectNode().put("node", "foo").put("side", "out");
        body.set("case", spec);
        refused(send("POST", "/api/expand", body.toString()), 400, "a node is btc:ADDRESS or eth:ADDRESS");
        body.put("node", "eth:0xc8669B22a25eCeAD2CDA361A5aA6683641Ac0DF2").put("side", "sideways");
        refused(send("POST", "/api/expand", body.toString()), 400, "side is out");
        refused(send("POST", "/api/expand", "{\"node\": \"eth:0x\", \"side\": \"out\"}"), 400, "names its case");
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(server.uri().resolve("/api/case")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(spec.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(415, plain.statusCode());
        refused(send("POST", "/api/case", "[" + " ".repeat(CaseServer.MAX_BODY) + "]"), 413, "at most 4 MB");
    }

    @Test
    void savesLoadsAndNeverReplacesUnasked() throws Exception {
        ObjectNode c = JSON.createObjectNode().put("format", SavedCases.FORMAT);
        c.set("seeds", spec.get("seeds"));
        c.put("policy", "haircut").put("direction", "forward").put("hops", 6);
        c.putArray("expanded").addObject().put("node", "eth:0xc8669B22a25eCeAD2CDA361A5aA6683641Ac0DF2").put("side", "out");
        c.putObject("notes").put("eth:0xc8669B22a25eCeAD2CDA361A5aA6683641Ac0DF2", "the thief's first address");
        JsonNode saved = ok(send("PUT", "/api/cases/api-case", c.toString()));
        assertEquals(store.chainDigest(), saved.get("case").get("storeDigest").asText());
        refused(send("PUT", "/api/cases/api-case", c.toString()), 409, "saved already");
        ok(send("PUT", "/api/cases/api-case?replace=true", c.put("hops", 5).toString()));
        JsonNode loaded = ok(get("/api/cases/api-case")).get("case");
        assertEquals(5, loaded.get("hops").asInt());
        assertEquals("the thief's first address", loaded.get("notes").get("eth:0xc8669B22a25eCeAD2CDA361A5aA6683641Ac0DF2").asText());
        assertTrue(ok(get("/api/cases")).get("cases").toString().contains("api-case"));
        refused(get("/api/cases/..%2Fetc%2Fpasswd"), 400, "a case name is");
        refused(send("PUT", "/api/cases/x", c.deepCopy().put("format", "other").toString()), 400, "chaintrace-case/1");
        refused(get("/api/cases/never-saved"), 404, "no case named 'never-saved'");
        Files.writeString(dir.resolve("cases/broken.case.json"), "{\"format\": \"chaintrace-case/1\", \"seeds\": [");
        refused(get("/api/cases/broken"), 400, "broken.case.json: not a case file");
        // A case saved on another store loads with a warning.
        Path other = dir.resolve("cases/elsewhere.case.json");
        ObjectNode foreign = loaded.deepCopy();
        foreign.put("storeDigest", "0".repeat(64));
        Files.writeString(other, foreign.toString());
        assertTrue(ok(get("/api/cases/elsewhere")).get("warning").asText().contains("saved on another store"));
    }

    @Test
    void exportWritesTheReportTraceWrites() throws Exception {
        ObjectNode c = JSON.createObjectNode().put("format", SavedCases.FORMAT);
        c.set("seeds", spec.get("seeds"));
        c.put("policy", "fifo").put("direction", "forward").put("hops", 4);
        c.putObject("notes").put("eth:0xc8669B22a25eCeAD2CDA361A5aA6683641Ac0DF2", "first hop");
        JsonNode exported = ok(send("POST", "/api/cases/exported/report", c.toString()));
        JsonNode mine = JSON.readTree(Path.of(exported.get("dir").asText()).resolve("report.json").toFile());
        Path report = dir.resolve("trace-fifo");
        List<String> args = new ArrayList<>(List.of("trace", "--store", dir.resolve("store").toString()));
        spec.get("seeds").forEach(s -> args.addAll(List.of("--seed", s.asText())));
        args.addAll(List.of("--policy", "fifo", "--hops", "4", "--max-edges", "2000000", "--patterns", "--report", report.toString()));
        assertEquals(ExitCode.OK, Chaintrace.run(args.toArray(String[]::new)));
        JsonNode theirs = JSON.readTree(report.resolve("report.json").toFile());
        assertEquals(theirs.get("legs"), mine.get("legs"));
        assertEquals(theirs.get("alerts"), mine.get("alerts"));
        ObjectNode p1 = theirs.get("parameters").deepCopy();
        ObjectNode p2 = mine.get("parameters").deepCopy();
        assertEquals(p1.get("command").asText().replace(" --report " + report, ""), p2.get("command").asText());
        p1.remove("command");
        p2.remove("command");
        assertEquals(p1, p2);
        assertTrue(mine.get("notes").toString().contains("Investigator's note on eth:0xc8669B22a25eCeAD2CDA361A5aA6683641Ac0DF2: first hop"));
        HttpResponse<String> html = http.send(HttpRequest.newBuilder(server.uri().resolve(exported.get("url").asText())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, html.statusCode());
        assertTrue(html.body().contains("<title>Trace of"));
    }

    /** A request written by hand: what an HTTP client library would refuse to send. */
    static String raw(String requestLine, String host) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write((requestLine + "\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aRequestForAnotherHostIsRefused() throws Exception {
        String answer = raw("GET /api/info HTTP/1.1", "attacker.example:" + server.port());
        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        assertTrue(answer.contains("answers requests for 127.0.0.1:" + server.port() + " only"), answer);
        assertTrue(raw("GET /api/info HTTP/1.1", "localhost:" + server.port()).startsWith("HTTP/1.1 200"));
    }

    @Test
    void withATokenEveryCallNeedsIt() throws Exception {
        String token = "t0ken-for-this-test-only-" + System.nanoTime();
        try (CaseServer guarded = new CaseServer(new Workspace(store, dir.resolve("store"), PatternSettings.defaults(), Chaintrace.VERSION, "digest"),
                new SavedCases(dir.resolve("cases")), InetAddress.getLoopbackAddress(), 0, Optional.of(token), m -> { })) {
            URI info = guarded.uri().resolve("/api/info");
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(info).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode());
            assertFalse(none.body().contains(token));
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(info).header("Authorization", "Bearer " + token + "x").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            HttpResponse<String> right = http.send(HttpRequest.newBuilder(info).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, right.statusCode(), right.body());
            // The page itself carries no data and loads without it.
            assertEquals(200, http.send(HttpRequest.newBuilder(guarded.uri()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        // Another interface without a token is refused before anything listens.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CaseServer(
                new Workspace(store, dir.resolve("store"), PatternSettings.defaults(), Chaintrace.VERSION, "digest"), new SavedCases(dir.resolve("cases")),
                InetAddress.getByName("0.0.0.0"), 0, Optional.empty(), m -> { }));
        assertTrue(e.getMessage().contains("needs a token"), e.getMessage());
    }

    @Test
    void everyRouteIsInTheOpenApiFile() throws Exception {
        HttpResponse<String> yaml = http.send(HttpRequest.newBuilder(server.uri().resolve("/openapi.yaml")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, yaml.statusCode());
        Set<String> documented = new HashSet<>();
        yaml.body().lines().filter(l -> l.matches("  /[^ ]*:")).forEach(l -> documented.add(l.strip().replace(":", "")));
        assertEquals(Set.of("/", "/openapi.yaml", "/api/info", "/api/lookup", "/api/case", "/api/expand", "/api/cases", "/api/cases/{name}",
                "/api/cases/{name}/report", "/cases/{name}/report.html"), documented);
        // And each documented path answers (not "no such API").
        for (String p : List.of("/api/info", "/api/cases")) {
            assertEquals(200, get(p).status());
        }
    }
}
