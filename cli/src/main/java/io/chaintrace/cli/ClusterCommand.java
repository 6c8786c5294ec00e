package io.chaintrace.cli;

import io.chaintrace.cli.app.Clustering;
import io.chaintrace.cli.app.EntityEvidence;
import io.chaintrace.cli.app.Json;
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

    @Option(names = "--show", paramLabel = "ADDRESS", description = {"Print the entity an address belongs to (read only): its addresses,",
        "their labels, and each link that joined two of them with its evidence (the transaction: common input or change)."})
    String show;

    @Option(names = "--limit", defaultValue = "100", description = "With --show: addresses listed at most (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "With --show: one JSON object.")
    boolean json;

    @Option(names = "--again", description = {"Forget the entities and cluster every transaction again (after the heuristics changed);",
        "an interrupted run leaves the store unclustered or part-way, and the next run goes on."})
    boolean again;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        if (show != null) {
            if (again) {
                throw new picocli.CommandLine.ParameterException(command.commandLine(), "--again clusters; --show reads: one or the other");
            }
            if (limit < 1) {
                throw new picocli.CommandLine.ParameterException(command.commandLine(), "--limit is at least 1, not " + limit);
            }
            Address a = Address.parse(show);
            EntityEvidence.Entity e;
            try (ChainStore cs = ChainStore.openReadOnly(store)) {
                if (!cs.knows(a)) {
                    throw new IllegalArgumentException("address " + a.shown() + " is not in the store " + store);
                }
                e = EntityEvidence.of(cs, a, limit);
            }
            if (json) {
                System.out.println(Json.write(e));
                return ExitCode.OK;
            }
            System.out.println(e.size() == 1 ? e.address() + " is its own entity" : e.address() + " belongs to entity " + e.entity() + " ("
                    + String.format("%,d", e.size()) + " addresses)");
            if (e.note() != null) {
                System.out.println("  " + e.note());
            }
            if (e.size() > 1) {
                System.out.println("addresses" + (e.members().size() < e.size() ? " (the first " + e.members().size() + ")" : "") + ":");
                e.members().forEach(m -> System.out.println("  " + m + (e.labels().containsKey(m) ? "  " + String.join("; ", e.labels().get(m)) : "")));
            }
            if (!e.links().isEmpty()) {
                System.out.println("links that joined them, in chain order:");
                e.links().forEach(l -> System.out.printf("  %s + %s: %s, transaction %s (block %,d)%n", l.a(), l.b(), l.reason(), l.tx(), l.height()));
            }
            return ExitCode.OK;
        }
        try (ChainStore cs = ChainStore.open(store)) {
            if (again) {
                cs.dropEntities();
            }
            Clustering.run(cs, !noProgress);
        }
        return ExitCode.OK;
    }
}
