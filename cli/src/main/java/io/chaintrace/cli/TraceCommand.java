package io.chaintrace.cli;

import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chaintrace trace}: follow tainted value forward from seeds. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = {"Follow value forward from seeds, transaction by transaction in chain order, under a taint policy.",
            "Lists every output reached with its tainted amount (satoshi) and hop."})
final class TraceCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, description = "Store directory.")
    Path store;

    @Option(names = "--seed", required = true, paramLabel = "ADDRESS|TXID:VOUT|TXID",
            description = "Where the stolen value is: an address, an output or a transaction. Repeatable.")
    List<String> seeds;

    @Option(names = "--hops", defaultValue = "6", description = "Transactions to follow from the seeds (default: ${DEFAULT-VALUE}).")
    int hops;

    @Option(names = "--policy", defaultValue = "haircut", description = "poison or haircut (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--json", description = "Print the result as one JSON object (schema in the README).")
    boolean json;

    @Override
    public Integer call() {
        List<Seed> parsed = new ArrayList<>();
        for (String s : seeds) {
            parsed.add(Seed.parse(s));
        }
        TraceRequest request = new TraceRequest(parsed, TaintPolicy.named(policy), hops);
        TraceResult result;
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            result = new UtxoTracer(cs).trace(request);
        }
        if (json) {
            System.out.println(Json.write(toJson(result)));
        } else {
            printText(result);
        }
        return ExitCode.OK;
    }

    static Map<String, Object> toJson(TraceResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seeds", r.request().seeds().stream().map(Object::toString).toList());
        m.put("policy", r.request().policy().name());
        m.put("direction", "forward");
        m.put("maxHops", r.request().maxHops());
        m.put("seeded", r.seeded());
        m.put("unspent", r.unspent());
        m.put("fees", r.fees());
        m.put("cutByHops", r.cutByHops());
        m.put("absorbedBySeeds", r.absorbedBySeeds());
        m.put("conserving", r.request().policy().conserving());
        m.put("balanced", r.balanced());
        List<Map<String, Object>> outs = new ArrayList<>();
        for (TraceResult.TaintedOutput o : r.outputs()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("txid", o.outpoint().txid().hex());
            e.put("vout", o.outpoint().vout());
            e.put("height", o.height());
            e.put("hop", o.hop());
            e.put("value", o.value());
            e.put("taint", o.taint());
            e.put("kind", o.kind().name().toLowerCase(java.util.Locale.ROOT));
            e.put("address", o.owner().map(a -> a.text()).orElse(null));
            e.put("state", o.state().name().toLowerCase(java.util.Locale.ROOT));
            e.put("spentBy", o.spentBy().map(h -> h.hex()).orElse(null));
            outs.add(e);
        }
        m.put("outputs", outs);
        List<Map<String, Object>> txs = new ArrayList<>();
        for (TraceResult.TaintedTransaction t : r.transactions()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("txid", t.txid().hex());
            e.put("height", t.height());
            e.put("hop", t.hop());
            e.put("inputValue", t.inputValue());
            e.put("taintIn", t.taintIn());
            e.put("outputValue", t.outputValue());
            e.put("feeTaint", t.feeTaint());
            e.put("resolved", t.resolved());
            txs.add(e);
        }
        m.put("transactions", txs);
        return m;
    }

    private static void printText(TraceResult r) {
        System.out.printf("policy %s, %d hops: seeded %s BTC; unspent %s, fees %s, cut by hop limit %s%n",
                r.request().policy().name(), r.request().maxHops(), btc(r.seeded()), btc(r.unspent()), btc(r.fees()), btc(r.cutByHops()));
        System.out.printf("%-3s %-7s %-70s %16s %16s  %s%n", "hop", "height", "output", "value BTC", "taint BTC", "owner / state");
        for (TraceResult.TaintedOutput o : r.outputs()) {
            System.out.printf("%-3d %-7d %-70s %16s %16s  %s / %s%n", o.hop(), o.height(), o.outpoint(), btc(o.value()), btc(o.taint()),
                    o.owner().map(a -> a.text().length() > 40 ? a.text().substring(0, 40) + "…" : a.text()).orElse("-"),
                    o.state().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    static String btc(long sat) {
        return new java.math.BigDecimal(sat).movePointLeft(8).toPlainString();
    }
}
