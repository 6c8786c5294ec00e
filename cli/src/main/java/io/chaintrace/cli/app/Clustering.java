package io.chaintrace.cli.app;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.ClusterRun;
import me.tongfei.progressbar.ProgressBar;

/** Clusters what was ingested since the last run (docs/CLUSTERING.md), with a progress bar, and says what it did. */
public final class Clustering {
    private Clustering() {
    }

    public static ClusterRun run(ChainStore cs, boolean progress) {
        long total = cs.stats().txs();
        long start = System.nanoTime();
        // No Bitcoin transactions (an Ethereum-only store): nothing to draw a bar over ("? % 0/0").
        ProgressBar bar = progress && total > 0 ? ProgressBars.builder("cluster", total).build() : null;
        ClusterRun r;
        try {
            r = cs.cluster(50_000, n -> {
                if (bar != null) {
                    bar.stepTo(n);
                }
            });
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        System.err.printf("clustered %,d transactions in %.1f s: %,d common-input links, %,d change links, %,d CoinJoins left out;"
                + " %,d ether transfers: %,d deposit-address links%n", r.transactions(), secs, r.multiInputLinks(), r.changeLinks(),
                r.coinjoinsSkipped(), r.ethTransfers(), r.depositAddressLinks());
        return r;
    }
}
