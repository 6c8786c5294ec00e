package io.chaintrace.cli;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.StoreStats;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    @Override
    public Integer call() {
        StoreStats s;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            s = cs.stats();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blocks", s.blocks());
        m.put("txs", s.txs());
        m.put("inputs", s.inputs());
        m.put("outputs", s.outputs());
        m.put("outputValue", s.outputValue());
        m.put("addresses", s.addresses());
        m.put("owners", s.owners());
        m.put("unresolvedInputs", s.unresolvedInputs());
        if (json) {
            System.out.println(Json.write(m));
        } else {
            m.forEach((k, v) -> System.out.printf("%-17s %,d%n", k, (Long) v));
        }
        return ExitCode.OK;
    }
}
