package io.chaintrace.spark;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.StoreException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
        subcommands = {SparkCommand.Export.class, SparkCommand.Check.class})
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
            try (ChainStore cs = ChainStore.openReadOnly(store)) {
                SparkSession spark = Sessions.start(master, "chaintrace export parquet");
                try {
                    long started = System.nanoTime();
                    ParquetExport.Summary s = ParquetExport.write(spark, cs, out, force,
                            n -> System.err.printf("\rexport: %,d transactions", n));
                    System.err.println();
                    System.out.printf("exported to %s in %.1f s: %s%n", out, (System.nanoTime() - started) / 1e9, ParquetExport.counts(s));
                } finally {
                    spark.stop();
                }
            }
            return 0;
        }
    }

    /** {@code check --parquet DIR}: that an export (or a blockchain-etl conversion) has every table and column a job reads. */
    @Command(name = "check", mixinStandardHelpOptions = true, description = "Check a Parquet directory's tables and columns.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--parquet", required = true, description = "The directory of tables.")
        Path parquet;

        @Override
        public Integer call() {
            SparkSession spark = Sessions.start(null, "chaintrace check");
            try {
                ParquetTables.check(spark, parquet, List.copyOf(ParquetTables.ALL.keySet()));
                System.out.println(parquet + ": every table and column is there (" + String.join(", ", ParquetTables.ALL.keySet()) + ")");
            } finally {
                spark.stop();
            }
            return 0;
        }
    }
}
