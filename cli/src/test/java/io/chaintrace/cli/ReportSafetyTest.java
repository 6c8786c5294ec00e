package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * A report carries labels from other people's files into files other programs open: each hostile
 * label below once broke one of them (a spreadsheet formula in the CSV, a blank HTML page, a
 * truncated GraphML), and a planted link once redirected the report outside its directory.
 */
class ReportSafetyTest {
    static final String SEED = "188de4d8330fe094c7961f01a702acad9cfc0cfaa17c7d90f5b58ca4c023c6a7:1";
    static final List<String> HOSTILE = List.of("=HYPERLINK(\"http://x.invalid\",\"click\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+9)*cmd|' /C calc'!A0", "Exchange <!--<script>alert(1)</script>", "Bell\u0007and\u0001nul\u2028line");

    @TempDir
    static Path shared;
    static Path store;

    @TempDir
    Path dir;



    @BeforeAll
    static void labelledStore() throws IOException {
        store = TestData.ingested(shared.resolve("store"), "block2019Jan.blk");
        // Label the addresses the trace reaches, each with a hostile name, as exchanges (so they are endpoints in every file).
        JsonNode trace = new ObjectMapper().readTree(TestData.run("trace", "--store", store.toString(), "--seed", SEED, "--hops", "10", "--json").out());
        List<String> addresses = new ArrayList<>();
        for (JsonNode o : trace.get("outputs")) {
            String a = o.get("address").asText(null);
            if (a != null && o.get("hop").asInt() >= 1 && !addresses.contains(a) && addresses.size() < HOSTILE.size()) {
                addresses.add(a);
            }
        }
        assertEquals(HOSTILE.size(), addresses.size(), "enough addresses reached to label");
        StringBuilder csv = new StringBuilder("chain,address,label,category,source\n");
        for (int i = 0; i < addresses.size(); i++) {
            csv.append("bitcoin,").append(addresses.get(i)).append(",\"").append(HOSTILE.get(i).replace("\"", "\"\"")).append("\",exchange,test\n");
        }
        Path labels = shared.resolve("hostile.csv");
        Files.writeString(labels, csv);
        assertEquals(0, TestData.run("labels", "import", labels.toString(), "--store", store.toString()).exit());
    }

    private TestData.Run report(Path to, String... more) {
        // Through the endpoints, so every labelled address is reached (the first exchange would stop the rest).
        List<String> args = new ArrayList<>(List.of("trace", "--store", store.toString(), "--seed", SEED, "--hops", "10", "--through-endpoints",
                "--report", to.toString()));
        args.addAll(List.of(more));
        return TestData.run(args.toArray(String[]::new));
    }

    /** The reproduce command dropped --patterns. */
    @Test
    void theReproduceCommandKeepsPatterns() throws Exception {
        Path to = dir.resolve("with-patterns");
        TestData.Run r = report(to, "--patterns");
        assertEquals(0, r.exit(), r.err());
        String command = new ObjectMapper().readTree(Files.readString(to.resolve("report.json"))).get("parameters").get("command").asText();
        assertTrue(command.contains(" --patterns") && command.contains(" --through-endpoints") && command.contains(" --hops 10"), command);
    }

    @Test
    void hostileLabelsAreInertInEveryFile() throws Exception {
        Path to = dir.resolve("report");
        TestData.Run r = report(to);
        assertEquals(0, r.exit(), r.err());
        JsonNode json = new ObjectMapper().readTree(Files.readString(to.resolve("report.json")));
        // The account shows every place value can go, so the balance it states can be checked by a reader.
        JsonNode account = json.get("legs").get(0).get("account");
        for (String row : List.of("minted (coinbases reached backward)", "unresolved (funding transaction not in the store)",
                "came back to a seed (counted there already)", "balanced")) {
            assertTrue(account.has(row), row + " in " + account);
        }
        // What the figures rest on: version, store format, the block the store holds, and the command that reproduces it.
        JsonNode covered = json.get("parameters").get("data");
        assertEquals(Chaintrace.VERSION, json.get("parameters").get("chaintrace").asText());
        assertTrue(covered.get("storeFormat").asText().startsWith("chaintrace-store-"), covered.toString());
        assertEquals(1, covered.get("bitcoin").get("blocks").asInt(), covered.toString());
        assertTrue(covered.get("bitcoin").get("heights").asText().matches("1 block, the highest \\d+"), covered.toString());
        assertTrue(covered.get("bitcoin").get("unspentMeans").asText().matches("not spent by block \\d+"), covered.toString());
        assertTrue(json.get("parameters").get("command").asText().contains("--report " + to), json.get("parameters").toString());
        for (String label : HOSTILE) {
            assertTrue(json.toString().contains(new ObjectMapper().writeValueAsString(label).replaceAll("^\"|\"$", "")), label);
        }
        // CSV: no cell a spreadsheet would run; the label is still there, as text after a quote mark.
        for (String file : List.of("edges.csv", "endpoints.csv")) {
            String csv = Files.readString(to.resolve(file));
            for (String line : csv.lines().toList()) {
                for (String cell : line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)) {
                    String c = cell.startsWith("\"") ? cell.substring(1) : cell;
                    assertFalse(!c.isEmpty() && "=+-@\t\r".indexOf(c.charAt(0)) >= 0, file + ": formula cell " + cell);
                }
            }
            assertTrue(csv.contains("'=HYPERLINK("), file + " keeps the label as text");
        }
        // HTML: the inline data is one JSON value that parses back to the report, with no '<' that could end the script.
        String html = Files.readString(to.resolve("report.html"));
        String open = "<script type=\"application/json\" id=\"case-data\">";
        int from = html.indexOf(open) + open.length();
        String data = html.substring(from, html.indexOf("</script>", from));
        assertFalse(data.contains("<") || data.contains("\u2028"), "inline data escaped");
        assertEquals(json, new ObjectMapper().readTree(data));
        // GraphML and GEXF are well-formed XML with the control characters replaced.
        for (String file : List.of("flow.graphml", "flow.gexf")) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            Document doc = f.newDocumentBuilder().parse(to.resolve(file).toFile()); // throws on a control character
            assertTrue(doc.getDocumentElement().hasChildNodes(), file);
            assertTrue(Files.readString(to.resolve(file)).contains("Bell\uFFFDand\uFFFDnul"), file);
        }
    }

    @Test
    void aReportIsNotReplacedUnaskedNorWrittenThroughALink() throws IOException {
        Path to = dir.resolve("report");
        assertEquals(0, report(to).exit());
        byte[] first = Files.readAllBytes(to.resolve("report.json"));
        TestData.Run again = report(to);
        assertEquals(1, again.exit(), again.err());
        assertTrue(again.err().contains("already holds a report") && again.err().contains("--force"), again.err());
        assertEquals(new String(first, StandardCharsets.UTF_8), Files.readString(to.resolve("report.json")));
        assertEquals(0, report(to, "--force").exit());

        // Links planted where the report's files go: refused, the targets outside untouched.
        Path planted = dir.resolve("planted");
        Path victim = dir.resolve("victim.txt");
        Files.writeString(victim, "the user's own file");
        Files.createDirectories(planted);
        Files.createSymbolicLink(planted.resolve("edges.csv"), victim);
        TestData.Run linked = report(planted, "--force");
        assertEquals(1, linked.exit(), linked.err());
        assertTrue(linked.err().contains("is a symbolic link"), linked.err());
        assertEquals("the user's own file", Files.readString(victim));
        Path linkDir = dir.resolve("link-to-elsewhere");
        Files.createSymbolicLink(linkDir, Files.createDirectories(dir.resolve("elsewhere")));
        TestData.Run dirLink = report(linkDir);
        assertEquals(1, dirLink.exit(), dirLink.err());
        try (var files = Files.list(dir.resolve("elsewhere"))) {
            assertEquals(0, files.count(), "nothing written through the link");
        }
    }
}
