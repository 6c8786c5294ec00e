package io.chaintrace.cli;

import io.chaintrace.cli.app.Documents;
import io.chaintrace.cli.app.Json;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
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

    @Override
    public Integer call() {
        Documents.Stats d;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            d = Documents.Stats.of(cs.stats(), cs.fetchedBySource(), cs.ethStats(), cs.ethFetchedBySource());
        }
        if (json) {
            System.out.println(Json.write(d));
        } else {
            d.rows().forEach((k, v) -> System.out.printf("%-17s %,d%n", k, v));
        }
        return ExitCode.OK;
    }
}
