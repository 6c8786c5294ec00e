package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What every command offers: --help, shell completion, the config file, and trace --report. Run on the demo's store. */
class CliOptionsTest {
    @TempDir
    static Path dir;
    static Path store;
    static JsonNode demo;

    @BeforeAll
    static void demo() throws Exception {
        assertEquals(0, TestData.run("demo", "--out", dir.resolve("demo").toString(), "--no-progress").exit());
        store = dir.resolve("demo/store");
        demo = new ObjectMapper().readTree(dir.resolve("demo/report/report.json").toFile());
    }



    @Test
    void everyCommandHasHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Chaintrace()), new ArrayList<>(), paths);
        assertTrue(paths.size() >= 15, paths.toString());
        for (List<String> p : paths) {
            List<String> args = new ArrayList<>(p);
            args.add("--help");
            TestData.Run r = TestData.run(args.toArray(String[]::new));
            assertEquals(0, r.exit(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().startsWith("Usage: chaintrace"), String.join(" ", args) + ":\n" + r.out());
        }
        assertTrue(TestData.run("--help").out().contains("Exit codes:"), "the exit codes are documented in the help");
    }

    private static void collect(CommandLine c, List<String> path, List<List<String>> out) {
        if (c.getCommandSpec().mixinStandardHelpOptions() || c.getCommandSpec().optionsMap().containsKey("--help")) {
            out.add(List.copyOf(path));
        }
        c.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                collect(sub, p, out);
            }
        });
    }

    @Test
    void shellCompletionScriptNamesTheCommands() {
        TestData.Run r = TestData.run("generate-completion");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("complete -F"), "a bash/zsh completion script");
        for (String c : List.of("demo", "trace", "batch", "ingest", "patterns", "--policy", "--metrics-port")) {
            assertTrue(r.out().contains(c), c);
        }
    }

    @Test
    void theConfigFileSetsDefaultsAndThresholds() throws Exception {
        String seed = demo.get("legs").get(2).get("seeds").get(0).asText();
        Path config = dir.resolve("chaintrace.properties");
        Files.writeString(config, "# an analyst's defaults\ntrace.policy = fifo\ntrace.hops = 8\npatterns.fanOut.minPayees = 2\n");
        TestData.Run configured = TestData.run("trace", "--store", store.toString(), "--seed", seed, "--json", "--config", config.toString());
        assertEquals(0, configured.exit(), configured.err());
        JsonNode t = new ObjectMapper().readTree(configured.out());
        assertEquals("fifo", t.get("policy").asText());
        // The command line wins over the file.
        TestData.Run explicit = TestData.run("trace", "--store", store.toString(), "--seed", seed, "--json", "--policy", "lifo", "--config", config.toString());
        assertEquals("lifo", new ObjectMapper().readTree(explicit.out()).get("policy").asText());
        // A lower fan-out threshold flags more fan-outs.
        long withDefaults = fanOuts(TestData.run("patterns", "--store", store.toString(), "--json"));
        long withConfig = fanOuts(TestData.run("patterns", "--store", store.toString(), "--json", "--config", config.toString()));
        assertTrue(withConfig > withDefaults, withConfig + " fan-outs with minPayees 2, " + withDefaults + " with 5");
    }

    private static long fanOuts(TestData.Run r) {
        assertEquals(0, r.exit(), r.err());
        return r.out().lines().filter(l -> l.startsWith("{\"pattern\":\"fan_out\"")).count();
    }

    @Test
    void aBadConfigFileIsOneLineNamingFileAndKey() throws Exception {
        Path typo = dir.resolve("typo.properties");
        Files.writeString(typo, "# defaults\ntrace.hops = 4\ntrace.polcy = fifo\n");
        TestData.Run r = TestData.run("stats", "--store", store.toString(), "--config", typo.toString());
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertEquals(List.of("chaintrace: error: " + typo + ": line 3: 'trace.polcy' names no option (use <command>.<option>, e.g."
                + " trace.policy, or patterns.<setting>)"), r.err().lines().toList());
        Path badValue = dir.resolve("bad.properties");
        Files.writeString(badValue, "patterns.fanOut.minPayees = many\n");
        TestData.Run b = TestData.run("stats", "--store", store.toString(), "--config", badValue.toString());
        assertEquals(ExitCode.BAD_INPUT, b.exit());
        assertEquals(1, b.err().lines().count(), b.err());
        assertTrue(b.err().contains(badValue + ": line 1: pattern setting fanOut.minPayees = 'many' is not a whole number"), b.err());
        TestData.Run missing = TestData.run("stats", "--store", store.toString(), "--config", dir.resolve("none.properties").toString());
        assertEquals(ExitCode.BAD_INPUT, missing.exit());
        assertTrue(missing.err().contains("config file " + dir.resolve("none.properties") + " not found"), missing.err());
    }

    @Test
    void traceWritesAReportOfAnyTrace() throws Exception {
        String seed = demo.get("legs").get(2).get("seeds").get(0).asText();
        Path out = dir.resolve("trace-report");
        TestData.Run r = TestData.run("trace", "--store", store.toString(), "--seed", seed, "--policy", "haircut", "--hops", "8", "--json", "--report", out.toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode trace = new ObjectMapper().readTree(r.out());
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(1, report.get("legs").size());
        JsonNode leg = report.get("legs").get(0);
        trace.get("endpointsByEntity").properties().forEach(e -> {
            boolean found = false;
            for (JsonNode x : leg.get("endpoints")) {
                if (x.get("entity").asText().equals(e.getKey())) {
                    assertEquals(e.getValue().asLong(), x.get("amount").asLong(), e.getKey());
                    found = true;
                }
            }
            assertTrue(found, e.getKey());
        });
        for (String f : List.of("report.html", "edges.csv", "endpoints.csv", "flow.graphml", "flow.gexf")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
    }
}
