package io.chaintrace.cli;

import io.chaintrace.cli.app.IngestService;
import io.chaintrace.ingest.btc.BitcoinCoreRpc;
import io.chaintrace.ingest.btc.BitcoinRpcSource;
import io.chaintrace.ingest.btc.BlockFileSource;
import io.chaintrace.ingest.eth.EthRpcClient;
import io.chaintrace.ingest.eth.EthRpcSource;
import io.chaintrace.ingest.eth.EtlSource;
import io.chaintrace.ingest.remote.HttpService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code chaintrace ingest ...}: sources that write into the store, each run by {@link IngestService}. */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Write blocks into the store.",
        subcommands = {IngestCommand.BtcBlocks.class, IngestCommand.BtcRpc.class, IngestCommand.Eth.class, IngestCommand.EthEtl.class})
final class IngestCommand {

    /** {@code chaintrace ingest btc-blocks}. */
    @Command(name = "btc-blocks", mixinStandardHelpOptions = true,
            description = {"Ingest Bitcoin Core block files: a blocks/ directory (blkNNNNN.dat in order, xor.dat honoured)",
                "or single files, framed (magic + length) or one raw serialized block each.",
                "Only the most-work chain is ingested; rerunning continues after the last complete block."})
    static final class BtcBlocks implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Block directories or files.")
        List<Path> inputs;

        @Option(names = "--store", required = true, description = "Store directory (created if missing).")
        Path store;

        @Option(names = "--threads", description = "Parser threads (default: one per core).")
        Integer threads;

        @Option(names = "--no-progress", description = "Do not draw a progress bar.")
        boolean noProgress;

        @Option(names = "--no-cluster", description = "Do not cluster the new transactions into entities afterwards (run 'chaintrace cluster' later).")
        boolean noCluster;

        @Mixin
        MetricsOptions metrics;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            try (MetricsOptions.Session m = metrics.start()) {
                int n = Threads.bounded(threads, spec);
                IngestService.run(store, cs -> new BlockFileSource(cs, inputs, n),
                        new IngestService.Options(!noProgress, !noCluster), m.registry());
            }
            return ExitCode.OK;
        }
    }

    /** {@code chaintrace ingest btc-rpc}: main-chain blocks from a Bitcoin Core node. */
    @Command(name = "btc-rpc", mixinStandardHelpOptions = true,
            description = {"Ingest Bitcoin blocks from a Bitcoin Core node over JSON-RPC (getblockhash, getblock <hash> 0, batched),",
                "checked and parsed as block files are. Continues after the stored tip; rolls back blocks the node replaced (a reorg).",
                "Credentials: --rpc-cookie FILE (the node's .cookie), or $" + BitcoinCoreRpc.USER_ENV + " and $"
                        + BitcoinCoreRpc.PASSWORD_ENV + "; never shown."})
    static final class BtcRpc implements Callable<Integer> {
        @Option(names = "--rpc", required = true, description = "JSON-RPC URL of the node, e.g. http://127.0.0.1:8332/.")
        String rpc;

        @Option(names = "--rpc-cookie", paramLabel = "FILE", description = "The node's cookie file (datadir/.cookie) for the credentials.")
        Path cookie;

        @Option(names = "--from", defaultValue = "0", description = "First height (default: ${DEFAULT-VALUE}, or after the stored tip).")
        int from;

        @Option(names = "--to", description = "Last height (default: the node's tip less confirmations).")
        Integer to;

        @Option(names = "--follow", description = "Keep polling for new blocks until interrupted.")
        boolean follow;

        @Option(names = "--poll", defaultValue = "30", paramLabel = "SECONDS", description = "With --follow: seconds between polls (default: ${DEFAULT-VALUE}).")
        int poll;

        @Option(names = "--confirmations", defaultValue = "6",
                description = "Confirmations a block needs, itself included (default: ${DEFAULT-VALUE}).")
        int confirmations;

        @Option(names = "--requests-per-second", defaultValue = "0", paramLabel = "N",
                description = "Ceiling on requests per second to the node (default: none).")
        double rate;

        @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS", description = "Per request (default: ${DEFAULT-VALUE}).")
        int timeout;

        @Option(names = "--store", required = true, description = "Store directory (created if missing).")
        Path store;

        @Option(names = "--threads", description = "Parser threads (default: one per core).")
        Integer threads;

        @Option(names = "--no-progress", description = "Do not draw a progress bar.")
        boolean noProgress;

        @Option(names = "--no-cluster", description = "Do not cluster the new transactions into entities afterwards (run 'chaintrace cluster' later).")
        boolean noCluster;

        @Mixin
        MetricsOptions metrics;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            int n = Threads.bounded(threads, spec);
            if (poll < 1 || timeout < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--poll and --timeout must be at least 1 second");
            }
            BitcoinRpcSource.Settings settings = new BitcoinRpcSource.Settings(from, to == null ? -1 : to, follow, confirmations,
                    Duration.ofSeconds(poll));
            HttpService.Settings http = new HttpService.Settings(Duration.ofSeconds(timeout), 5, Duration.ofMillis(500), rate);
            try (MetricsOptions.Session m = metrics.start();
                 BitcoinCoreRpc client = new BitcoinCoreRpc(rpc, BitcoinCoreRpc.Credentials.resolve(rpc, cookie, System.getenv()), http)) {
                IngestService.run(store, cs -> new BitcoinRpcSource(cs, client, settings, n),
                        new IngestService.Options(!noProgress, !noCluster), m.registry());
            }
            return ExitCode.OK;
        }
    }

    /** {@code chaintrace ingest eth}: a block range from a JSON-RPC node. */
    @Command(name = "eth", mixinStandardHelpOptions = true,
            description = {"Ingest Ethereum blocks from a JSON-RPC node: native, internal (trace_block or debug_traceBlockByNumber)",
                "and ERC-20 transfers. Resumable; rolls back blocks the node replaced; stops at head - confirmations."})
    static final class Eth implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--rpc", required = true, description = "JSON-RPC URL of the node.")
        String rpc;

        @Option(names = "--from", defaultValue = "0", description = "First block (default: ${DEFAULT-VALUE}, or after the stored tip).")
        long from;

        @Option(names = "--to", description = "Last block (default: head - confirmations).")
        Long to;

        @Option(names = "--store", required = true, description = "Store directory (created if missing).")
        Path store;

        @Option(names = "--confirmations", defaultValue = "12", description = "Blocks behind the head left out (default: ${DEFAULT-VALUE}).")
        int confirmations;

        @Option(names = "--concurrency", defaultValue = "4", description = "Batches fetched at once (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--batch", defaultValue = "" + EthRpcSource.Settings.DEFAULT_BATCH, description = {"Blocks asked in one JSON-RPC"
                + " batch: their blocks, receipts and traces in one HTTP request (default: ${DEFAULT-VALUE}; 1 for a node or"
                + " provider that refuses batches)."})
        int batch;

        @Option(names = "--no-internal", description = "Ingest without internal transfers when the node offers no traces.")
        boolean noInternal;

        @Option(names = "--no-progress", description = "Do not draw a progress bar.")
        boolean noProgress;

        @Option(names = "--no-cluster", description = "Do not cluster accounts into entities afterwards (run 'chaintrace cluster' later).")
        boolean noCluster;

        @Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() throws IOException {
            // Checked before the store is opened or the node asked.
            if (batch < 1 || concurrency < 1) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), (batch < 1 ? "--batch" : "--concurrency")
                        + " is at least 1, not " + (batch < 1 ? batch : concurrency));
            }
            EthRpcSource.Settings settings = new EthRpcSource.Settings(confirmations, concurrency, noInternal, batch);
            try (MetricsOptions.Session m = metrics.start(); EthRpcClient client = new EthRpcClient(rpc, EthRpcClient.Settings.DEFAULT)) {
                IngestService.run(store, cs -> new EthRpcSource(cs, client, settings,
                        from, to == null ? Long.MAX_VALUE : to), new IngestService.Options(!noProgress, !noCluster), m.registry());
            }
            return ExitCode.OK;
        }
    }

    /** {@code chaintrace ingest eth-etl}: blockchain-etl exports. */
    @Command(name = "eth-etl", mixinStandardHelpOptions = true,
            description = "Import blockchain-etl exports (transactions, token_transfers, traces, blocks; CSV or JSON lines).")
    static final class EthEtl implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Export files, or directories holding them (every blocks, transactions,"
                + " traces, token_transfers, tokens or logs file under it, CSV or JSON lines).")
        List<Path> files;

        @Option(names = "--store", required = true, description = "Store directory (created if missing).")
        Path store;

        @Option(names = "--no-cluster", description = "Do not cluster accounts into entities afterwards (run 'chaintrace cluster' later).")
        boolean noCluster;

        @Option(names = "--no-progress", description = "Do not draw a progress bar.")
        boolean noProgress;

        @Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() throws IOException {
            try (MetricsOptions.Session m = metrics.start()) {
                IngestService.run(store, cs -> new EtlSource(cs, files), new IngestService.Options(!noProgress, !noCluster), m.registry());
            }
            return ExitCode.OK;
        }
    }
}
