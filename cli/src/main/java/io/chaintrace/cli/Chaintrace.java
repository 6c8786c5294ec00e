package io.chaintrace.cli;

import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.StoreException;
import io.chaintrace.ingest.Secrets;
import io.chaintrace.ingest.btc.BlockFileException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Entry point of the {@code chaintrace} command. */
@Command(name = "chaintrace", mixinStandardHelpOptions = true, version = "chaintrace " + Chaintrace.VERSION,
        description = "Follows stolen cryptocurrency across Bitcoin and Ethereum.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:bad input (block file, export row, address, seed)", "2:usage error",
            "3:store missing, locked or corrupt", "4:internal error (rerun with -v and report)",
            "5:a remote service failed (a node or an Esplora API: unreachable or erring after retries, credentials refused,"
                    + " RPC error, wrong chain, no traces)",
            "6:an output (report, results file) cannot be written: disk full or not writable"})
public final class Chaintrace {
    /** The version in reports, JSON and {@code --version}. */
    public static final String VERSION = "0.1.0";

    @Option(names = {"-v", "--verbose"}, description = "Print detail, and stack traces on errors.",
            scope = CommandLine.ScopeType.INHERIT)
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code (used by tests that run it in-process). */
    public static int run(String... args) {
        return run(null, System.getenv("CHAINTRACE_CONFIG"), args);
    }

    /**
     * Runs the command as if started in {@code cwd} with {@code $CHAINTRACE_CONFIG} = {@code envConfig} (null or blank:
     * unset): how the daemon runs a client's command. Relative paths in options are resolved against {@code cwd}; null is
     * this process's own directory.
     */
    public static int run(Path cwd, String envConfig, String... args) {
        boolean verbose = Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose");
        if (verbose) {
            // Read when SLF4J starts; the default (warn) is in simplelogger.properties.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        Chaintrace root = new Chaintrace();
        CommandLine cl = new CommandLine(root);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine.getErr(), verbose));
        try {
            ConfigFile config = ConfigFile.from(args, cwd, envConfig);
            addCommands(cl, args, config.isEmpty());
            if (cwd != null) {
                // Registered after the commands are added: picocli gives a converter to the commands present at the time.
                cl.registerConverter(Path.class, cwd::resolve);
            }
            config.check(cl);
            cl.setDefaultValueProvider(config);
            root.patterns = config.patterns();
        } catch (IllegalArgumentException e) {
            return report(e, cl.getErr(), verbose);
        }
        return cl.execute(args);
    }

    /**
     * The subcommands, in the order the help lists them; each a class named in a lambda, so that naming it loads nothing.
     * Building picocli's model of a command reads every option's annotations and loads the classes they name: for all
     * commands that was most of a trace's start before the store opened (0.7 s of a 1.5 s trace on a busy 2-core machine;
     * the trace command's alone is 0.14 s on a quiet one), so a run builds only its own.
     */
    private static final Map<String, Supplier<Class<?>>> COMMANDS = commands();

    private static Map<String, Supplier<Class<?>>> commands() {
        Map<String, Supplier<Class<?>>> m = new LinkedHashMap<>();
        m.put("demo", () -> DemoCommand.class);
        m.put("investigate", () -> InvestigateCommand.class);
        m.put("ingest", () -> IngestCommand.class);
        m.put("fetch", () -> FetchCommand.class);
        m.put("labels", () -> LabelsCommand.class);
        m.put("stats", () -> StatsCommand.class);
        m.put("trace", () -> TraceCommand.class);
        m.put("patterns", () -> PatternsCommand.class);
        m.put("cluster", () -> ClusterCommand.class);
        m.put("batch", () -> BatchCommand.class);
        m.put("serve", () -> ServeCommand.class);
        m.put("daemon", () -> DaemonCommand.class);
        m.put("generate-completion", () -> picocli.AutoComplete.GenerateCompletion.class);
        m.put("help", () -> CommandLine.HelpCommand.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The whole command: every subcommand, as the help lists them. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Chaintrace());
        addCommands(cl, new String[0], true);
        return cl;
    }

    /**
     * Adds the command the arguments name (the first argument that is a command's name), or every command when they name
     * none (the top-level help, a mistyped name: picocli lists or suggests them), name {@code help} or
     * {@code generate-completion} (which read the others), or a config file is given (its keys are checked against every
     * command's options).
     */
    static void addCommands(CommandLine cl, String[] args, boolean noConfig) {
        String named = Arrays.stream(args).filter(COMMANDS::containsKey).findFirst().orElse(null);
        boolean one = noConfig && named != null && !named.equals("help") && !named.equals("generate-completion");
        COMMANDS.forEach((name, type) -> {
            if (!one || name.equals(named)) {
                cl.addSubcommand(name, type.get());
            }
        });
    }

    /** The detector thresholds of this run: the defaults, or what the config file set. */
    private PatternSettings patterns = PatternSettings.defaults();

    /** The detector thresholds of this run, for the commands under it. */
    PatternSettings patterns() {
        return patterns;
    }

    @Option(names = "--config", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Config file (Java properties): option defaults as <command>.<option> = value, detector thresholds as"
                    + " patterns.<setting> = value. Default: $CHAINTRACE_CONFIG, if set.")
    Path config;

    /** What went wrong with a file, in words: Java's file exceptions give only the path. */
    private static String ioMessage(java.io.IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file or directory: " + n.getFile();
            case java.nio.file.AccessDeniedException a -> "permission denied: " + a.getFile();
            case java.nio.file.FileAlreadyExistsException a -> "already exists: " + a.getFile();
            default -> String.valueOf(e.getMessage());
        };
    }

    private static int report(Exception e, PrintWriter err, boolean verbose) {
        int code;
        String message;
        switch (e) {
            case io.chaintrace.ingest.ServiceException n -> {
                code = ExitCode.NODE;
                message = n.getMessage();
            }
            case io.chaintrace.ingest.CorruptAnswerException c -> {
                code = ExitCode.BAD_INPUT;
                message = c.getMessage();
            }
            case io.chaintrace.ingest.eth.EtlFiles.EtlFormatException f -> {
                code = ExitCode.BAD_INPUT;
                message = f.getMessage();
            }
            case BlockFileException b -> {
                code = ExitCode.BAD_INPUT;
                message = b.getMessage();
            }
            case UtxoTracer.SeedNotFoundException s -> {
                code = ExitCode.BAD_INPUT;
                message = s.getMessage() + " (ingest the blocks that hold it first: chaintrace ingest btc-blocks <blocks dir> --store DIR)";
            }
            case io.chaintrace.core.account.AccountTracer.SeedNotFoundException s -> {
                code = ExitCode.BAD_INPUT;
                message = s.getMessage() + " (fetch its neighbourhood first: chaintrace fetch eth --explorer URL (or --rpc URL) --seed ADDRESS"
                        + " --hops N --store DIR, or ingest its blocks: chaintrace ingest eth --rpc URL --from A --to B --store DIR)";
            }
            case IllegalArgumentException i -> {
                code = ExitCode.BAD_INPUT;
                message = i.getMessage();
            }
            case java.io.UncheckedIOException u -> {
                code = ExitCode.OUTPUT;
                message = ioMessage(u.getCause());
            }
            case java.io.IOException io -> {
                code = ExitCode.OUTPUT;
                message = ioMessage(io);
            }
            case StoreException s -> {
                code = ExitCode.STORE;
                message = s.getMessage();
            }
            default -> {
                code = ExitCode.INTERNAL;
                message = "internal error: " + e + " (rerun with -v for the stack trace, and report it)";
            }
        }
        // Credentials handed in with a service URL never reach the terminal, even inside a library's message.
        err.println("chaintrace: error: " + Secrets.scrub(message));
        if (verbose) {
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(Secrets.scrub(trace.toString()));
        }
        err.flush();
        return code;
    }
}
