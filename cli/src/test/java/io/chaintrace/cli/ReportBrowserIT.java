package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo's HTML report in a real headless Chromium (Debian's chromium and chromium-driver;
 * {@code ./test} installs them): it loads from the file with no console errors and no network,
 * the flow graph renders every node of the report, a click on a node shows its details, and a
 * screenshot is kept as a test artifact ({@code cli/target/report-screenshot.png}).
 */
class ReportBrowserIT {
    @TempDir
    static Path dir;
    static ChromeDriver driver;
    static JsonNode report;

    @BeforeAll
    static void start() throws Exception {
        assertEquals(ExitCode.OK, Chaintrace.run("demo", "--out", dir.toString(), "--no-progress"));
        report = new ObjectMapper().readTree(dir.resolve("report/report.json").toFile());
        driver = Browsers.start(dir, 1400, 1000);
        driver.get(dir.resolve("report/report.html").toUri().toString());
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> ((JavascriptExecutor) d).executeScript("return !!window.chaintrace"));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void loadsWithoutConsoleErrors() {
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        List<String> errors = entries.stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue()).map(LogEntry::getMessage).toList();
        assertTrue(errors.isEmpty(), "console: " + errors);
        assertEquals(report.get("title").asText(), driver.getTitle());
    }

    @Test
    void theGraphRendersEveryNodeAndEdgeOfTheReport() {
        Set<String> ids = new HashSet<>();
        int edges = 0;
        for (JsonNode leg : report.get("legs")) {
            leg.get("nodes").forEach(n -> ids.add(n.get("id").asText()));
            edges += leg.get("edges").size();
        }
        JavascriptExecutor js = (JavascriptExecutor) driver;
        // Every node of the report is drawn, alone or in its group (a service's addresses), or folded into a run.
        for (String id : ids) {
            assertEquals(Boolean.TRUE, js.executeScript("""
                    var v = window.chaintrace.view, id = arguments[0];
                    return window.chaintrace.cy.$id(v.shownOf[id]).length === 1 || !!v.hidden[id];""", id), id);
        }
        // Every transfer is on an edge (one edge per pair of nodes and asset, or a folded run), or inside a group.
        long drawnTransfers = (Long) js.executeScript("""
                var n = 0; window.chaintrace.cy.edges().forEach(function (e) { if (e.id().indexOf('link') !== 0) { n += e.data('count'); } });
                return n + window.chaintrace.view.insideGroups;""");
        assertEquals((long) edges, drawnTransfers);
        assertEquals((long) report.get("links").size(), js.executeScript("return window.chaintrace.cy.edges('[id ^= \"link\"]').length"));
        // The demo's 20 mixer deposits are one edge.
        assertTrue((Long) js.executeScript("return window.chaintrace.cy.edges().filter(function (e) { return e.data('count') >= 20; }).length") >= 1);
        // Rendered: every node has a place inside the graph's box after the layout fitted it.
        long inside = (Long) js.executeScript("""
                var cy = window.chaintrace.cy, w = cy.width(), h = cy.height();
                return cy.nodes().not('.axis').filter(function (n) { var p = n.renderedPosition(); return p.x >= 0 && p.y >= 0 && p.x <= w && p.y <= h; }).length;""");
        assertEquals((long) js.executeScript("return window.chaintrace.cy.nodes().not('.axis').length"), inside);
        // The canvas was drawn on: not a blank box.
        long drawn = (Long) js.executeScript("""
                var c = document.querySelectorAll('#graph canvas'), n = 0;
                for (var i = 0; i < c.length; i++) {
                  var d = c[i].getContext('2d').getImageData(0, 0, c[i].width, c[i].height).data;
                  for (var k = 3; k < d.length; k += 4) { if (d[k] > 0) { n++; } }
                }
                return n;""");
        assertTrue(drawn > 1_000, "pixels drawn: " + drawn);
    }

    @Test
    void clickingANodeShowsItsTransactions() throws Exception {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        WebElement graph = driver.findElement(By.id("graph"));
        js.executeScript("arguments[0].scrollIntoView({block: 'center'})", graph);
        // The seed of the Bitcoin leg: a real mouse click at its place on the canvas.
        @SuppressWarnings("unchecked")
        Map<String, Object> target = (Map<String, Object>) js.executeScript("""
                var n = window.chaintrace.cy.nodes('[kind = "endpoint"][!group]')[0], p = n.renderedPosition();
                return {id: n.id(), x: p.x, y: p.y, address: window.chaintrace.data.legs.flatMap(function (l) { return l.nodes; })
                  .filter(function (m) { return m.id === n.id(); })[0].address};""");
        int x = (int) Math.round(((Number) target.get("x")).doubleValue() - graph.getSize().getWidth() / 2.0);
        int y = (int) Math.round(((Number) target.get("y")).doubleValue() - graph.getSize().getHeight() / 2.0);
        new Actions(driver).moveToElement(graph, x, y).click().perform();
        WebElement shown = new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.findElements(By.id("details-address")).stream()
                .findFirst().orElse(null));
        assertEquals(target.get("address"), shown.getText());
        String details = driver.findElement(By.id("details")).getText();
        assertTrue(details.contains("tainted transfers"), details);
        // The artifact: the page as the investigator sees it after the click.
        Path shot = Path.of("target", "report-screenshot.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
        Files.write(Path.of("target", "report-graph.png"), driver.findElement(By.id("flow")).getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(shot) > 10_000);
    }

    @Test
    void theTransactionFilterNarrowsTheTable() {
        WebElement search = driver.findElement(By.id("tx-search"));
        int all = driver.findElements(By.cssSelector("#tx-table tbody tr")).size();
        String tx = report.get("legs").get(0).get("edges").get(0).get("tx").asText();
        search.sendKeys(tx);
        List<WebElement> rows = driver.findElements(By.cssSelector("#tx-table tbody tr"));
        assertTrue(rows.size() >= 1 && rows.size() < all, rows.size() + " of " + all);
        rows.forEach(r -> assertTrue(r.getText().contains(tx)));
        search.clear();
        search.sendKeys(" ");
        search.clear();
    }
}
