package io.chaintrace.spark;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.StoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chaintrace export parquet} and {@code chaintrace spark ...}: the jobs that run on Spark, in their own JVM with
 * their own dependency tree (the {@code chaintrace} script starts this class for them). Errors are one line and an exit
 * code, as in the rest of the command.
 */
@Command(name = "chaintrace-spark", mixinStandardHelpOptions = true, description = "Chaintrace's jobs on Apache Spark.",
        subcommands = {SparkCommand.Export.class, SparkCommand.Check.class, SparkCommand.Batch.class, SparkCommand.Cluster.class,
        SparkCommand.Patterns.class})
public final class SparkCommand {
    @Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT, description = "Stack traces on errors.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new SparkCommand());
        boolean verbose = List.of(args).contains("-v") || List.of(args).contains("--verbose");
        cl.setExecutionExceptionHandler((e, line, parse) -> {
            int code = e instanceof IllegalArgumentException ? 1 : e instanceof StoreException ? 3 : e instanceof java.io.UncheckedIOException ? 6 : 4;
            line.getErr().println("chaintrace: error: " + (code == 4 ? "internal error: " + e : e.getMessage()));
            if (verbose) {
                e.printStackTrace(line.getErr());
            }
            return code;
        });
        return cl.execute(args);
    }

    /** {@code export parquet --store DIR --out DIR}: the store as Parquet tables. */
    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export the store: 'export parquet --store DIR --out DIR'.")
    static final class Export implements Callable<Integer> {
        @CommandLine.Parameters(index = "0", paramLabel = "FORMAT", description = "parquet")
        String format;

        @Option(names = "--store", required = true, description = "Store directory (read only).")
        Path store;

        @Option(names = "--out", required = true, description = "Directory for the tables (docs/PARQUET.md).")
        Path out;

        @Option(names = "--force", description = "Replace an export already in --out.")
        boolean force;

        @Option(names = "--master", description = "Spark master URL (default: local[*]).")
        String master;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (!format.equals("parquet")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "export writes parquet, not " + format);
            }
            try (ChainStore cs = ChainStore.openToScan(store)) {
                SparkSession spark = Sessions.start(master, "chaintrace export parquet");
                try {
                    long started = System.nanoTime();
                    ExportProgress progress = new ExportProgress();
                    ParquetExport.Summary s = ParquetExport.write(spark, cs, out, force, progress);
                    progress.end();
                    System.out.printf("exported to %s in %.1f s: %s%n", out, (System.nanoTime() - started) / 1e9, ParquetExport.counts(s));
                    System.err.println(Sessions.METRICS.summary());
                } finally {
                    spark.stop();
                }
            }
            return 0;
        }
    }

    /**
     * The export's count of transactions on stderr: redrawn in place on a terminal; into a file or a pipe (a log) a line
     * every ten seconds instead of a carriage return every 10,000 transactions (the whole run one line). Whether stderr
     * is a terminal the script says ({@code chaintrace.stderr.terminal}, as for the CLI's bars); else the JVM's console.
     */
    static final class ExportProgress implements LongConsumer {
        private final boolean terminal = Boolean.parseBoolean(System.getProperty("chaintrace.stderr.terminal",
                Boolean.toString(System.console() != null)));
        private long lastLine = System.nanoTime();
        private long last = -1;
        private long printed = -1;

        @Override
        public void accept(long n) {
            last = n;
            if (terminal) {
                System.err.printf("\rexport: %,d transactions", n);
            } else if (System.nanoTime() - lastLine >= 10_000_000_000L) {
                line(n);
            }
        }

        void end() {
            if (terminal) {
                System.err.println();
            } else if (last >= 0 && last != printed) {
                line(last);
            }
        }

        private void line(long n) {
            System.err.printf("export: %,d transactions%n", n);
            printed = n;
            lastLine = System.nanoTime();
        }
    }

    /** {@code check --parquet DIR}: that an export (or a blockchain-etl conversion) has every table and column a job reads. */
    @Command(name = "check", mixinStandardHelpOptions = true, description = "Check a Parquet directory's tables and columns.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--parquet", required = true, description = "The directory of tables: a Chaintrace, bitcoin-etl or ethereum-etl export (or a URI Spark reads: hdfs://, s3a://).")
        String parquet;

        @Override
        public Integer call() {
            SparkSession spark = Sessions.start(null, "chaintrace check");
            try {
                if (EthereumEtl.files(spark, parquet) != null) {
                    // Every row is read and checked: the transfers the account-chain jobs read, made as the import makes them.
                    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> t = Tables.read(spark, parquet, List.of("transfers")).get("transfers");
                    org.apache.spark.sql.Row c = t.selectExpr("count(*)", "count(distinct tx)", "count(distinct block)", "count_if(kind = 'token')")
                            .first();
                    System.out.printf("%s: an ethereum-etl export the jobs read: %,d transfers (%,d token transfers) in %,d transactions of %,d blocks%n",
                            parquet, c.getLong(0), c.getLong(3), c.getLong(1), c.getLong(2));
                } else if (BitcoinEtl.holds(spark, parquet)) {
                    // Every row is checked on the way in: what the jobs read, as the tables they read it as.
                    java.util.Map<String, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row>> t = Tables.read(spark, parquet,
                            List.of("transactions", "outputs", "inputs", "labels"));
                    System.out.printf("%s: a bitcoin-etl export the jobs read: %,d transactions, %,d outputs, %,d inputs (%,d resolved), %,d labels%n",
                            parquet, t.get("transactions").count(), t.get("outputs").count(), t.get("inputs").count(),
                            t.get("inputs").filter("status = 'resolved'").count(), t.get("labels").count());
                } else {
                    ParquetTables.check(spark, parquet, List.copyOf(ParquetTables.ALL.keySet()));
                    System.out.println(parquet + ": every table and column is there (" + String.join(", ", ParquetTables.ALL.keySet()) + ")");
                }
            } finally {
                spark.stop();
            }
            return 0;
        }
    }

    /**
     * {@code batch --parquet DIR --seeds F --out results.jsonl --policy poison|haircut --hops N}: forward taint for many seeds at
     * once, the same JSON lines as {@code chaintrace batch} (same fields, same numbers), written whole.
     */
    @Command(name = "batch", mixinStandardHelpOptions = true, description = "Forward taint (poison, haircut) for many seeds over the Parquet tables.")
    static final class Batch implements Callable<Integer> {
        @Option(names = "--parquet", required = true, description = "The tables (chaintrace export parquet, or a bitcoin-etl export): a directory or a URI Spark reads.")
        String parquet;

        @Option(names = "--seeds", required = true, description = "Seeds: one TXID:VOUT or TXID per line, or CSV with a header naming id and seed.")
        Path seeds;

        @Option(names = "--out", required = true, description = "Results, one JSON line per seed (replaced only with --force).")
        Path out;

        @Option(names = "--policy", defaultValue = "poison", description = "poison or haircut (FIFO, LIFO, TIHO: chaintrace batch, on one machine).")
        String policy;

        @Option(names = "--hops", defaultValue = "6", description = "Transactions to follow (default: ${DEFAULT-VALUE}).")
        int hops;

        @Option(names = "--stop-at", split = ",", defaultValue = "exchange,deposit,bridge,mixer,dex,sanctioned",
                description = "Label categories that end the trace (default: ${DEFAULT-VALUE}).")
        List<String> stopAt;

        @Option(names = "--force", description = "Replace --out.")
        boolean force;

        @Option(names = "--master", description = "Spark master URL (default: local[*]).")
        String master;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws java.io.IOException {
            if (!TaintBatch.POLICIES.contains(policy)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--policy " + policy + " does not run on Spark ("
                        + String.join(", ", TaintBatch.POLICIES) + " do); chaintrace batch runs every policy on one machine");
            }
            if (hops < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--hops is at least 1, not " + hops);
            }
            Committed.mayWrite(out, force);
            List<TaintBatch.SeedLine> lines = seedLines(seeds);
            SparkSession spark = Sessions.start(master, "chaintrace spark batch");
            List<TaintBatch.Result> results;
            java.util.Map<Integer, TaintBatch.SeedError> missing;
            try {
                results = TaintBatch.run(spark, parquet, lines, policy, hops, java.util.Set.copyOf(stopAt));
                missing = TaintBatch.missing(spark, lines);
            } finally {
                spark.stop();
            }
            StringBuilder sb = new StringBuilder("{\"chaintrace\":\"batch results\",\"format\":1}\n");
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            // A seed the tables do not hold gets chaintrace batch's error line, not an account of nothing.
            for (int i = 0; i < results.size(); i++) {
                sb.append(json.writeValueAsString(missing.containsKey(i) ? missing.get(i) : results.get(i))).append('\n');
            }
            Committed.text(out, sb, force); // a killed run leaves the old file or none
            System.out.printf("batch: %,d seeds traced, %,d not in the tables (error lines), %s, %d hops; results in %s%n",
                    results.size() - missing.size(), missing.size(), policy, hops, out);
            System.err.println(Sessions.METRICS.summary());
            return missing.isEmpty() ? 0 : 1; // as chaintrace batch: error lines written, the run exits non-zero
        }

        /** Seeds: CSV with a header naming id and seed, or one seed per line (its line number the id); # comments. */
        static List<TaintBatch.SeedLine> seedLines(Path file) throws java.io.IOException {
            List<String> raw = java.nio.file.Files.readAllLines(file);
            List<TaintBatch.SeedLine> lines = new java.util.ArrayList<>();
            int idColumn = -1;
            int seedColumn = -1;
            for (int n = 0; n < raw.size(); n++) {
                String line = raw.get(n).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",", -1);
                if (lines.isEmpty() && seedColumn < 0 && List.of(f).contains("seed")) {
                    idColumn = List.of(f).indexOf("id");
                    seedColumn = List.of(f).indexOf("seed");
                    continue;
                }
                String seed = (seedColumn >= 0 ? f[Math.min(seedColumn, f.length - 1)] : line).strip();
                if (!seed.matches("(?i)[0-9a-f]{64}(:[0-9]{1,9})?")) {
                    throw new IllegalArgumentException(file + " line " + (n + 1) + ": not TXID:VOUT or TXID (address seeds run on one machine:"
                            + " chaintrace batch): " + (seed.length() > 80 ? seed.substring(0, 80) + "…" : seed));
                }
                lines.add(new TaintBatch.SeedLine(idColumn >= 0 && idColumn < f.length ? f[idColumn].strip() : Integer.toString(n + 1), seed, n + 1));
            }
            return lines;
        }
    }

    /** {@code cluster --parquet DIR --out DIR}: the whole chain's Bitcoin clustering, written as an entities table. */
    @Command(name = "cluster", mixinStandardHelpOptions = true, description = "Cluster the chain's Bitcoin addresses over the Parquet tables.")
    static final class Cluster implements Callable<Integer> {
        @Option(names = "--parquet", required = true, description = "The tables (chaintrace export parquet, or a bitcoin-etl export): a directory or a URI Spark reads.")
        String parquet;

        @Option(names = "--out", required = true, description = "Directory (or URI) for the entities table (address, entity; replaced only with --force).")
        String out;

        @Option(names = "--force", description = "Replace --out.")
        boolean force;

        @Option(names = "--master", description = "Spark master URL (default: local[*]).")
        String master;

        @Override
        public Integer call() {
            SparkSession spark = Sessions.start(master, "chaintrace spark cluster");
            try {
                Committed.mayWriteTable(spark, out, force);
                long started = System.nanoTime();
                SparkClustering.Outcome o = SparkClustering.run(spark, parquet);
                Committed.table(spark, o.entities(), out, force);
                SparkClustering.Summary s = o.summary();
                System.out.printf("cluster: %,d transactions (%,d CoinJoins skipped), %,d multi-input and %,d change pairs;"
                        + " %,d entities of two or more holding %,d addresses (%d rounds of large-star/small-star) in %.1f s; written to %s%n",
                        s.transactions(), s.coinjoinsSkipped(), s.multiInputPairs(), s.changePairs(), s.entities(), s.addresses(), s.rounds(),
                        (System.nanoTime() - started) / 1e9, out);
                System.err.println(Sessions.METRICS.summary());
            } finally {
                spark.stop();
            }
            return 0;
        }
    }

    /** {@code patterns --parquet DIR --out alerts.jsonl}: fan-out, fan-in and pass-through over the whole chain. */
    @Command(name = "patterns", mixinStandardHelpOptions = true, description = "Pattern windows (fan-out, fan-in, pass-through) over the Parquet tables: Bitcoin's"
            + " transactions and Ethereum's transfers (the account-chain rules).")
    static final class Patterns implements Callable<Integer> {
        @Option(names = "--parquet", required = true, description = "The tables (chaintrace export parquet, a bitcoin-etl or an ethereum-etl export): a directory or a URI Spark reads.")
        String parquet;

        @Option(names = "--out", required = true, description = "Alerts, one JSON line each (replaced only with --force).")
        Path out;

        @Option(names = "--config", paramLabel = "FILE", description = "Detector thresholds as patterns.<setting> = value (the chaintrace config file).")
        Path config;

        @Option(names = "--force", description = "Replace --out.")
        boolean force;

        @Option(names = "--master", description = "Spark master URL (default: local[*]).")
        String master;

        @Option(names = "--chain", split = ",", paramLabel = "CHAIN", description = "bitcoin, ethereum or both (default: each chain the tables hold).")
        List<String> chains;

        @Override
        public Integer call() throws java.io.IOException {
            Committed.mayWrite(out, force);
            io.chaintrace.core.pattern.PatternSettings settings = settings(config);
            if (chains != null) {
                for (String c : chains) {
                    if (!List.of("bitcoin", "ethereum").contains(c)) {
                        throw new IllegalArgumentException("--chain: '" + c + "' is not bitcoin or ethereum");
                    }
                }
            }
            SparkSession spark = Sessions.start(master, "chaintrace spark patterns");
            try {
                long started = System.nanoTime();
                List<String> run = chains != null ? chains : Tables.chains(spark, parquet);
                if (run.isEmpty()) {
                    throw new IllegalArgumentException("parquet " + parquet + ": no Bitcoin transactions and no Ethereum transfers to search");
                }
                org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> found = null;
                if (run.contains("bitcoin")) {
                    found = SparkPatterns.run(spark, parquet, settings);
                }
                if (run.contains("ethereum")) {
                    var eth = SparkAccountPatterns.run(spark, parquet, settings);
                    found = found == null ? eth : found.union(eth);
                }
                List<org.apache.spark.sql.Row> alerts = found.orderBy("time", "pattern", "address").collectAsList();
                com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
                StringBuilder sb = new StringBuilder();
                java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
                for (org.apache.spark.sql.Row r : alerts) {
                    java.util.Map<String, Object> line = new java.util.LinkedHashMap<>();
                    line.put("pattern", r.getString(0));
                    line.put("address", r.isNullAt(1) ? null : r.getString(1));
                    line.put("transactions", r.getList(2));
                    line.put("time", r.getLong(3));
                    sb.append(json.writeValueAsString(line)).append('\n');
                    counts.merge(r.getString(0), 1, Integer::sum);
                }
                Committed.text(out, sb, force);
                System.out.printf("patterns: %,d alerts %s in %.1f s; written to %s%n", alerts.size(), counts,
                        (System.nanoTime() - started) / 1e9, out);
                System.err.println(Sessions.METRICS.summary());
            } finally {
                spark.stop();
            }
            return 0;
        }

        /** The defaults, or the {@code patterns.*} lines of a config file (the format {@code chaintrace --config} reads). */
        static io.chaintrace.core.pattern.PatternSettings settings(Path config) throws java.io.IOException {
            if (config == null) {
                return io.chaintrace.core.pattern.PatternSettings.defaults();
            }
            java.util.Properties p = new java.util.Properties();
            try (var r = java.nio.file.Files.newBufferedReader(config)) {
                p.load(r);
            }
            java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
            for (String k : p.stringPropertyNames()) {
                if (k.startsWith("patterns.")) {
                    m.put(k.substring("patterns.".length()), p.getProperty(k));
                }
            }
            try {
                return io.chaintrace.core.pattern.PatternSettings.of(m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(config + ": " + e.getMessage());
            }
        }
    }
}
