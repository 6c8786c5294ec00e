package io.chaintrace.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code --threads}: one per core by default, at most four per core (more only queue for the cores and memory). */
final class Threads {
    private Threads() {
    }

    static int bounded(Integer requested, CommandSpec spec) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (requested == null) {
            return cores;
        }
        if (requested < 1 || requested > 4 * cores) {
            throw new ParameterException(spec.commandLine(), "--threads " + requested + ": from 1 to " + (4 * cores)
                    + " on this machine (" + cores + " cores)");
        }
        return requested;
    }
}
