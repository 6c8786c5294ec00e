package io.chaintrace.benchmarks.compare;

import io.chaintrace.benchmarks.IngestBenchmark;
import io.chaintrace.benchmarks.SyntheticStores;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.demo.SyntheticWriter;
import io.chaintrace.scenarios.SyntheticChain;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Ingest at scale: the synthetic chain (seed 42) of about {@code transactions} transactions written
 * through {@code ChainStore.append} (the path every source writes through: one atomic batch per
 * block, every column family, compact rows) into a fresh store. Prints transactions per second,
 * time and size on disk, and progress every 10% .
 * <pre>benchmarks/compare ingest 10000000</pre>
 */
public final class ScaleIngest {
    /** Outputs per transaction in the synthetic chain (measured: 2,590,000 outputs gave 999,962 transactions). */
    static final double OUTPUTS_PER_TX = 2.59;

    private ScaleIngest() {
    }

    /** What one ingest took. */
    public record Figures(long transactions, double seconds, long bytes) {
        double txPerSecond() {
            return transactions / seconds;
        }
    }

    public static Figures ingest(long transactions, Path dir) throws IOException {
        IngestBenchmark.delete(dir);
        int outputs = (int) Math.min(Integer.MAX_VALUE, Math.round(transactions * OUTPUTS_PER_TX));
        long t0 = System.nanoTime();
        int txs;
        try (ChainStore s = ChainStore.open(dir)) {
            long[] next = {System.nanoTime()};
            txs = SyntheticWriter.write(SyntheticChain.Settings.of(42, outputs), s, h -> {
                if (System.nanoTime() > next[0]) {
                    next[0] = System.nanoTime() + 30_000_000_000L;
                    System.err.printf("[ingest] block %,d, %.0f s%n", h, (System.nanoTime() - t0) / 1e9);
                }
            });
            s.compactPages(); // as an ingest ends: part of the time
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Figures(txs, secs, SyntheticStores.size(dir));
    }

    public static void main(String[] args) throws IOException {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000;
        Path dir = Path.of(args.length > 1 ? args[1] : "stores/ingest-" + n);
        Figures f = ingest(n, dir);
        System.out.printf("ingest: %,d transactions in %.1f s = %,.0f tx/s; %,d bytes on disk (%.0f bytes per transaction); %s%n",
                f.transactions(), f.seconds(), f.txPerSecond(), f.bytes(), (double) f.bytes() / f.transactions(), dir);
    }
}
