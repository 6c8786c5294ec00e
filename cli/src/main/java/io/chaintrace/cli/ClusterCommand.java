package io.chaintrace.cli;

import io.chaintrace.cli.app.Clustering;
import io.chaintrace.core.model.Address;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chaintrace cluster}: groups the owners of the transactions ingested since the last run into entities. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Cluster addresses into entities: common-input ownership (CoinJoins excluded) and change outputs named",
            "by at least two change heuristics (Bitcoin); accounts paying one exchange deposit address (Ethereum).",
            "Incremental: only what was ingested since the last run is read.",
            "'ingest btc-blocks' runs it after ingesting unless --no-cluster."})
final class ClusterCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, description = "Store directory.")
    Path store;

    @Option(names = "--show", paramLabel = "ADDRESS", description = "Print the entity an address belongs to (read only).")
    String show;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (show != null) {
            Address a = Address.parse(show);
            try (ChainStore cs = ChainStore.openReadOnly(store)) {
                Address e = cs.entityOf(a).orElseThrow(() -> new IllegalArgumentException("address " + a.text() + " is not in the store " + store));
                System.out.println(e.text().equals(a.text()) ? a.text() + " is its own entity (or not clustered yet)" : a.text() + " belongs to entity " + e.text());
            }
            return ExitCode.OK;
        }
        try (ChainStore cs = ChainStore.open(store)) {
            Clustering.run(cs, !noProgress);
        }
        return ExitCode.OK;
    }
}
