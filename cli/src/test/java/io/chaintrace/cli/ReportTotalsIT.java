package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.graph.ChainStore;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the report shows is what {@code trace --json} says: for real mainnet traces (forward haircut from block 9's coinbase
 * over blocks 0-589; backward from a3b0e9e7...:0, where 50 BTC were minted and 11 cut by the hop limit; backward from a 2019
 * output whose funding transactions are not in the store; poison, which does not conserve; an Ethereum trace from the
 * ethereum-etl rows of blocks 17,173,049-050) and the demo, the report is rendered in headless Chromium and every account
 * line, the seeded amount and every endpoint entity read from the page equal the JSON to the base unit. Amounts resting on
 * unknown inputs carry their mark; each report names its data range and version. Screenshots in {@code cli/target}.
 */
class ReportTotalsIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String BLOCK9 = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0";
    @TempDir
    static Path dir;
    static ChromeDriver driver;
    static Path firstBlocks;

    @BeforeAll
    static void start() {
        firstBlocks = TestData.ingested(dir.resolve("first"), "firstblocks.blk");
        driver = Browsers.start(dir, 1600, 1100);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    /** Runs a trace with --report and --json; returns its JSON document and checks the rendered report against it. */
    private static JsonNode traced(String name, String... args) throws Exception {
        Path report = dir.resolve("report-" + name);
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--report", report.toString(), "--json"));
        TestData.Run r = TestData.run(all.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        JsonNode json = JSON.readTree(r.out());
        render(report, name);
        return json;
    }

    private static void render(Path report, String name) throws Exception {
        driver.get(report.resolve("report.html").toUri().toString());
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> ((JavascriptExecutor) d).executeScript("return !!window.chaintrace"));
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "report-" + name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
    }

    /** The account lines of one leg as the page shows them: key -> text in the second cell. */
    private static Map<String, String> shownAccount(String leg) {
        Map<String, String> m = new HashMap<>();
        for (WebElement tr : driver.findElements(By.cssSelector("table.account[data-leg='" + leg + "'] tbody tr"))) {
            m.put(tr.getAttribute("data-key"), tr.findElements(By.tagName("td")).get(1).getText());
        }
        assertFalse(m.isEmpty(), "no account table for leg " + leg);
        return m;
    }

    /** Page text ("1,234.5 *") as base units. */
    private static String units(String shown, int decimals) {
        String plain = shown.replace(" *", "").replace(",", "").strip();
        return new BigDecimal(plain).movePointRight(decimals).toBigIntegerExact().toString();
    }

    private static String onlyLeg() {
        List<WebElement> tables = driver.findElements(By.cssSelector("table.account"));
        assertEquals(1, tables.size());
        return tables.getFirst().getAttribute("data-leg");
    }

    /** Every Bitcoin account line, the seeded amount and every endpoint entity on the page equal the JSON's. */
    private static void bitcoinPageEqualsJson(JsonNode json) {
        String leg = onlyLeg();
        Map<String, String> shown = shownAccount(leg);
        JsonNode account = json.get("account");
        for (String key : List.of("seeded", "endpoints", "unspent", "fees", "minted", "unresolved", "dust", "cutByHops", "cutByTime",
                "cutByBudget", "cutNotFetched", "absorbedBySeeds")) {
            assertTrue(shown.containsKey(key), key + " is not on the page: " + shown.keySet());
            assertEquals(account.get(key).asText(), units(shown.get(key), 8), key);
        }
        String balanced = shown.get("balanced");
        if (account.get("conserving").asBoolean()) {
            assertEquals(account.get("balanced").asText(), balanced);
        } else {
            assertTrue(balanced.startsWith("does not apply: poison"), balanced);
            assertFalse(account.get("balanced").asBoolean());
        }
        Map<String, String> endpoints = endpointsShown(8);
        Map<String, String> expected = new HashMap<>();
        json.get("endpointsByEntity").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
        assertEquals(expected, endpoints);
        namesItsDataAndVersion("data.bitcoin.heights");
    }

    /** Endpoint entity -> base units, from the first table under "Where the money went". */
    private static Map<String, String> endpointsShown(int decimals) {
        Map<String, String> m = new HashMap<>();
        for (WebElement tr : driver.findElements(By.cssSelector("#endpoint-tables table:first-of-type tbody tr"))) {
            List<WebElement> td = tr.findElements(By.tagName("td"));
            if (td.size() == 4) {
                m.put(td.get(0).getText(), units(td.get(2).getText(), decimals));
            }
        }
        return m;
    }

    private static void namesItsDataAndVersion(String rangeRow) {
        String params = driver.findElement(By.id("param-table")).getText();
        assertTrue(params.contains("chaintrace " + Chaintrace.VERSION), params);
        assertTrue(params.contains(rangeRow + " "), params);
        assertTrue(params.contains("data.storeFormat"), params);
    }

    @Test
    void forwardHaircutFromBlock9() throws Exception {
        JsonNode json = traced("forward-haircut", "trace", "--store", firstBlocks.toString(), "--seed", BLOCK9, "--policy", "haircut", "--hops", "6");
        assertTrue(json.get("account").get("balanced").asBoolean());
        bitcoinPageEqualsJson(json);
        assertTrue(driver.findElement(By.cssSelector(".card")).getText().contains("the account balances"));
    }

    @Test
    void backwardFromA3b0MintedAndCut() throws Exception {
        String merge = a3b0();
        JsonNode json = traced("backward-a3b0", "trace", "--store", firstBlocks.toString(), "--seed", merge, "--direction", "backward",
                "--policy", "haircut", "--hops", "6");
        assertTrue(json.get("account").get("minted").asLong() > 0 && json.get("account").get("cutByHops").asLong() > 0, json.get("account").toString());
        bitcoinPageEqualsJson(json);
        String card = driver.findElement(By.cssSelector(".card")).getText();
        assertTrue(card.contains("minted") && card.contains("cut by the hop limit"), card);
        assertTrue(driver.findElement(By.id("endpoint-tables")).getText().contains("came from"));
    }

    @Test
    void backwardFromAnOutputWhoseFundingIsNotInTheStore() throws Exception {
        Path store = TestData.ingested(dir.resolve("jan2019"), "block2019Jan.blk");
        String seed;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            int tip = cs.tip().orElseThrow().ref().height();
            seed = cs.transactionIds(tip).stream().map(id -> cs.transaction(id).orElseThrow()).filter(t -> !t.coinbase())
                    .map(UtxoTransaction::txid).findFirst().orElseThrow().hex() + ":0";
        }
        JsonNode json = traced("backward-unresolved", "trace", "--store", store.toString(), "--seed", seed, "--direction", "backward",
                "--policy", "haircut", "--hops", "3");
        assertEquals(json.get("account").get("seeded").asLong(), json.get("account").get("unresolved").asLong(), "all of it unresolved");
        bitcoinPageEqualsJson(json);
        assertTrue(driver.findElement(By.cssSelector(".card")).getText().contains("unresolved"));
        // Forward from the same output through transactions whose other inputs are unknown: their amounts are marked.
        JsonNode forward = traced("forward-unresolved", "trace", "--store", store.toString(), "--seed", seed, "--policy", "haircut", "--hops", "3");
        bitcoinPageEqualsJson(forward);
        boolean throughUnknown = false;
        for (JsonNode t : forward.get("transactions")) {
            throughUnknown |= !t.get("resolved").asBoolean() && t.get("hop").asInt() > 0;
        }
        if (throughUnknown) {
            assertTrue(driver.findElement(By.id("tx-table")).getText().contains(" *"), "amounts through unknown inputs are marked");
            assertTrue(driver.findElement(By.id("uncertain-note")).getText().contains("funding transaction is not in the store"));
        } else {
            assertTrue(driver.findElements(By.id("uncertain-note")).isEmpty());
        }
    }

    @Test
    void poisonSaysItDoesNotConserve() throws Exception {
        JsonNode json = traced("poison", "trace", "--store", firstBlocks.toString(), "--seed", BLOCK9, "--policy", "poison", "--hops", "6");
        assertFalse(json.get("account").get("balanced").asBoolean());
        bitcoinPageEqualsJson(json);
        assertTrue(driver.findElement(By.cssSelector(".card")).getText().contains("does not conserve"));
    }

    @Test
    void ethereumTraceFromTheEtlRows() throws Exception {
        Path etl = TestData.shared().resolve("data/eth/etl/test_stream/blocks_17173049_17173050");
        String store = dir.resolve("eth").toString();
        assertEquals(0, TestData.run("ingest", "eth-etl", etl.resolve("expected_transactions.json").toString(),
                etl.resolve("expected_token_transfers.json").toString(), "--store", store, "--no-progress").exit());
        JsonNode json = traced("ethereum", "trace", "--store", store, "--seed",
                "0x7054b0f980a7eb5b3a6b3446f3c947d80162775c@0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0",
                "--policy", "fifo", "--hops", "4");
        assertTrue(json.get("assets").size() >= 1);
        ethereumPageEqualsJson(json);
    }

    private static void ethereumPageEqualsJson(JsonNode json) {
        for (JsonNode asset : json.get("assets")) {
            String leg = "Ethereum " + asset.get("asset").asText();
            Map<String, String> shown = shownAccount(leg);
            int decimals = asset.get("decimals").asInt();
            asset.get("account").fields().forEachRemaining(e -> {
                if (e.getKey().equals("conserving")) {
                    return;
                }
                if (e.getKey().equals("balanced")) {
                    if (asset.get("account").get("conserving").asBoolean()) {
                        assertEquals(e.getValue().asText(), shown.get("balanced"));
                    } else {
                        assertTrue(shown.get("balanced").startsWith("does not apply: poison"), shown.get("balanced"));
                    }
                } else {
                    assertTrue(shown.containsKey(e.getKey()), e.getKey() + " is not on the page: " + shown.keySet());
                    assertEquals(e.getValue().asText(), units(shown.get(e.getKey()), decimals), leg + " " + e.getKey());
                }
            });
        }
        namesItsDataAndVersion("data.ethereum.numbers");
    }

    static final String ETH_SEED = "0x7054b0f980a7eb5b3a6b3446f3c947d80162775c@0xeb107a40ba73a50c79a9f2026e902d758d1c5e5e211f7a7db1b294f88f118dd0";

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> chainsDirectionsPolicies() {
        List<org.junit.jupiter.params.provider.Arguments> all = new ArrayList<>();
        for (String chain : List.of("bitcoin", "ethereum")) {
            for (String direction : List.of("forward", "backward")) {
                for (String policy : List.of("poison", "haircut", "fifo", "lifo", "tiho")) {
                    if (!(chain.equals("ethereum") && direction.equals("backward") && policy.equals("tiho"))) { // no account rule backward
                        all.add(org.junit.jupiter.params.provider.Arguments.of(chain, direction, policy));
                    }
                }
            }
        }
        return all.stream();
    }

    /** Every chain, direction and policy: the page's account, seeded amount and endpoints equal trace --json's. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} {2}")
    @org.junit.jupiter.params.provider.MethodSource("chainsDirectionsPolicies")
    void thePageEqualsTheJson(String chain, String direction, String policy) throws Exception {
        String name = chain + "-" + direction + "-" + policy;
        if (chain.equals("bitcoin")) {
            String seed = direction.equals("forward") ? BLOCK9 : a3b0();
            bitcoinPageEqualsJson(traced(name, "trace", "--store", firstBlocks.toString(), "--seed", seed, "--direction", direction,
                    "--policy", policy, "--hops", "6"));
        } else {
            ethereumPageEqualsJson(traced(name, "trace", "--store", ethStore().toString(), "--seed", ETH_SEED, "--direction", direction,
                    "--policy", policy, "--hops", "4"));
        }
    }

    private static Path ethStore;

    private static synchronized Path ethStore() {
        if (ethStore == null) {
            Path etl = TestData.shared().resolve("data/eth/etl/test_stream/blocks_17173049_17173050");
            ethStore = dir.resolve("eth-all");
            assertEquals(0, TestData.run("ingest", "eth-etl", etl.resolve("expected_transactions.json").toString(),
                    etl.resolve("expected_token_transfers.json").toString(), "--store", ethStore.toString(), "--no-progress").exit());
        }
        return ethStore;
    }

    /** The merge a3b0e9e7...:0, found where block 9's coinbase goes. */
    private static String a3b0() throws Exception {
        for (JsonNode o : JSON.readTree(TestData.run("trace", "--store", firstBlocks.toString(), "--seed", BLOCK9, "--hops", "6", "--json").out())
                .get("outputs")) {
            if (o.get("txid").asText().startsWith("a3b0e9e7")) {
                return o.get("txid").asText() + ":0";
            }
        }
        throw new AssertionError("a3b0e9e7... is not reached from block 9's coinbase");
    }

    @Test
    void theDemo() throws Exception {
        Path out = dir.resolve("demo");
        assertEquals(0, TestData.run("demo", "--out", out.toString(), "--no-progress").exit());
        JsonNode report = JSON.readTree(out.resolve("report/report.json").toFile());
        render(out.resolve("report"), "demo");
        // The Bitcoin leg, traced again from the command line as the demo traces it: the page equals trace --json.
        JsonNode btcLeg = report.get("legs").get(report.get("legs").size() - 1);
        TestData.Run r = TestData.run("trace", "--store", out.resolve("store").toString(), "--seed", btcLeg.get("seeds").get(0).asText(),
                "--policy", "haircut", "--hops", report.get("parameters").get("maxHops").asText(), "--stop-at",
                String.join(",", JSON.convertValue(report.get("parameters").get("stopAt"), String[].class)), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode json = JSON.readTree(r.out());
        Map<String, String> shown = shownAccount(btcLeg.get("name").asText());
        json.get("account").fields().forEachRemaining(e -> {
            if (shown.containsKey(e.getKey()) && !e.getKey().equals("balanced")) {
                assertEquals(e.getValue().asText(), units(shown.get(e.getKey()), 8), e.getKey());
            }
        });
        assertEquals(json.get("account").get("balanced").asText(), shown.get("balanced"));
        // The CSV has the same lines.
        for (String line : Files.readAllLines(out.resolve("report/account.csv")).subList(1, Files.readAllLines(out.resolve("report/account.csv")).size())) {
            String[] f = line.split(",");
            if (f[0].equals(btcLeg.get("name").asText()) && json.get("account").has(f[4]) && !f[4].equals("balanced")) {
                assertEquals(json.get("account").get(f[4]).asText(), f[7], "account.csv " + f[4]);
            }
        }
        // Every leg: the page's account lines are the report's JSON lines.
        for (JsonNode leg : report.get("legs")) {
            Map<String, String> page = shownAccount(leg.get("name").asText());
            for (JsonNode row : leg.get("accountRows")) {
                String key = row.get("key").asText();
                assertEquals(row.get("units").asText(), key.equals("balanced") ? page.get(key) : units(page.get(key), leg.get("decimals").asInt()),
                        leg.get("name").asText() + " " + key);
            }
        }
        namesItsDataAndVersion("data.ethereum.numbers");
    }

    @Test
    void theReportPrintsToPdf() throws Exception {
        Path report = dir.resolve("report-pdf");
        TestData.Run r = TestData.run("trace", "--store", firstBlocks.toString(), "--seed", BLOCK9, "--hops", "6", "--report", report.toString(), "--pdf");
        assertEquals(0, r.exit(), r.err());
        Path pdf = report.resolve("report.pdf");
        byte[] bytes = Files.readAllBytes(pdf);
        assertEquals("%PDF-", new String(bytes, 0, 5, java.nio.charset.StandardCharsets.US_ASCII));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.split("/Type\\s*/Page[^s]", -1).length - 1 >= 2, "a report of several pages");
        Files.copy(pdf, Path.of("target", "report-forward-haircut.pdf"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // Not replaced unasked; --pdf without --report is a usage error.
        long before = Files.getLastModifiedTime(pdf).toMillis();
        TestData.Run again = TestData.run("trace", "--store", firstBlocks.toString(), "--seed", BLOCK9, "--report", report.toString(), "--pdf");
        assertEquals(1, again.exit());
        assertTrue(again.err().contains("already holds a report"), again.err());
        assertEquals(before, Files.getLastModifiedTime(pdf).toMillis());
        TestData.Run usage = TestData.run("trace", "--store", firstBlocks.toString(), "--seed", BLOCK9, "--pdf");
        assertEquals(2, usage.exit());
        assertTrue(usage.err().contains("--pdf prints the report: give --report DIR too"), usage.err());
    }
}
