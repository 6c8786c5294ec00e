package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chaintrace.cli.serve.CaseServer;
import io.chaintrace.cli.serve.SavedCases;
import io.chaintrace.cli.serve.Workspace;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.graph.ChainStore;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The workspace page in headless Chromium, driven as an investigator would: look up the exchange's hot wallet by its
 * label, seed the case with the stolen receipts, expand nodes (and nothing else) until the exchanges are reached, write a
 * note, save the case, reload the page, load the case, and export it; the export is the report {@code trace --report}
 * writes for the same case. Screenshots are kept ({@code cli/target/serve-*.png}).
 */
class ServeBrowserIT {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static ChainStore store;
    static CaseServer server;
    static ChromeDriver driver;
    static JsonNode demo;

    @BeforeAll
    static void start() throws Exception {
        assertEquals(ExitCode.OK, Chaintrace.run("demo", "--out", dir.toString(), "--no-progress"));
        demo = JSON.readTree(dir.resolve("report/report.json").toFile());
        store = ChainStore.openReadOnly(dir.resolve("store"));
        server = new CaseServer(new Workspace(store, dir.resolve("store"), PatternSettings.defaults(), Chaintrace.VERSION, store.chainDigest()),
                new SavedCases(dir.resolve("cases")), InetAddress.getLoopbackAddress(), 0, Optional.empty(), m -> { });
        driver = Browsers.start(dir, 1600, 1100);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static JavascriptExecutor js() {
        return driver;
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(driver, Duration.ofSeconds(30));
    }

    private static void load() {
        driver.get(server.uri().toString());
        waiting().until(d -> Boolean.TRUE.equals(js().executeScript("return !!(window.workspace && window.workspace.ready)")));
    }

    /** Waits for the status line to start with {@code prefix} (after an action that changes it), and returns it. */
    private static String status(String prefix) {
        return waiting().until(d -> {
            String s = d.findElement(By.id("status")).getText();
            return s.startsWith(prefix) ? s : null;
        });
    }

    private static void search(String q) {
        WebElement box = driver.findElement(By.id("search"));
        box.clear();
        box.sendKeys(q);
        js().executeScript("document.getElementById('lookup-result').innerHTML = ''");
        driver.findElement(By.id("search-go")).click();
        waiting().until(d -> !d.findElement(By.id("lookup-result")).getText().isEmpty());
    }

    /** Rows of the node table not yet expanded on the side asked, whose kind allows going on (services end the trace). */
    @SuppressWarnings("unchecked")
    private static List<String> frontier() {
        return (List<String>) js().executeScript("""
                var w = window.workspace, out = [];
                Object.keys(w.nodes).forEach(function (id) {
                  var n = w.nodes[id];
                  var done = w.state.expanded.some(function (x) { return x.node === id && x.side === 'out'; });
                  if (!done && n.kind !== 'endpoint') { out.push(id); }
                });
                return out;""");
    }

    private static void clickNode(String id) {
        WebElement row = driver.findElement(By.cssSelector("#node-table tbody tr[data-node='" + id + "']"));
        js().executeScript("arguments[0].scrollIntoView({block: 'center'})", row);
        row.click();
        waiting().until(d -> d.findElement(By.id("details-id")).getText().equals(id.substring(4)));
    }

    @Test
    void investigatesTheDemoFromTheHotWalletToTheExchangesSavesReloadsAndExports() throws Exception {
        load();
        // The exchange's hot wallet, by its label; the case starts from what the thieves received from it.
        search("VictimEx");
        String hot = driver.findElement(By.cssSelector("#lookup-result a")).getText();
        driver.findElement(By.cssSelector("#lookup-result a")).click();
        waiting().until(d -> d.findElement(By.id("lookup-result")).getText().contains("VictimEx hot wallet (exchange"));
        List<String> seeds = new ArrayList<>();
        demo.get("parameters").get("ethereumSeeds").forEach(s -> seeds.add(s.asText()));
        for (String seed : seeds) {
            search(seed);
            driver.findElement(By.id("add-seed")).click();
            status("Seed added: ");
        }
        new Select(driver.findElement(By.id("policy"))).selectByValue("haircut");
        driver.findElement(By.id("open-case")).click();
        status("Case open: ");
        // Expanding only: the seeds' inflows show where the value came from (the hot wallet), then outflows until
        // every path ends at a service or an address still holding the taint.
        for (String seedNode : frontier()) {
            clickNode(seedNode);
            driver.findElement(By.id("expand-in")).click();
            status("");
            waiting().until(d -> Boolean.TRUE.equals(js().executeScript("var id = arguments[0]; return window.workspace.state.expanded.some(function (x) {"
                    + " return x.node === id && x.side === 'in'; })", seedNode)));
        }
        assertTrue(Boolean.TRUE.equals(js().executeScript("return !!window.workspace.nodes['eth:' + arguments[0]]", hot)),
                "the hot wallet is on the graph");
        int rounds = 0;
        for (List<String> todo = frontier(); !todo.isEmpty(); todo = frontier()) {
            assertTrue(++rounds < 200, "expansion does not end");
            String node = todo.getFirst();
            clickNode(node);
            driver.findElement(By.id("expand-out")).click();
            waiting().until(d -> Boolean.TRUE.equals(js().executeScript("var id = arguments[0]; return window.workspace.state.expanded.some(function (x) {"
                    + " return x.node === id && x.side === 'out'; })", node)));
        }
        // Every edge of the trace's report is on the graph, with the same taint; the exchanges are reached.
        List<String> expected = new ArrayList<>();
        demo.get("legs").forEach(l -> {
            if (l.get("chain").asText().equals("ethereum")) {
                l.get("edges").forEach(e -> expected.add(l.get("name").asText() + "|" + e.get("tx").asText() + "|" + e.get("source").asText()
                        + "|" + e.get("target").asText() + "=" + e.get("taint").asText()));
            }
        });
        @SuppressWarnings("unchecked")
        List<String> shown = (List<String>) js().executeScript("""
                var f = window.workspace.flows; return Object.keys(f).map(function (k) { return k + '=' + f[k].taint; });""");
        // The demo's report stops at every labelled category but "other"; the workspace at the trace's default services:
        // the same edges here (no theft or scam label on the way).
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(shown));
        String table = driver.findElement(By.id("node-table")).getText();
        assertTrue(table.contains("Binance") && table.contains("Kraken"), table);
        assertEquals((long) cyNodes(), (long) driver.findElements(By.cssSelector("#node-table tbody tr")).size());
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "serve-expanded.png"), driver.getScreenshotAs(OutputType.BYTES));

        // A note on the Binance deposit address.
        String binance = (String) js().executeScript("""
                var w = window.workspace; return Object.keys(w.nodes).filter(function (id) { return w.nodes[id].entity === 'Binance'; })[0];""");
        clickNode(binance);
        driver.findElement(By.id("note")).sendKeys("Binance deposit: ask Binance for the account holder (request sent 2026-12-02)");
        driver.findElement(By.id("save-note")).click();
        status("Note kept on ");

        // Save, reload, load.
        driver.findElement(By.id("case-name")).sendKeys("victimex");
        driver.findElement(By.id("save-case")).click();
        status("Saved: ");
        Map<?, ?> before = (Map<?, ?>) js().executeScript("return {nodes: Object.keys(window.workspace.nodes).length,"
                + " flows: Object.keys(window.workspace.flows).length, hops: window.workspace.state.hops}");
        driver.navigate().refresh();
        load();
        assertEquals(0L, js().executeScript("return Object.keys(window.workspace.nodes).length"));
        new Select(driver.findElement(By.id("cases"))).selectByValue("victimex");
        driver.findElement(By.id("load-case")).click();
        status("Case 'victimex' loaded: ");
        Map<?, ?> after = (Map<?, ?>) js().executeScript("return {nodes: Object.keys(window.workspace.nodes).length,"
                + " flows: Object.keys(window.workspace.flows).length, hops: window.workspace.state.hops}");
        assertEquals(before, after);
        clickNode(binance);
        assertTrue(driver.findElement(By.id("note")).getAttribute("value").startsWith("Binance deposit: ask Binance"));

        // Export: the report trace --report writes for the same case, the note among its notes.
        driver.findElement(By.id("export")).click();
        status("Report written to ");
        String href = driver.findElement(By.id("report-link")).getAttribute("href");
        driver.get(href);
        waiting().until(d -> Boolean.TRUE.equals(js().executeScript("return !!window.chaintrace")));
        JsonNode exported = JSON.readTree((String) js().executeScript("return JSON.stringify(window.chaintrace.data)"));
        Files.write(Path.of("target", "serve-exported-report.png"), driver.getScreenshotAs(OutputType.BYTES));
        JsonNode saved = JSON.readTree(dir.resolve("cases/victimex.case.json").toFile());
        Path report = dir.resolve("trace-report");
        List<String> args = new ArrayList<>(List.of("trace", "--store", dir.resolve("store").toString()));
        saved.get("seeds").forEach(s -> args.addAll(List.of("--seed", s.asText())));
        args.addAll(List.of("--policy", saved.get("policy").asText(), "--direction", saved.get("direction").asText(), "--hops",
                saved.get("hops").asText(), "--max-edges", "2000000", "--patterns", "--report", report.toString()));
        assertEquals(ExitCode.OK, Chaintrace.run(args.toArray(String[]::new)));
        JsonNode written = JSON.readTree(report.resolve("report.json").toFile());
        assertEquals(written.get("legs"), exported.get("legs"));
        assertEquals(written.get("alerts"), exported.get("alerts"));
        ObjectNode p1 = written.get("parameters").deepCopy();
        ObjectNode p2 = exported.get("parameters").deepCopy();
        p1.remove("command");
        p2.remove("command");
        assertEquals(p1, p2);
        assertTrue(exported.get("notes").toString().contains("ask Binance for the account holder"), exported.get("notes").toString());

        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        List<String> errors = entries.stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::getMessage).toList();
        assertTrue(errors.isEmpty(), "console: " + errors);
    }

    private static long cyNodes() {
        return (Long) js().executeScript("return window.workspace.cy.nodes().length");
    }

    /** A Bitcoin transaction looked up shows each output as spent by a transaction's input, or unspent, as the store says. */
    @Test
    void aTransactionShowsWhoSpentEachOutput() throws Exception {
        load();
        String seed = demo.get("parameters").get("bitcoinSeeds").get(0).asText();
        io.chaintrace.core.model.Hash256 txid = io.chaintrace.core.model.Hash256.fromHex(seed.substring(0, 64));
        search(txid.hex());
        String shown = driver.findElement(By.id("lookup-result")).getText();
        Files.write(Path.of("target", "serve-transaction.png"), driver.getScreenshotAs(OutputType.BYTES));
        List<Optional<io.chaintrace.core.trace.UtxoLedger.Spend>> spends = store.spendersOf(store.transaction(txid).orElseThrow());
        assertTrue(spends.stream().anyMatch(Optional::isPresent), "the seed's transaction has a spent output");
        for (int n = 0; n < spends.size(); n++) {
            String prefix = n + ": ";
            String expected = spends.get(n).map(sp -> "spent by " + sp.spendingTx().hex() + " (input " + sp.inputIndex() + ")").orElse("unspent");
            assertTrue(shown.lines().anyMatch(l -> l.startsWith(prefix) && l.endsWith(expected)), "output " + n + " " + expected + " in: " + shown);
        }
    }

    @Test
    void aBadSearchSaysWhatIsWrongOnThePage() {
        load();
        search("0x00000000000000000000000000000000000000aa");
        String error = driver.findElement(By.id("lookup-error")).getText();
        assertTrue(error.contains("is not in the store"), error);
        assertTrue(driver.findElement(By.id("status")).getAttribute("class").contains("error"));
    }
}
