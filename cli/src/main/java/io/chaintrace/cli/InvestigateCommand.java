package io.chaintrace.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code chaintrace investigate}: the first hour in one command. Fetches the seed's neighbourhood
 * ({@code fetch btc}, or {@code fetch eth --explorer}), traces it with patterns flagged ({@code trace --patterns}) and writes the
 * report; each step is the command of its own, run with the same options, so the store it leaves
 * can be traced again and widened by hand.
 */
@Command(name = "investigate", mixinStandardHelpOptions = true,
        description = {"From a stolen-funds address, transaction or output, with no node: fetch its neighbourhood from an Esplora API",
            "(or, backward only, from a Bitcoin Core node; for an Ethereum address, from an Etherscan-compatible explorer),",
            "trace it (patterns flagged) and write the report. The same as fetch btc|eth, then trace --patterns --report."})
final class InvestigateCommand implements Callable<Integer> {
    @Option(names = "--seed", required = true, description = "Address, txid or txid:vout of the theft.")
    String seed;

    @Option(names = "--esplora", paramLabel = "URL", description = "Esplora API base, e.g. https://mempool.space/api.")
    String esplora;

    @Option(names = "--rpc", paramLabel = "URL", description = "Or a Bitcoin Core node with -txindex: backward only (--direction backward).")
    String rpc;

    @Option(names = "--rpc-cookie", paramLabel = "FILE", description = "With --rpc: the node's cookie file for the credentials.")
    Path cookie;

    @Option(names = "--explorer", paramLabel = "URL",
            description = "Or, for an Ethereum address, an Etherscan-compatible API: https://api.etherscan.io/v2/api?chainid=1, a Blockscout's /api.")
    String explorer;

    @Option(names = "--api-key-env", paramLabel = "VAR", description = "With --explorer: the environment variable holding the API key.")
    String apiKeyEnv;

    @Option(names = "--hops", defaultValue = "4", description = "Hops to fetch and trace (default: ${DEFAULT-VALUE}).")
    int hops;

    @Option(names = "--policy", defaultValue = "haircut", description = "poison, haircut, fifo, lifo or tiho (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--direction", defaultValue = "forward", description = "forward or backward (default: ${DEFAULT-VALUE}).")
    String direction;

    @Option(names = "--report", required = true, paramLabel = "DIR", description = "Where the report goes (HTML, JSON, CSV, GraphML, GEXF).")
    Path report;

    @Option(names = "--store", description = "Store for the fetched neighbourhood (default: the report's directory name + .store beside it).")
    Path store;

    @Option(names = "--force", description = "Replace a report already in the --report directory.")
    boolean force;

    @Option(names = "--max-requests", paramLabel = "N", description = "Stop the fetch after this many requests (default: no limit).")
    Long maxRequests;

    @Option(names = "--requests-per-second", defaultValue = "0", paramLabel = "N", description = "Ceiling on the request rate (default: none).")
    double rate;

    @Option(names = "--no-progress", description = "Do not print the fetch's progress.")
    boolean noProgress;

    @ParentCommand
    Chaintrace root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if ((esplora != null ? 1 : 0) + (rpc != null ? 1 : 0) + (explorer != null ? 1 : 0) != 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give one of --esplora URL (an Esplora API: mempool.space,"
                    + " blockstream.info or your own), --rpc URL (a Bitcoin Core node with -txindex; backward only) or, for an Ethereum"
                    + " address, --explorer URL (an Etherscan-compatible API)");
        }
        Path s = store != null ? store : report.toAbsolutePath().resolveSibling(report.getFileName() + ".store");
        List<String> fetch = new ArrayList<>(List.of("fetch", explorer != null ? "eth" : "btc", "--seed", seed, "--hops",
                String.valueOf(hops), "--direction", direction, "--store", s.toString(), "--requests-per-second", String.valueOf(rate)));
        if (explorer != null) {
            fetch.addAll(List.of("--explorer", explorer));
            if (apiKeyEnv != null) {
                fetch.addAll(List.of("--api-key-env", apiKeyEnv));
            }
        } else if (esplora != null) {
            fetch.addAll(List.of("--esplora", esplora));
        } else {
            fetch.addAll(List.of("--rpc", rpc));
            if (cookie != null) {
                fetch.addAll(List.of("--rpc-cookie", cookie.toString()));
            }
        }
        if (noProgress) {
            fetch.add("--no-progress");
        }
        if (maxRequests != null) {
            fetch.addAll(List.of("--max-requests", String.valueOf(maxRequests)));
        }
        List<String> trace = new ArrayList<>(List.of("trace", "--store", s.toString(), "--seed", seed, "--hops", String.valueOf(hops),
                "--policy", policy, "--direction", direction, "--patterns", "--report", report.toString()));
        if (force) {
            trace.add("--force");
        }
        if (root.verbose) {
            fetch.addFirst("-v");
            trace.addFirst("-v");
        }
        int code = Chaintrace.run(fetch.toArray(String[]::new));
        if (code != ExitCode.OK) {
            return code;
        }
        code = Chaintrace.run(trace.toArray(String[]::new));
        if (code == ExitCode.OK) {
            System.err.println("store: " + s + " (chaintrace trace --store " + s + " ... to trace it again; fetch " + (explorer != null ? "eth"
                    : "btc") + " again to widen it)");
        }
        return code;
    }
}
