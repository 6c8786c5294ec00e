package io.chaintrace.core.scenario;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.SegwitAddress;

/**
 * A UTXO chain with laundering patterns planted in background traffic, and the ground truth: per
 * pattern, the transactions that start each planted instance. Beside them, near-misses that a
 * good detector must not flag: exchange batch payouts (many outputs, varied amounts), payrolls
 * (equal outputs from one wallet), consolidations of one owner, and peel-like runs that are too
 * short or whose remainder grows.
 */
public final class PatternPlanter {
    /** The chain and, per pattern name, the planted instances' first transactions. */
    public record Planted(Scenario scenario, Map<String, Set<Hash256>> truth) {
    }

    static final long BTC = 100_000_000L;
    private final SplittableRandom rnd;
    private final List<Scenario.Block> blocks = new ArrayList<>();
    private final List<Scenario.Tx> pending = new ArrayList<>();
    private final Map<Outpoint, Long> values = new HashMap<>();
    private final Map<Outpoint, Address> owners = new HashMap<>();
    private final List<Outpoint> spendable = new ArrayList<>();
    private final Map<String, Set<Hash256>> truth = new HashMap<>();
    private int counter;

    private PatternPlanter(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    /** Plants {@code each} instances of every pattern and of every near-miss, with {@code background} ordinary payments around them. */
    public static Planted plant(long seed, int each, int background) {
        PatternPlanter p = new PatternPlanter(seed);
        List<Runnable> work = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            work.add(p::whirlpool);
            work.add(p::wasabi1);
            work.add(p::wasabi2);
            work.add(p::joinMarket);
            work.add(p::genericCoinJoin);
            work.add(p::peelChain);
            work.add(p::batchPayout);
            work.add(p::payroll);
            work.add(p::consolidation);
            work.add(p::shortOrGrowingPeel);
        }
        for (int i = 0; i < background; i++) {
            work.add(p::payment);
        }
        // Shuffle so planted instances sit among the background, not in runs.
        for (int i = work.size() - 1; i > 0; i--) {
            int j = p.rnd.nextInt(i + 1);
            Runnable t = work.get(i);
            work.set(i, work.get(j));
            work.set(j, t);
        }
        work.forEach(Runnable::run);
        p.seal();
        return new Planted(new Scenario(List.copyOf(p.blocks), List.of(), List.of(), Map.of(), Map.of(), 0), p.truth);
    }

    private void whirlpool() {
        long denom = List.of(100_000L, 1_000_000L, 5_000_000L, 50_000_000L).get(rnd.nextInt(4));
        int n = 5 + rnd.nextInt(4);
        List<Outpoint> in = new ArrayList<>();
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            in.add(coin(denom + 200 + rnd.nextInt(5_000)));
            out.add(new long[] {denom});
        }
        mark("coinjoin.whirlpool", tx(in, out));
    }

    private void wasabi1() {
        int n = 10 + rnd.nextInt(40);
        long denom = (long) (10_000_000L * (0.97 + 0.06 * rnd.nextDouble()));
        List<Outpoint> in = new ArrayList<>();
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long have = denom + 100_000 + rnd.nextLong(50_000_000L);
            in.add(coin(have));
            out.add(new long[] {denom});
            out.add(new long[] {have - denom - 5_000});
        }
        mark("coinjoin.wasabi1", tx(in, out));
    }

    private void wasabi2() {
        long[] standard = {5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000};
        int n = 20 + rnd.nextInt(40);
        List<Outpoint> in = new ArrayList<>();
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long a = standard[rnd.nextInt(standard.length)];
            long b = standard[rnd.nextInt(standard.length)];
            in.add(coin(a + b + 1_000));
            out.add(new long[] {a});
            out.add(new long[] {b});
        }
        mark("coinjoin.wasabi2", tx(in, out));
    }

    private void joinMarket() {
        int n = 3 + rnd.nextInt(6);
        long v = 1_000_000L + rnd.nextLong(100_000_000L);
        List<Outpoint> in = new ArrayList<>();
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long have = v + (i == 0 ? 3_000 : 50_000 + rnd.nextLong(10_000_000L));
            in.add(coin(have));
            out.add(new long[] {v});
            if (i > 0) {
                out.add(new long[] {have - v - 1_000 + 300}); // makers earn a fee; the taker (i = 0) pays it and has no change
            }
        }
        mark("coinjoin.joinmarket", tx(in, out));
    }

    private void genericCoinJoin() {
        long v = 500_000L + rnd.nextLong(20_000_000L);
        long a = v + 10_000 + rnd.nextLong(5_000_000L);
        List<Outpoint> in = List.of(coin(a), coin(v + 2_000));
        mark("coinjoin.generic", tx(in, List.of(new long[] {v}, new long[] {v}, new long[] {a - v - 1_000})));
    }

    private void peelChain() {
        int n = 3 + rnd.nextInt(10);
        Outpoint c = coin((5 + rnd.nextInt(50)) * BTC);
        Hash256 first = null;
        for (int i = 0; i < n; i++) {
            long have = values.get(c);
            long peel = have / (10 + rnd.nextInt(90));
            Hash256 t = tx(List.of(c), List.of(new long[] {peel}, new long[] {have - peel - 1_000}));
            first = first == null ? t : first;
            c = new Outpoint(t, 1);
        }
        mark("peel_chain", first);
    }

    private void batchPayout() {
        Address exchange = fresh();
        List<Outpoint> in = List.of(coinTo(exchange, (20 + rnd.nextInt(100)) * BTC), coinTo(exchange, (20 + rnd.nextInt(100)) * BTC));
        long total = values.get(in.get(0)) + values.get(in.get(1));
        int n = 10 + rnd.nextInt(40);
        List<long[]> out = new ArrayList<>();
        long left = total - 20_000;
        for (int i = 0; i < n - 1; i++) {
            long v = 10_000 + rnd.nextLong(BTC);
            out.add(new long[] {v});
            left -= v;
        }
        out.add(new long[] {left});
        tx(in, out);
    }

    private void payroll() {
        int n = 5 + rnd.nextInt(16);
        long salary = 1_000_000L * (1 + rnd.nextInt(20));
        Outpoint c = coin(n * salary + BTC);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new long[] {salary});
        }
        out.add(new long[] {BTC - 5_000});
        tx(List.of(c), out);
    }

    private void consolidation() {
        Address owner = fresh();
        int n = 5 + rnd.nextInt(16);
        List<Outpoint> in = new ArrayList<>();
        long total = 0;
        for (int i = 0; i < n; i++) {
            Outpoint c = coinTo(owner, 10_000 + rnd.nextLong(BTC));
            in.add(c);
            total += values.get(c);
        }
        tx(in, List.of(new long[] {total - 10_000}));
    }

    /** Two peel-like steps only, or three whose remainder grows at the second step (topped up). */
    private void shortOrGrowingPeel() {
        Outpoint c = coin((5 + rnd.nextInt(50)) * BTC);
        boolean grow = rnd.nextBoolean();
        for (int i = 0; i < (grow ? 3 : 2); i++) {
            List<Outpoint> in = new ArrayList<>(List.of(c));
            if (grow && i == 1) {
                in.add(coin(100 * BTC));
            }
            long have = in.stream().mapToLong(values::get).sum();
            long peel = have / (10 + rnd.nextInt(90));
            c = new Outpoint(tx(in, List.of(new long[] {peel}, new long[] {have - peel - 1_000})), 1);
        }
    }

    /** Background: two coins paid to a payee and change, or one coin split three ways; amounts varied. */
    private void payment() {
        if (spendable.size() < 4 || rnd.nextInt(4) == 0) {
            coin(BTC / 10 + rnd.nextLong(20 * BTC));
            return;
        }
        List<Outpoint> in = new ArrayList<>();
        int k = rnd.nextInt(3) == 0 ? 1 : 2;
        for (int i = 0; i < k; i++) {
            in.add(spendable.remove(rnd.nextInt(spendable.size())));
        }
        long have = in.stream().mapToLong(values::get).sum();
        long fee = 1_000;
        if (have < 100_000) {
            return;
        }
        List<long[]> out = new ArrayList<>();
        int outs = k == 1 ? 3 : 2;
        long left = have - fee;
        for (int i = 0; i < outs - 1; i++) {
            long v = left / 4 + rnd.nextLong(left / 2);
            out.add(new long[] {v});
            left -= v;
        }
        out.add(new long[] {left});
        for (Outpoint o : outpoints(tx(in, out), outs)) {
            spendable.add(o);
        }
    }

    private List<Outpoint> outpoints(Hash256 t, int n) {
        List<Outpoint> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new Outpoint(t, i));
        }
        return l;
    }

    private void mark(String pattern, Hash256 first) {
        truth.computeIfAbsent(pattern, k -> new LinkedHashSet<>()).add(first);
    }

    private Outpoint coin(long sat) {
        return coinTo(fresh(), sat);
    }

    private Outpoint coinTo(Address to, long sat) {
        Hash256 t = nextHash();
        pending.add(new Scenario.Tx(t, List.of(Outpoint.COINBASE), List.of(new TxOutput(0, sat, ScriptKind.P2WPKH, Optional.of(to)))));
        Outpoint op = new Outpoint(t, 0);
        values.put(op, sat);
        owners.put(op, to);
        sealIfFull();
        return op;
    }

    /** A transaction paying each output to a fresh address; what the inputs hold beyond the outputs is the fee. */
    private Hash256 tx(List<Outpoint> in, List<long[]> out) {
        long have = in.stream().mapToLong(values::get).sum();
        long paid = out.stream().mapToLong(o -> o[0]).sum();
        if (paid > have) {
            throw new IllegalStateException("planter bug: pays " + paid + " from " + have);
        }
        Hash256 t = nextHash();
        List<TxOutput> outputs = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            Address to = fresh();
            outputs.add(new TxOutput(i, out.get(i)[0], ScriptKind.P2WPKH, Optional.of(to)));
            Outpoint op = new Outpoint(t, i);
            values.put(op, out.get(i)[0]);
            owners.put(op, to);
        }
        pending.add(new Scenario.Tx(t, in, outputs));
        sealIfFull();
        return t;
    }

    private void sealIfFull() {
        if (pending.size() >= 100) {
            seal();
        }
    }

    private void seal() {
        if (pending.isEmpty()) {
            return;
        }
        int height = blocks.size();
        Hash256 parent = blocks.isEmpty() ? Hash256.ZERO : blocks.getLast().hash();
        blocks.add(new Scenario.Block(height, nextHash(), parent, 1_600_000_000L + height * 600L, List.copyOf(pending)));
        pending.clear();
    }

    private Address fresh() {
        byte[] program = new byte[20];
        rnd.nextBytes(program);
        return new Address(Chain.BITCOIN, ScriptKind.P2WPKH, SegwitAddress.fromProgram(BitcoinNetwork.MAINNET, 0, program).toString());
    }

    private Hash256 nextHash() {
        byte[] b = new byte[32];
        rnd.nextBytes(b);
        b[0] = (byte) counter;
        b[1] = (byte) (counter++ >>> 8);
        return new Hash256(b);
    }
}
