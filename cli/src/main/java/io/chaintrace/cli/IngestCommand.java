package io.chaintrace.cli;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileSource;
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
        subcommands = {IngestCommand.BtcBlocks.class})
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

        @Override
        public Integer call() {
            try (ChainStore cs = ChainStore.open(store); Progress progress = new Progress(!noProgress)) {
                BlockFileSource source = threads == null
                        ? new BlockFileSource(cs, progress)
                        : new BlockFileSource(cs, progress, threads);
                BlockFileSource.Summary s;
                try {
                    s = source.ingest(inputs);
                } finally {
                    progress.close();
                }
                double secs = Math.max(1e-9, s.elapsed().toNanos() / 1e9);
                System.err.printf("ingested %,d blocks, %,d transactions in %.1f s (%,.0f tx/s); %,d already stored, %,d stale not ingested%n",
                        s.written(), s.transactions(), secs, s.transactions() / secs, s.skipped(), s.stale());
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
