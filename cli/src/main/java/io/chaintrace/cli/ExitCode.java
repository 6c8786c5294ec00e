package io.chaintrace.cli;

/** Exit codes of the chaintrace command (documented in the README). */
public final class ExitCode {
    /** Done. */
    public static final int OK = 0;
    /** Bad input: a damaged block file, an invalid address or seed, a seed not in the store. */
    public static final int BAD_INPUT = 1;
    /** The command line itself is wrong (picocli's usage error). */
    public static final int USAGE = 2;
    /** The store cannot be used: missing, locked by another process, corrupt. */
    public static final int STORE = 3;
    /** A bug: please report it with the output of -v. */
    public static final int INTERNAL = 4;
    /** The Ethereum node failed: unreachable after retries, a permanent RPC error, another chain, no traces. */
    public static final int NODE = 5;
    /** An output (report, results file) cannot be written: the disk is full, or it is not writable; nothing half-written is left. */
    public static final int OUTPUT = 6;

    private ExitCode() {
    }
}
