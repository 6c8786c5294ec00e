package io.chaintrace.benchmarks;

import io.chaintrace.core.compact.OutputRefs;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.demo.SyntheticWriter;
import io.chaintrace.scenarios.SyntheticChain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Synthetic chains written into RocksDB stores kept under {@code benchmarks/target/stores} (or
 * $CHAINTRACE_STORES), one per seed and size, reused by later runs: writing the 10^7 store takes
 * minutes. A store is complete when its "done" marker exists.
 */
public final class SyntheticStores {
    static final long SEED = 42;

    private SyntheticStores() {
    }

    static Path store(int edges) throws IOException {
        Path root = Path.of(System.getenv().getOrDefault("CHAINTRACE_STORES", "stores")).toAbsolutePath();
        Path dir = root.resolve("synthetic-" + SEED + "-" + edges);
        Path done = dir.resolve("done");
        if (Files.exists(done)) {
            try (ChainStore s = ChainStore.openReadOnly(dir)) {
                return dir;
            } catch (io.chaintrace.graph.StoreException e) {
                if (!e.otherVersion()) {
                    throw e;
                }
                System.out.println("[store] " + dir + " was written by another version: writing it again");
            }
        }
        if (Files.exists(dir)) {
            IngestBenchmark.delete(dir);
        }
        long t0 = System.nanoTime();
        int txs;
        try (ChainStore s = ChainStore.open(dir)) {
            txs = SyntheticWriter.write(SyntheticChain.Settings.of(SEED, edges), s, h -> {
                if (h % 500 == 0) {
                    System.out.printf("[store] block %,d%n", h);
                }
            });
            s.compactPages(); // as an ingest ends
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        long bytes = size(dir);
        String line = String.format("%d edges, %d transactions, %.1f s to write (%.0f tx/s), %d bytes on disk%n", edges, txs, secs, txs / secs, bytes);
        System.out.print("[store] " + line);
        Files.writeString(done, line);
        return dir;
    }

    /** Bytes of the files under a folder. */
    public static long size(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** {@code n} seeds: output 0 of transactions drawn from the first tenth of the chain. */
    static OutputRefs seeds(int transactions, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] tx = new int[n];
        for (int i = 0; i < n; i++) {
            tx[i] = rnd.nextInt(Math.max(1, transactions / 10));
        }
        tx = java.util.Arrays.stream(tx).distinct().toArray();
        return new OutputRefs(tx, new int[tx.length]);
    }
}
