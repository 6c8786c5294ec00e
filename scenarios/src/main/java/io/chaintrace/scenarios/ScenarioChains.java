package io.chaintrace.scenarios;

import io.chaintrace.core.compact.CompactChain;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.scenarios.Scenario;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A generated scenario as a compact chain, with owner ids for its addresses. */
public final class ScenarioChains {
    private ScenarioChains() {
    }

    /** The compact chain, owner ids by address text, output ids by outpoint. */
    public record Loaded(CompactChain chain, Map<String, Integer> owners, Map<Outpoint, Integer> outputs) {
    }

    /** A synthetic background chain straight into compact arrays (exchange hubs and services as endpoints). */
    public static CompactChain synthetic(io.chaintrace.scenarios.SyntheticChain.Settings settings) {
        CompactChain.Builder b = new CompactChain.Builder();
        io.chaintrace.scenarios.SyntheticChain.generate(settings, new io.chaintrace.scenarios.SyntheticChain.Sink() {
            @Override
            public void endpoint(int owner, boolean hub) {
                b.endpoint(owner);
            }

            @Override
            public void transaction(int tx) {
                b.transaction();
            }

            @Override
            public void input(int output, int fundingTx, int vout) {
                b.input(output);
            }

            @Override
            public void output(long value, int owner) {
                b.output(value, owner);
            }

            @Override
            public void endBlock(int height) {
            }
        });
        return b.build();
    }

    /** Loads a scenario; owners labelled with a category in {@code stopAt} become endpoints. */
    public static Loaded load(Scenario s, Set<io.chaintrace.core.model.LabelCategory> stopAt) {
        CompactChain.Builder b = new CompactChain.Builder();
        Map<String, Integer> owners = new HashMap<>();
        Map<Outpoint, Integer> outputs = new HashMap<>();
        for (Scenario.Block block : s.blocks()) {
            for (Scenario.Tx tx : block.transactions()) {
                b.transaction();
                for (Outpoint op : tx.spends()) {
                    Integer src = outputs.get(op);
                    b.input(src == null ? -1 : src);
                }
                for (TxOutput o : tx.outputs()) {
                    int owner = o.owner().map(a -> owners.computeIfAbsent(a.text(), k -> owners.size())).orElse(-1);
                    outputs.put(new Outpoint(tx.txid(), o.index()), b.output(o.value(), owner));
                }
            }
        }
        for (Label l : s.labels()) {
            Integer id = owners.get(l.address().text());
            if (id != null && stopAt.contains(l.category())) {
                b.endpoint(id);
            }
        }
        return new Loaded(b.build(), owners, outputs);
    }
}
