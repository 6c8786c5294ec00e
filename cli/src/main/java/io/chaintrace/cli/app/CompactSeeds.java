package io.chaintrace.cli.app;

import io.chaintrace.core.compact.OutputRefs;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.SeedResolver;
import io.chaintrace.core.trace.UtxoTracer.SeedNotFoundException;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.RowRef;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** The compact engine's side of seeds and endpoints: seeds as rows of the store's compact rows, endpoint owners by name. */
public final class CompactSeeds {
    private CompactSeeds() {
    }

    /**
     * The rows of the whole outputs that {@code seeds} name (the rule every engine shares: {@link SeedResolver}).
     *
     * @throws SeedNotFoundException when the store does not hold what a seed names
     */
    public static OutputRefs rows(ChainStore cs, List<Seed> seeds) {
        long fetched = cs.stats().fetchedTxs();
        if (fetched > 0) {
            // Its rows know neither which outputs a fetch left unknown nor inputs whose funding was not fetched.
            throw new IllegalArgumentException("store " + cs.path() + " holds " + fetched + " fetched transactions (seed neighbourhoods, not"
                    + " whole blocks); the compact engine and batch read whole blocks only: trace with --engine object");
        }
        SeedResolver resolver = new SeedResolver(cs);
        List<Outpoint> outs = new ArrayList<>();
        for (Seed seed : seeds) {
            if (seed instanceof Seed.AddressSeed a && a.address().chain() == Chain.BITCOIN && !cs.knows(a.address())) {
                throw new SeedNotFoundException("address " + a.address().text() + " is not in the store");
            }
            outs.addAll(resolver.wholeOutputs(seed));
        }
        int[] tx = new int[outs.size()];
        int[] vout = new int[outs.size()];
        for (int i = 0; i < outs.size(); i++) {
            Outpoint op = outs.get(i);
            RowRef r = cs.rowOf(op).orElseThrow(() -> new SeedNotFoundException("output " + op + " is not in the store"));
            tx[i] = r.tx();
            vout[i] = r.vout();
        }
        return new OutputRefs(tx, vout);
    }

    /** What to call an endpoint owner: its most confident label's entity among the stop categories, else its address. */
    public static String entity(ChainStore cs, int owner, Set<LabelCategory> stops) {
        Address a = cs.address(owner);
        return cs.labelsOf(a).stream().filter(l -> stops.contains(l.category())).max(Comparator.comparingDouble(Label::confidence))
                .map(Label::entity).orElse(a.shown());
    }
}
