package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
        collect(Chaintrace.commandLine(), new ArrayList<>(), paths);
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

    /**
     * Usage errors of {@code trace} exit 2 with one line that names the valid values: a mistyped policy or category printed
     * "No enum constant io.chaintrace..." or exited 1, a missing seed exited 1.
     */
    @Test
    void usageErrorsOfTraceExit2AndNameTheValidValues() {
        String s = store.toString();
        String seed = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0";
        TestData.Run policy = TestData.run("trace", "--store", s, "--seed", seed, "--policy", "haircutt");
        assertEquals(ExitCode.USAGE, policy.exit(), policy.err());
        assertTrue(policy.err().contains("unknown taint policy 'haircutt' (known: poison, haircut, fifo, lifo, tiho)"), policy.err());
        TestData.Run stop = TestData.run("trace", "--store", s, "--seed", seed, "--stop-at", "exchnage");
        assertEquals(ExitCode.USAGE, stop.exit(), stop.err());
        assertTrue(stop.err().contains("unknown label category 'exchnage' (known: exchange, deposit, mixer, bridge, dex, sanctioned"), stop.err());
        assertTrue(!stop.err().contains("No enum constant"), stop.err());
        TestData.Run none = TestData.run("trace", "--store", s);
        assertEquals(ExitCode.USAGE, none.exit(), none.err());
        assertTrue(none.err().contains("no seed: give --seed SEED"), none.err());
        TestData.Run direction = TestData.run("trace", "--store", s, "--seed", seed, "--direction", "sideways");
        assertEquals(ExitCode.USAGE, direction.exit(), direction.err());
        assertTrue(direction.err().contains("--direction is forward or backward, not sideways"), direction.err());
        TestData.Run format = TestData.run("trace", "--store", s, "--seed", seed, "--format", "svg");
        assertEquals(ExitCode.USAGE, format.exit(), format.err());
        assertTrue(format.err().contains("unknown --format 'svg' (text, json, graphml, gexf, dot, jgrapht-json)"), format.err());
    }

    /** {@code --no-progress} is taken by every long command: {@code ingest eth-etl} refused it as an unknown option. */
    @Test
    void ethEtlTakesNoProgress() throws Exception {
        Path d = TestData.shared().resolve("data/eth/etl/test_stream/blocks_17173049_17173050");
        TestData.Run r = TestData.run("ingest", "eth-etl", d.resolve("expected_blocks.json").toString(), d.resolve("expected_transactions.json").toString(),
                "--store", dir.resolve("etl").toString(), "--no-progress");
        assertEquals(0, r.exit(), r.err());
        TestData.Run stats = TestData.run("stats", "--store", dir.resolve("etl").toString());
        assertTrue(stats.out().contains("ethBlocks         2"), stats.out());
        // Per chain: an Ethereum store shows no Bitcoin zeros ("blocks 0, txs 0"), and its transactions and addresses.
        assertTrue(stats.out().startsWith("Ethereum\n") && !stats.out().contains("Bitcoin") && !stats.out().contains("\ntxs "), stats.out());
        JsonNode json = new ObjectMapper().readTree(TestData.run("stats", "--store", dir.resolve("etl").toString(), "--json").out());
        // From transactions alone a transaction moves at most one transfer (its value).
        assertEquals(json.get("ethTransfers").asLong(), json.get("ethTransactions").asLong());
        assertTrue(json.get("ethAddresses").asLong() > 0 && json.get("ethAddresses").asLong() <= 2 * json.get("ethTransfers").asLong(), json.toString());
        assertEquals(0, json.get("btcAddresses").asLong());
    }

    /** Ethereum text output in ETH with its decimals, as the JSON's base units say: it printed 12227317390090853395. */
    @Test
    void ethereumTextIsInEth() throws Exception {
        Path d = TestData.shared().resolve("data/eth/etl/test_stream/blocks_17173049_17173050");
        Path etl = dir.resolve("etl-text");
        assertEquals(0, TestData.run("ingest", "eth-etl", d.resolve("expected_blocks.json").toString(),
                d.resolve("expected_transactions.json").toString(), "--store", etl.toString(), "--no-progress").exit());
        JsonNode paid = null;
        for (String line : Files.readAllLines(d.resolve("expected_transactions.json"))) {
            JsonNode t = new ObjectMapper().readTree(line);
            if (t.get("receipt_status").asInt() == 1 && t.get("value").bigIntegerValue().compareTo(java.math.BigInteger.TEN.pow(18)) > 0) {
                paid = t;
                break;
            }
        }
        String seed = paid.get("to_address").asText() + "@" + paid.get("hash").asText();
        TestData.Run text = TestData.run("trace", "--store", etl.toString(), "--seed", seed);
        assertEquals(0, text.exit(), text.err());
        String eth = new java.math.BigDecimal(paid.get("value").bigIntegerValue(), 18).stripTrailingZeros().toPlainString();
        assertTrue(text.out().startsWith("haircut ETH: seeded " + eth + " ETH, "), text.out());
        TestData.Run json = TestData.run("trace", "--store", etl.toString(), "--seed", seed, "--json");
        assertEquals(paid.get("value").bigIntegerValue().toString(),
                new ObjectMapper().readTree(json.out()).get("assets").get(0).get("account").get("seeded").asText());
    }

    /** Completion offers the values of --policy, --direction, --stop-at, --format and --level (it offered none). */
    @Test
    void completionOffersTheValues() {
        TestData.Run r = TestData.run("generate-completion");
        assertEquals(0, r.exit(), r.err());
        for (String values : List.of("poison haircut fifo lifo tiho", "forward backward", "text json graphml gexf dot jgrapht-json",
                "tx address entity", "exchange deposit mixer bridge dex sanctioned theft scam other")) {
            String quoted = "(\"" + values.replace(" ", "\" \"") + "\")";
            assertTrue(r.out().contains(quoted), quoted);
        }
    }

    /**
     * A run builds picocli's model of its own command only (most of a trace's start-up was building every command's);
     * the help, a mistyped name and a config file (checked against every command's options) get them all.
     */
    @Test
    void aRunBuildsOnlyTheCommandItNames() {
        java.util.function.BiFunction<Boolean, String[], java.util.Set<String>> built = (noConfig, args) -> {
            CommandLine cl = new CommandLine(new Chaintrace());
            Chaintrace.addCommands(cl, args, noConfig);
            return cl.getSubcommands().keySet();
        };
        Set<String> all = Chaintrace.commandLine().getSubcommands().keySet();
        assertTrue(all.containsAll(Set.of("demo", "trace", "batch", "ingest", "help", "serve")), all.toString());
        assertEquals(Set.of("trace"), built.apply(true, new String[] {"-v", "trace", "--store", "s", "--seed", "batch"}));
        assertEquals(Set.of("ingest"), built.apply(true, new String[] {"ingest", "btc-blocks", "x"}));
        assertEquals(all, built.apply(true, new String[] {"help", "trace"}));
        assertEquals(all, built.apply(true, new String[] {"tracee", "--store", "s"}));
        assertEquals(all, built.apply(true, new String[] {"--help"}));
        assertEquals(all, built.apply(false, new String[] {"trace", "--store", "s"}));
        // And what the user sees is the same: a subcommand's help, a mistyped name's suggestion.
        assertTrue(TestData.run("trace", "--help").out().startsWith("Usage: chaintrace trace"));
        TestData.Run typo = TestData.run("tracee");
        assertEquals(2, typo.exit());
        assertTrue(typo.err().contains("trace"), typo.err());
    }

    /** batch followed 3 hops where trace follows 6, and its progress counted the CSV header as a seed ("6/6 seeds" for 5). */
    @Test
    void batchFollowsAsManyHopsAsTraceAndCountsOnlyItsSeeds() throws Exception {
        CommandLine cli = Chaintrace.commandLine();
        assertEquals(cli.getSubcommands().get("trace").getCommandSpec().findOption("--hops").defaultValue(),
                cli.getSubcommands().get("batch").getCommandSpec().findOption("--hops").defaultValue());
        Path seeds = dir.resolve("five.csv");
        Files.writeString(seeds, "id,seed\n# the five seeds of a case\n\na,0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0\n"
                + "b,9b0fc92260312ce44e74ef369f5c66bbb85848f2eddd5a7a1cde251e54ccfdd5:0\nc,999e1c837c76a1b7fbb7e57baf87b309960f5ffefbf2a9b95dd890602272f644:0\n"
                + "d,df2b060fa2e5e9c8ed5eaf6a45c13753ec8c63282b2688322eba40cd98ea067a:0\ne,63522845d294ee9b0188ae5cac91bf389a0c3723f084ca1025e7d9cdfe481ce1:0\n");
        assertEquals(5, io.chaintrace.cli.app.BatchRun.countSeeds(seeds));
    }

    /** --policy all was rejected and --policy could not repeat: the report's comparison section stayed empty for any trace but the demo. */
    @Test
    void everyPolicyAskedIsTracedAndCompared() throws Exception {
        String seed = demo.get("parameters").get("bitcoinSeeds").get(0).asText();
        Path to = dir.resolve("all-policies");
        TestData.Run r = TestData.run("trace", "--store", store.toString(), "--seed", seed, "--hops", "4", "--policy", "all", "--report", to.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals(5, r.out().lines().filter(l -> l.startsWith("== policy ")).count(), r.out());
        JsonNode report = new ObjectMapper().readTree(to.resolve("report.json").toFile());
        List<String> compared = new ArrayList<>();
        for (JsonNode row : report.get("policies")) {
            compared.add(row.get("policy").asText());
            // Each row is that policy's own trace: the same amounts per entity as trace --json under it.
            JsonNode alone = new ObjectMapper().readTree(TestData.run("trace", "--store", store.toString(), "--seed", seed, "--hops", "4",
                    "--policy", row.get("policy").asText(), "--json").out());
            alone.get("endpointsByEntity").properties().forEach(e -> assertEquals(
                    new java.math.BigDecimal(e.getValue().asLong()).movePointLeft(8).stripTrailingZeros().toPlainString(),
                    new java.math.BigDecimal(row.get("byEntity").get(e.getKey()).asText()).stripTrailingZeros().toPlainString(),
                    row.get("policy").asText() + " " + e.getKey()));
        }
        assertEquals(List.of("poison", "haircut", "fifo", "lifo", "tiho"), compared);
        assertTrue(report.get("parameters").get("command").asText().contains("--policy all"), report.get("parameters").toString());
        // Repeated, in JSON: one document per policy, in the order asked.
        TestData.Run two = TestData.run("trace", "--store", store.toString(), "--seed", seed, "--hops", "4", "--policy", "fifo", "--policy",
                "lifo", "--json");
        assertEquals(0, two.exit(), two.err());
        JsonNode docs = new ObjectMapper().readTree(two.out()).get("policies");
        assertEquals(List.of("fifo", "lifo"), List.of(docs.get(0).get("policy").asText(), docs.get(1).get("policy").asText()));
        // A misspelt one among them is a usage error naming the valid ones.
        TestData.Run bad = TestData.run("trace", "--store", store.toString(), "--seed", seed, "--policy", "haircut,fifoo");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("unknown taint policy 'fifoo' (known: poison, haircut, fifo, lifo, tiho)"), bad.err());
    }

    /** Nothing said what the data covers: the demo's report names its version, store format and both chains' ranges. */
    @Test
    void theReportSaysWhatTheDataCovers() {
        JsonNode data = demo.get("parameters").get("data");
        assertEquals(Chaintrace.VERSION, demo.get("parameters").get("chaintrace").asText());
        assertTrue(data.get("storeFormat").asText().startsWith("chaintrace-store-"), data.toString());
        JsonNode btc = data.get("bitcoin");
        assertEquals("0-" + (btc.get("blocks").asInt() - 1), btc.get("heights").asText(), data.toString());
        assertEquals("not spent by block " + (btc.get("blocks").asInt() - 1), btc.get("unspentMeans").asText());
        JsonNode eth = data.get("ethereum");
        String[] numbers = eth.get("numbers").asText().split("-");
        assertTrue(Long.parseLong(numbers[0]) <= Long.parseLong(numbers[1]), data.toString());
        assertTrue(eth.get("blocks").asLong() > 0 && eth.get("blocks").asLong() <= Long.parseLong(numbers[1]) - Long.parseLong(numbers[0]) + 1,
                data.toString());
        assertTrue(java.time.Instant.parse(eth.get("from").asText()).isBefore(java.time.Instant.parse(eth.get("to").asText())), data.toString());
        // Where it came from (kinds of source, blocks each wrote), whose labels (sources, counts), and the store's digest.
        assertEquals(btc.get("blocks").asLong(), data.get("sources").get("btc-blocks").asLong(), data.toString());
        assertTrue(data.get("sources").has("eth-etl"), data.toString());
        assertTrue(data.get("labelSources").get("demo").get("deposit").asLong() > 0, data.toString());
        TestData.Run digest = TestData.run("stats", "--store", store.toString(), "--digest");
        assertEquals(0, digest.exit(), digest.err());
        assertEquals(data.get("storeDigest").asText(), digest.out().strip());
    }

    /** A label's own category is kept beside the normalised one: "gambling" and "suspect" both became "other". */
    @Test
    void labelsKeepTheirSourcesCategory() throws Exception {
        Path csv = dir.resolve("own-words.csv");
        Files.writeString(csv, "chain,address,label,category,source\n"
                + "ethereum,0x00000000000000000000000000000000000000a1,Stake,gambling,casinos\n"
                + "ethereum,0x00000000000000000000000000000000000000a2,Someone,suspect,tips\n"
                + "ethereum,0x00000000000000000000000000000000000000a3,Binance 14,exchange,exchanges\n");
        String s = dir.resolve("labels-store").toString();
        assertEquals(0, TestData.run("labels", "import", csv.toString(), "--store", s).exit());
        TestData.Run gambling = TestData.run("labels", "show", "0x00000000000000000000000000000000000000a1", "--store", s);
        assertTrue(gambling.out().contains("other") && gambling.out().contains("its category: gambling"), gambling.out());
        TestData.Run suspect = TestData.run("labels", "show", "0x00000000000000000000000000000000000000a2", "--store", s);
        assertTrue(suspect.out().contains("its category: suspect"), suspect.out());
        TestData.Run exchange = TestData.run("labels", "show", "0x00000000000000000000000000000000000000a3", "--store", s);
        assertTrue(exchange.out().contains("exchange") && !exchange.out().contains("its category"), exchange.out());
    }
}
