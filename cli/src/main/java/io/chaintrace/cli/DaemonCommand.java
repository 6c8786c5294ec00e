package io.chaintrace.cli;

import io.chaintrace.cli.daemon.CommandDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chaintrace daemon run}: the resident process that answers {@code trace} and {@code stats} without a JVM's start
 * each time. The script's {@code ./chaintrace daemon start|status|stop} run it in the background and talk to it.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = {"A warm chaintrace process for quick commands: while it runs,",
            "./chaintrace hands it 'trace' and 'stats' (the same output and exit code,",
            "in a fraction of the time). './chaintrace daemon start' runs it in the",
            "background, 'status' and 'stop' talk to it; 'run' runs it here. Only its",
            "user can use it (127.0.0.1, a token in a private directory); it holds no",
            "store between commands."})
final class DaemonCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "run", description = "run (start, status and stop are the script's).")
    String action;

    @Option(names = "--dir", required = true, paramLabel = "DIR",
            description = "Where it announces its port and token (./chaintrace gives $CHAINTRACE_DAEMON_DIR, else cli/target/daemon).")
    Path dir;

    @Option(names = "--idle-minutes", defaultValue = "180", paramLabel = "MINUTES", description = "Stop after this long without a command (default: ${DEFAULT-VALUE}).")
    long idleMinutes;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        if (!action.equals("run")) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(),
                    "daemon: 'run' here; './chaintrace daemon start|status|stop' for the others, not '" + action + "'");
        }
        if (idleMinutes < 1) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "--idle-minutes is at least 1, not " + idleMinutes);
        }
        try (CommandDaemon d = CommandDaemon.bind(dir, Chaintrace::run, Duration.ofMinutes(idleMinutes))) {
            d.serve();
        } catch (IllegalStateException running) {
            System.err.println("chaintrace: " + running.getMessage());
            return ExitCode.USAGE;
        }
        return ExitCode.OK;
    }
}
