package io.chaintrace.benchmarks.compare;

import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;

/** Compacts a store's compact rows (what an ingest does at its end): {@code java ... CompactPages STORE}. */
public final class CompactPages {
    private CompactPages() {
    }

    public static void main(String[] args) {
        long t0 = System.nanoTime();
        try (ChainStore cs = ChainStore.open(Path.of(args[0]))) {
            cs.compactPages();
        }
        System.out.printf("compacted the compact rows of %s in %.1f s%n", args[0], (System.nanoTime() - t0) / 1e9);
    }
}
