package io.chaintrace.cli;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileSource;
import io.chaintrace.ingest.eth.EthRpcClient;
import io.chaintrace.ingest.eth.EthRpcSource;
import io.chaintrace.ingest.eth.EtlImport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chaintrace ingest ...}: sources that write into the store. */
@Command(name = "ingest", mixinStandardHelpOptions = true, description = "Write blocks into the store.",
        subcommands = {IngestCommand.BtcBlocks.class, IngestCommand.Eth.class, IngestCommand.EthEtl.class})
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

        @picocli.CommandLine.Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() throws java.io.IOException {
            try (MetricsOptions.Session m = metrics.start(); ChainStore cs = ChainStore.open(store); Progress progress = new Progress(!noProgress)) {
                IngestListener listener = new MeteredIngest(progress, m.registry(), "bitcoin", "transactions");
                BlockFileSource source = threads == null
                        ? new BlockFileSource(cs, listener)
                        : new BlockFileSource(cs, listener, threads);
                BlockFileSource.Summary s;
                try {
                    s = source.ingest(inputs);
                } finally {
                    progress.close();
                }
                double secs = Math.max(1e-9, s.elapsed().toNanos() / 1e9);
                System.err.printf("ingested %,d blocks, %,d transactions in %.1f s (%,.0f tx/s); %,d already stored, %,d stale not ingested%n",
                        s.written(), s.transactions(), secs, s.transactions() / secs, s.skipped(), s.stale());
                if (s.written() > 0) {
                    // One look-up per page for the traces that follow.
                    cs.compactPages();
                }
                if (!noCluster) {
                    ClusterCommand.run(cs, !noProgress);
                }
            }
            return ExitCode.OK;
        }
    }

    /** {@code chaintrace ingest eth}: a block range from a JSON-RPC node. */
    @Command(name = "eth", mixinStandardHelpOptions = true,
            description = {"Ingest Ethereum blocks from a JSON-RPC node: native, internal (trace_block or debug_traceBlockByNumber)",
                "and ERC-20 transfers. Resumable; rolls back blocks the node replaced; stops at head - confirmations."})
    static final class Eth implements Callable<Integer> {
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

        @Option(names = "--concurrency", defaultValue = "4", description = "Blocks fetched at once (default: ${DEFAULT-VALUE}).")
        int concurrency;

        @Option(names = "--no-internal", description = "Ingest without internal transfers when the node offers no traces.")
        boolean noInternal;

        @Option(names = "--no-progress", description = "Do not draw a progress bar.")
        boolean noProgress;

        @Option(names = "--no-cluster", description = "Do not cluster accounts into entities afterwards (run 'chaintrace cluster' later).")
        boolean noCluster;

        @picocli.CommandLine.Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() throws java.io.IOException {
            try (MetricsOptions.Session m = metrics.start(); ChainStore cs = ChainStore.open(store); Progress progress = new Progress(!noProgress);
                 EthRpcClient client = new EthRpcClient(rpc, EthRpcClient.Settings.DEFAULT)) {
                EthRpcSource.Summary s = new EthRpcSource(cs, client, new EthRpcSource.Settings(confirmations, concurrency, noInternal),
                        new MeteredIngest(progress, m.registry(), "ethereum", "transfers")).ingest(from, to == null ? Long.MAX_VALUE : to);
                progress.close();
                double secs = Math.max(1e-9, s.elapsed().toNanos() / 1e9);
                System.err.printf("ingested %,d blocks, %,d transfers in %.1f s (%,.1f blocks/s); up to block %,d; traces: %s%s%n",
                        s.blocks(), s.transfers(), secs, s.blocks() / secs, s.lastBlock(), s.traces().name().toLowerCase(),
                        s.rolledBack() > 0 ? "; rolled back " + s.rolledBack() + " replaced blocks" : "");
                if (!noCluster) {
                    ClusterCommand.run(cs, !noProgress);
                }
            }
            return ExitCode.OK;
        }
    }

    /** {@code chaintrace ingest eth-etl}: blockchain-etl exports. */
    @Command(name = "eth-etl", mixinStandardHelpOptions = true,
            description = "Import blockchain-etl exports (transactions, token_transfers, traces, blocks; CSV or JSON lines).")
    static final class EthEtl implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE", description = "Export files.")
        List<Path> files;

        @Option(names = "--store", required = true, description = "Store directory (created if missing).")
        Path store;

        @Option(names = "--no-cluster", description = "Do not cluster accounts into entities afterwards (run 'chaintrace cluster' later).")
        boolean noCluster;

        @picocli.CommandLine.Mixin
        MetricsOptions metrics;

        @Override
        public Integer call() throws java.io.IOException {
            try (MetricsOptions.Session m = metrics.start(); ChainStore cs = ChainStore.open(store)) {
                EtlImport.Summary s = new EtlImport(cs, new MeteredIngest(IngestListener.NONE, m.registry(), "ethereum", "transfers"))
                        .importFiles(files);
                System.err.printf("imported %,d rows: %,d blocks, %,d transfers; %,d blocks already stored%n", s.rows(), s.blocks(),
                        s.transfers(), s.skipped());
                if (!noCluster) {
                    ClusterCommand.run(cs, false);
                }
            }
            return ExitCode.OK;
        }
    }

    /** Draws blocks done, tx/s and the ETA on stderr. */
    static final class Progress implements IngestListener, AutoCloseable {
        private final boolean enabled;
        private ProgressBar bar;
        private long txs;
        private long start;

        Progress(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public void started(long total, long alreadyStored) {
            start = System.nanoTime();
            if (enabled && total > 0) {
                bar = new ProgressBarBuilder().setTaskName("blocks").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500).build();
            }
        }

        @Override
        public void block(long transactions) {
            txs += transactions;
            if (bar != null) {
                double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
                bar.step();
                bar.setExtraMessage(String.format("%,d tx, %,.0f tx/s", txs, txs / secs));
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
