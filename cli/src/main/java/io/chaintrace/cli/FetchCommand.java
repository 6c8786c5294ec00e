package io.chaintrace.cli;

import io.chaintrace.cli.app.IngestProgress;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.btc.BitcoinCoreRpc;
import io.chaintrace.ingest.btc.CoreRpcTransactions;
import io.chaintrace.ingest.btc.EsploraApi;
import io.chaintrace.ingest.btc.NeighbourhoodFetch;
import io.chaintrace.ingest.btc.TransactionService;
import io.chaintrace.ingest.eth.EthRpcClient;
import io.chaintrace.ingest.eth.EthSeedFetcher;
import io.chaintrace.ingest.eth.ExplorerApi;
import io.chaintrace.ingest.eth.ExplorerFetch;
import io.chaintrace.ingest.remote.HttpService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.bitcoinj.base.BitcoinNetwork;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code chaintrace fetch btc|eth}: pull only a seed's neighbourhood from a service or a node. */
@Command(name = "fetch", mixinStandardHelpOptions = true, description = "Pull the neighbourhood of a seed from a service or a node.",
        subcommands = {FetchCommand.Btc.class, FetchCommand.Eth.class})
final class FetchCommand {

    @Command(name = "btc", mixinStandardHelpOptions = true,
            description = {"Fetch a Bitcoin seed's neighbourhood from an Esplora API (mempool.space, blockstream.info or your own),",
                "hop by hop: enough that a trace of up to --hops hops over it gives what whole blocks give. Beyond it",
                "traces stop with 'not fetched', never 'unspent'. Needs no node; rerun with more hops to widen it.",
                "Or backward only, from a transaction or output, from a Bitcoin Core node with -txindex (--rpc URL):",
                "Core keeps no index of spends or addresses. Credentials as for ingest btc-rpc."})
    static final class Btc implements Callable<Integer> {
        @Option(names = "--esplora", paramLabel = "URL", description = "Esplora API base, e.g. https://mempool.space/api.")
        String esplora;

        @Option(names = "--rpc", paramLabel = "URL", description = "Or a Bitcoin Core node with -txindex (backward only).")
        String rpc;

        @Option(names = "--rpc-cookie", paramLabel = "FILE", description = "With --rpc: the node's cookie file for the credentials.")
        Path cookie;

        @Option(names = "--seed", required = true, description = "Address, txid or txid:vout to start from.")
        String seed;

        @Option(names = "--hops", defaultValue = "3", description = "Hops a trace will take (default: ${DEFAULT-VALUE}).")
        int hops;

        @Option(names = "--direction", defaultValue = "forward", description = "forward, backward or both (default: ${DEFAULT-VALUE}).")
        String direction;

        @Option(names = "--since", description = "Backward: follow no transaction before this time (unix seconds or ISO-8601).")
        String since;

        @Option(names = "--until", description = "Forward: follow no transaction after this time (unix seconds or ISO-8601).")
        String until;

        @Option(names = "--max-requests", paramLabel = "N", description = "Stop after this many requests (default: no limit).")
        Long maxRequests;

        @Option(names = "--max-transactions", paramLabel = "N", description = "Stop after this many transactions (default: no limit).")
        Long maxTransactions;

        @Option(names = "--requests-per-second", defaultValue = "0", paramLabel = "N",
                description = "Ceiling on the request rate (default: none; public APIs ask for a few per second).")
        double rate;

        @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Per request (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Option(names = "--network", defaultValue = "main", description = "main, test, signet or regtest: how addresses are written (default: ${DEFAULT-VALUE}).")
        String network;

        @Option(names = "--store", required = true, description = "Store directory (created if missing).")
        Path store;

        @Option(names = "--no-progress", description = "Do not print progress.")
        boolean noProgress;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if ((esplora == null) == (rpc == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give one of --esplora URL (an Esplora API) or --rpc URL (a"
                        + " Bitcoin Core node with -txindex)");
            }
            Seed s = Seed.parse(seed);
            boolean forward = switch (direction.toLowerCase(java.util.Locale.ROOT)) {
                case "forward", "both" -> true;
                case "backward" -> false;
                default -> throw new IllegalArgumentException("--direction " + direction + ": forward, backward or both");
            };
            boolean backward = !direction.equalsIgnoreCase("forward");
            if (timeout < 1) {
                throw new IllegalArgumentException("--timeout must be at least 1 second");
            }
            NeighbourhoodFetch.Settings settings = new NeighbourhoodFetch.Settings(hops, forward, backward,
                    maxRequests == null ? Long.MAX_VALUE : maxRequests, maxTransactions == null ? Long.MAX_VALUE : maxTransactions,
                    since == null ? Long.MIN_VALUE : TraceCommand.time(since), until == null ? Long.MAX_VALUE : TraceCommand.time(until));
            HttpService.Settings http = new HttpService.Settings(Duration.ofSeconds(timeout), 5, Duration.ofMillis(500), rate);
            long start = System.nanoTime();
            try (TransactionService api = esplora != null ? new EsploraApi(esplora, network(network), http)
                    : new CoreRpcTransactions(new BitcoinCoreRpc(rpc, BitcoinCoreRpc.Credentials.resolve(rpc, cookie, System.getenv()), http),
                            network(network));
                 ChainStore cs = ChainStore.open(store)) {
                NeighbourhoodFetch.Summary summary = new NeighbourhoodFetch(api, cs, api.describe())
                        .run(s, settings, p -> {
                            if (!noProgress) {
                                double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
                                double rate = p.requests() / secs;
                                // The next layer costs about what each transaction so far cost, per transaction of the frontier.
                                double perTx = p.transactions() == 0 ? 4 : (double) p.requests() / p.transactions();
                                String eta = p.layer() > hops || p.frontier() == 0 ? "" : String.format(", next layer ~%,.0f requests, ETA %.0f s",
                                        perTx * p.frontier(), perTx * p.frontier() / Math.max(rate, 1e-9));
                                System.err.printf("layer %d of %d: %,d transactions stored, frontier %,d, %,d requests (%.0f/s)%s%n", p.layer(),
                                        hops + 1, p.transactions(), p.frontier(), p.requests(), rate, eta);
                            }
                        });
                System.err.println(summary.describe());
            }
            return ExitCode.OK;
        }

        private static BitcoinNetwork network(String name) {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "main", "mainnet" -> BitcoinNetwork.MAINNET;
                case "test", "testnet" -> BitcoinNetwork.TESTNET;
                case "signet" -> BitcoinNetwork.SIGNET;
                case "regtest" -> BitcoinNetwork.REGTEST;
                default -> throw new IllegalArgumentException("--network " + name + ": main, test, signet or regtest");
            };
        }
    }

    @Command(name = "eth", mixinStandardHelpOptions = true,
            description = {"Fetch an Ethereum seed's neighbourhood, hop by hop, from an Etherscan-compatible explorer API",
                "(--explorer URL: Etherscan, or your own Blockscout) or from a node with trace_filter (--rpc URL).",
                "With --explorer: each address within --hops - 1 hops is asked for its transactions, internal transactions",
                "and token transfers; each transaction found is read through its receipt, under the node path's rules.",
                "Traces over the store stop with 'not fetched' where the fetch did not ask. Reruns ask nothing twice."})
    static final class Eth implements Callable<Integer> {
        @Option(names = "--explorer", paramLabel = "URL",
                description = "Etherscan-compatible API base, e.g. https://api.etherscan.io/v2/api?chainid=1 or https://HOST/api.")
        String explorer;

        @Option(names = "--api-key-env", paramLabel = "VAR",
                description = "With --explorer: the environment variable that holds the API key (never put a key on the command line).")
        String apiKeyEnv;

        @Option(names = "--rpc", paramLabel = "URL", description = "Or the JSON-RPC URL of a node with trace_filter.")
        String rpc;

        @Option(names = "--seed", required = true, description = "Ethereum address to start from.")
        String seed;

        @Option(names = "--hops", defaultValue = "3", description = "Hops a trace will take (default: ${DEFAULT-VALUE}).")
        int hops;

        @Option(names = "--direction", defaultValue = "forward",
                description = "With --explorer: forward, backward or both (default: ${DEFAULT-VALUE}).")
        String direction;

        @Option(names = "--from-block", defaultValue = "0", description = "First block to search (default: ${DEFAULT-VALUE}).")
        long fromBlock;

        @Option(names = "--to-block", description = "Last block to search (default: the head, less --confirmations with --explorer).")
        Long toBlock;

        @Option(names = "--confirmations", defaultValue = "12", description = "With --explorer: blocks behind the head left out (default: ${DEFAULT-VALUE}).")
        int confirmations;

        @Option(names = "--max-requests", paramLabel = "N", description = "Stop before the next address after this many requests (default: no limit).")
        Long maxRequests;

        @Option(names = "--max-transactions", paramLabel = "N", description = "Stop before the next address after this many transactions (default: no limit).")
        Long maxTransactions;

        @Option(names = "--requests-per-second", defaultValue = "0", paramLabel = "N",
                description = "Ceiling on the request rate (default: none; Etherscan's free tier allows 5).")
        double rate;

        @Option(names = "--page-size", defaultValue = "1000", paramLabel = "N", hidden = true)
        int pageSize;

        @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Per request (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Option(names = "--store", required = true, description = "Store directory (created if missing).")
        Path store;

        @Option(names = "--no-progress", description = "Do not print progress.")
        boolean noProgress;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if ((explorer == null) == (rpc == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give one of --explorer URL (an Etherscan-compatible API) or"
                        + " --rpc URL (a node with trace_filter)");
            }
            // outflows:ADDRESS[@T] is traced from the address's own history: fetch the address's neighbourhood.
            Seed parsed = Seed.parse(seed);
            Address address = switch (parsed) {
                case Seed.AddressSeed a -> a.address();
                case Seed.OutflowSeed o -> o.address();
                default -> throw new IllegalArgumentException("fetch eth starts from an Ethereum address (or outflows:ADDRESS), not " + seed);
            };
            if (explorer != null) {
                return explorer(address);
            }
            try (ChainStore cs = ChainStore.open(store); EthRpcClient client = new EthRpcClient(rpc, EthRpcClient.Settings.DEFAULT);
                 IngestProgress progress = new IngestProgress(true, "transfers")) {
                EthSeedFetcher.Summary s = new EthSeedFetcher(cs, client, progress)
                        .fetch(address, hops, fromBlock, toBlock == null ? Long.MAX_VALUE : toBlock);
                progress.close();
                System.err.printf("%d hops from %s: %,d addresses, %,d blocks (%,d new), %,d transfers stored%n", hops, address.text(),
                        s.addresses().size(), s.blocks().size(), s.newBlocks(), s.transfers());
            }
            return ExitCode.OK;
        }

        private int explorer(Address address) {
            java.util.Optional<String> key = java.util.Optional.empty();
            if (apiKeyEnv != null) {
                String v = System.getenv(apiKeyEnv);
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException("--api-key-env " + apiKeyEnv + ": that environment variable is not set");
                }
                key = java.util.Optional.of(v.strip());
            }
            boolean forward = switch (direction.toLowerCase(java.util.Locale.ROOT)) {
                case "forward", "both" -> true;
                case "backward" -> false;
                default -> throw new IllegalArgumentException("--direction " + direction + ": forward, backward or both");
            };
            if (timeout < 1) {
                throw new IllegalArgumentException("--timeout must be at least 1 second");
            }
            ExplorerFetch.Settings settings = new ExplorerFetch.Settings(hops, forward, !direction.equalsIgnoreCase("forward"), fromBlock,
                    java.util.Optional.ofNullable(toBlock), confirmations, maxRequests == null ? Long.MAX_VALUE : maxRequests,
                    maxTransactions == null ? Long.MAX_VALUE : maxTransactions);
            HttpService.Settings http = new HttpService.Settings(Duration.ofSeconds(timeout), 5, Duration.ofMillis(500), rate);
            long start = System.nanoTime();
            try (ExplorerApi api = new ExplorerApi(explorer, key, http, pageSize); ChainStore cs = ChainStore.open(store)) {
                ExplorerFetch.Summary summary = new ExplorerFetch(api, cs).run(address, settings, p -> {
                    if (!noProgress) {
                        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
                        double perAddress = p.asked() == 0 ? 0 : (double) p.requests() / p.asked();
                        String eta = perAddress == 0 ? "" : String.format(", layer ETA ~%.0f s", perAddress * p.frontier() / Math.max(p.requests() / secs, 1e-9));
                        System.err.printf("layer %d of %d: %,d addresses asked, frontier %,d, %,d transfers stored, %,d requests (%.0f/s)%s%n",
                                p.layer(), p.layers(), p.asked(), p.frontier(), p.transfers(), p.requests(), p.requests() / secs, eta);
                    }
                });
                System.err.println(summary.describe());
            }
            return ExitCode.OK;
        }
    }
}
