package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.cli.report.CaseReport;
import io.chaintrace.cli.report.ReportWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A report of 5,000 tainted transfers in the shapes that made the old graph unreadable - a 1,200-step peel chain paying a
 * leaf at every step, a split over 800 addresses that each pay one of five deposit addresses of one exchange, and 1,000
 * deposits from one address to one mixer address - is drawn readably in headless Chromium: every transfer on an edge,
 * a few hundred elements at most, time left to right, and no two node labels overlapping at the default zoom (nor after a
 * folded run is opened). Screenshot: {@code cli/target/report-5000-edges.png}.
 */
class ReportScaleIT {
    @TempDir
    static Path dir;
    static ChromeDriver driver;
    static int transfers;

    @BeforeAll
    static void start() throws Exception {
        CaseReport report = fiveThousandTransfers();
        ReportWriter.write(report, dir.resolve("report"), false);
        driver = Browsers.start(dir, 1600, 1100);
        driver.get(dir.resolve("report/report.html").toUri().toString());
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> ((JavascriptExecutor) d).executeScript("return !!window.chaintrace"));
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
    }

    private static final long BTC = 100_000_000L;

    static CaseReport fiveThousandTransfers() {
        List<CaseReport.Node> nodes = new ArrayList<>();
        List<CaseReport.Edge> edges = new ArrayList<>();
        long time = 1_600_000_000L;
        nodes.add(node("seed", "seed", "", ""));
        // A peel chain: every step pays a leaf and keeps the change.
        long left = 1_000 * BTC;
        String previous = "seed";
        for (int i = 1; i <= 1_200; i++) {
            String step = "peel" + i;
            nodes.add(node(step, i == 1_200 ? "address" : "address", "", ""));
            nodes.add(node("paid" + i, "held", "", ""));
            long pay = BTC / 4;
            edges.add(edge(previous, step, i, time += 600, left));
            edges.add(edge(step, "paid" + i, i + 1, time, pay));
            left -= pay;
            previous = step;
        }
        // A split over 800 addresses, each paying one of five deposit addresses of one exchange.
        for (int d = 0; d < 5; d++) {
            nodes.add(node("deposit" + d, "endpoint", "Binance", "deposit"));
        }
        for (int j = 0; j < 800; j++) {
            nodes.add(node("split" + j, "address", "", ""));
            edges.add(edge(previous, "split" + j, 1_201, time + 600, left / 800));
            edges.add(edge("split" + j, "deposit" + (j % 5), 1_202, time + 1_200 + j, left / 800));
        }
        // A thousand deposits from one address to one mixer address.
        nodes.add(node("mixer", "endpoint", "Wasabi", "mixer"));
        for (int k = 0; k < 1_000; k++) {
            edges.add(edge("seed", "mixer", 1, 1_600_000_000L + 60L * k, BTC / 10));
        }
        transfers = edges.size();
        CaseReport.Leg leg = new CaseReport.Leg("Bitcoin forward", "bitcoin", "BTC", 8, "haircut", List.of("seed"), Long.toString(1_100 * BTC),
                "1100", List.of(), List.of(), Map.of("balanced", "true"), List.of(), nodes, edges,
                List.of(new CaseReport.AccountRow("cutByHops", "cut by the hop limit", Long.toString(BTC), "1", false),
                        new CaseReport.AccountRow("balanced", "balanced", "true", "true", false)));
        return new CaseReport("5,000 transfers", "2026-12-02T00:00:00Z", Map.of("chaintrace", Chaintrace.VERSION), List.of(leg), List.of(),
                List.of(), List.of(), List.of());
    }

    private static CaseReport.Node node(String name, String kind, String entity, String category) {
        String address = "bc1q" + name + "x".repeat(Math.max(0, 30 - name.length()));
        String shortText = address.substring(0, 8) + "…" + address.substring(address.length() - 4);
        return new CaseReport.Node("btc:" + address, address, "bitcoin", kind, entity.isEmpty() ? shortText : entity + " " + shortText, entity,
                category, 0, category);
    }

    private static CaseReport.Edge edge(String from, String to, int hop, long time, long taint) {
        String tx = String.format("%064x", BigInteger.valueOf(from.hashCode()).shiftLeft(32).add(BigInteger.valueOf(to.hashCode() & 0xffffffffL))
                .add(BigInteger.valueOf(time)).abs());
        return new CaseReport.Edge(node(from, "", "", "").id(), node(to, "", "", "").id(), tx, hop, time, hop, "BTC", Long.toString(taint),
                Long.toString(taint), CaseReport.display(BigInteger.valueOf(taint), 8), false);
    }

    private static JavascriptExecutor js() {
        return driver;
    }

    /** Pairs of drawn node labels whose boxes on screen overlap. */
    private static long overlappingLabels() {
        return (Long) js().executeScript("""
                var boxes = window.chaintrace.cy.nodes('.labelled').map(function (n) {
                  return n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true}); });
                var pairs = 0;
                for (var i = 0; i < boxes.length; i++) { for (var j = i + 1; j < boxes.length; j++) {
                  var a = boxes[i], b = boxes[j];
                  if (a.w > 0 && b.w > 0 && a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) { pairs++; } } }
                return pairs;""");
    }

    @Test
    void fiveThousandTransfersDrawReadably() throws Exception {
        assertEquals(5_000, transfers);
        long drawn = (Long) js().executeScript("""
                var n = 0; window.chaintrace.cy.edges().forEach(function (e) { n += e.data('count'); });
                return n + window.chaintrace.view.insideGroups;""");
        assertEquals(transfers, drawn, "every transfer is on an edge");
        long elements = (Long) js().executeScript("return window.chaintrace.cy.elements().length");
        assertTrue(elements < 300, "elements drawn: " + elements);
        long labelled = (Long) js().executeScript("return window.chaintrace.cy.nodes('.labelled').not('.axis').length");
        assertTrue(labelled >= 4, "labels drawn: " + labelled);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "report-5000-edges.png"), driver.getScreenshotAs(OutputType.BYTES));
        assertEquals(0, overlappingLabels());
        // The seed, the exchange and the mixer are named on the graph.
        String shown = (String) js().executeScript("""
                return window.chaintrace.cy.nodes('.labelled').map(function (n) { return n.data('label'); }).join(' | ');""");
        assertTrue(shown.contains("Binance (5 addresses)") && shown.contains("Wasabi"), shown);
        // The peel chain is one folded run; the 1,000 deposits one edge; time runs left to right.
        assertEquals(1L, js().executeScript("return window.chaintrace.view.runs"));
        assertTrue((Boolean) js().executeScript("""
                var cy = window.chaintrace.cy, seed = cy.nodes('[kind = "seed"]')[0], ex = cy.nodes('[label ^= "Binance"]')[0];
                return seed.position('x') < ex.position('x');"""));
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "report-5000-edges.png"), driver.getScreenshotAs(OutputType.BYTES));
        // Opening the run draws its 1,200 steps; the labels still do not overlap.
        js().executeScript("window.chaintrace.cy.edges('[?run]')[0].emit('tap')");
        long after = (Long) js().executeScript("return window.chaintrace.cy.edges().length");
        assertTrue(after > 2_000, "edges after opening the run: " + after);
        assertEquals(0, overlappingLabels());
        Files.write(Path.of("target", "report-5000-edges-opened.png"), driver.getScreenshotAs(OutputType.BYTES));
    }
}
