package io.chaintrace.scenarios;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What {@link PatternPlanter} builds with: a chain of generated transactions, the coins it holds,
 * the ground truth per pattern, and steps run in time order (so planted instances overlap in time
 * as real traffic does), each block sealed when time moves on.
 */
abstract class PlantedChain {
    static final long BTC = 100_000_000L;
    static final long DAY = 86_400L;
    static final long HORIZON = 730 * DAY;
    final SplittableRandom rnd;
    final ScenarioIds ids;
    final BlockBuilder chain;
    final Map<Outpoint, Long> values = new HashMap<>();
    final List<Outpoint> spendable = new ArrayList<>();
    final Map<String, List<Set<Hash256>>> truth = new HashMap<>();
    private final PriorityQueue<Step> steps = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.order, b.order));
    long now;
    private long order;

    private record Step(long time, long order, Runnable action) {
    }

    PlantedChain(long seed) {
        this.rnd = new SplittableRandom(seed);
        this.ids = new ScenarioIds(rnd);
        this.chain = new BlockBuilder(ids);
    }

    /** Runs every step in time order, sealing a block whenever time moves on. */
    void runSteps() {
        while (!steps.isEmpty()) {
            Step s = steps.poll();
            if (s.time != now) {
                seal();
                now = s.time;
            }
            s.action.run();
        }
        seal();
    }

    void at(long time, Runnable action) {
        steps.add(new Step(time, order++, action));
    }

    void mark(String pattern, Hash256 tx) {
        truth(pattern, Set.of(tx));
    }

    void truth(String pattern, Set<Hash256> txs) {
        truth.computeIfAbsent(pattern, k -> new ArrayList<>()).add(txs);
    }

    Outpoint coin(long sat) {
        return coinTo(fresh(), sat);
    }

    Outpoint coinTo(Address to, long sat) {
        Hash256 t = nextHash();
        chain.add(new Scenario.Tx(t, List.of(Outpoint.COINBASE), List.of(new TxOutput(0, sat, ScriptKind.P2WPKH, Optional.of(to)))));
        Outpoint op = new Outpoint(t, 0);
        values.put(op, sat);
        return op;
    }

    /** Pays each amount to a fresh address; what the inputs hold beyond the outputs is the fee. */
    Hash256 tx(List<Outpoint> in, List<Long> out) {
        List<Address> to = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            to.add(fresh());
        }
        return txTo(in, out, to, 0);
    }

    /**
     * Pays {@code out[i]} to {@code to[i]}; a 0 amount takes what is left of {@code have} (or of the
     * inputs when {@code have} is 0) after the other outputs and a 1,000 sat fee.
     */
    Hash256 txTo(List<Outpoint> in, List<Long> out, List<Address> to, long have) {
        long inputs = in.stream().mapToLong(values::get).sum();
        long fixed = out.stream().mapToLong(Long::longValue).sum();
        long rest = (have == 0 ? inputs : have) - fixed - 1_000;
        if (fixed + Math.max(0, rest) > inputs || rest < 0 && out.contains(0L)) {
            throw new IllegalStateException("planter bug: pays " + fixed + " + " + rest + " from " + inputs);
        }
        Hash256 t = nextHash();
        List<TxOutput> outputs = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            long v = out.get(i) == 0 ? rest : out.get(i);
            outputs.add(new TxOutput(i, v, ScriptKind.P2WPKH, Optional.of(to.get(i))));
            values.put(new Outpoint(t, i), v);
        }
        chain.add(new Scenario.Tx(t, in, outputs));
        return t;
    }

    void seal() {
        chain.seal(1_500_000_000L + now);
    }

    Address fresh() {
        return ids.p2wpkh();
    }

    Hash256 nextHash() {
        return ids.hash();
    }
}
