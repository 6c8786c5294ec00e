package io.chaintrace.cli;

import io.chaintrace.cli.app.Documents;
import io.chaintrace.cli.app.Json;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chaintrace stats}: what the store holds. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Totals of what the store holds.")
final class StatsCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, description = "Store directory.")
    Path store;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = {"--digest"}, description = "Print only the store's chain digest (sha256 over what it says about the chains; reads it all).")
    boolean digest;

    @Override
    public Integer call() {
        Documents.Stats d;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            if (digest) {
                System.out.println("sha256:" + cs.chainDigest());
                return ExitCode.OK;
            }
            d = Documents.Stats.of(cs.stats(), cs.fetchedBySource(), cs.ethStats(), cs.ethFetchedBySource(), cs.ethTransactionCount());
        }
        if (json) {
            System.out.println(Json.write(d));
        } else {
            boolean first = true;
            for (Map.Entry<String, Long> row : d.rows().entrySet()) {
                // A heading before each chain's figures.
                if (row.getKey().equals("blocks") || row.getKey().equals("ethBlocks")) {
                    System.out.println((first ? "" : "\n") + (row.getKey().equals("blocks") ? "Bitcoin" : "Ethereum"));
                }
                first = false;
                System.out.printf("%-17s %,d%n", row.getKey(), row.getValue());
            }
        }
        return ExitCode.OK;
    }
}
