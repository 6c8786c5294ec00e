package io.chaintrace.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of traces on random UTXO chains: conservation for every policy, FIFO forward then
 * backward lands on the seed, haircut within poison, nothing tainted before the seed.
 */
class UtxoTracePropertiesTest {
    /** A random chain: coinbases, then transactions spending 1-3 unspent outputs into 1-4 outputs. */
    record Chain(MemoryLedger ledger, List<Outpoint> outputs, Map<Outpoint, Integer> heightOf) {
    }

    static Chain chain(long seed, int transactions, boolean fees) {
        Random rnd = new Random(seed);
        MemoryLedger ledger = new MemoryLedger();
        List<Outpoint> unspent = new ArrayList<>();
        Map<Outpoint, Long> value = new HashMap<>();
        List<Outpoint> all = new ArrayList<>();
        Map<Outpoint, Integer> heightOf = new HashMap<>();
        int owners = 2 + transactions / 3;
        for (int n = 0; n < transactions; n++) {
            int height = n / 3;
            Hash256 txid = hash(seed, n);
            List<Outpoint> spent = new ArrayList<>();
            long in = 0;
            if (n < 4 || unspent.isEmpty() || rnd.nextInt(8) == 0) {
                spent.add(Outpoint.COINBASE);
                in = 1 + rnd.nextLong(5_000_000_000L);
            } else {
                int k = 1 + rnd.nextInt(Math.min(3, unspent.size()));
                for (int i = 0; i < k; i++) {
                    Outpoint op = unspent.remove(rnd.nextInt(unspent.size()));
                    spent.add(op);
                    in += value.get(op);
                }
            }
            long fee = fees && !spent.getFirst().equals(Outpoint.COINBASE) ? rnd.nextLong(Math.max(1, in / 50)) : 0;
            int m = 1 + rnd.nextInt(4);
            List<TxOutput> outs = new ArrayList<>();
            long left = in - fee;
            for (int j = 0; j < m; j++) {
                long v = j == m - 1 ? left : rnd.nextLong(left + 1);
                left -= v;
                Address owner = owner(rnd.nextInt(owners));
                outs.add(new TxOutput(j, v, ScriptKind.P2PK, Optional.of(owner)));
                Outpoint op = new Outpoint(txid, j);
                value.put(op, v);
                unspent.add(op);
                all.add(op);
                heightOf.put(op, height);
            }
            ledger.add(txid, new BlockRef(height, hash(seed, -1 - height), 1_600_000_000L + height * 600L), n % 3, spent, outs);
        }
        return new Chain(ledger, all, heightOf);
    }

    static Hash256 hash(long seed, int n) {
        byte[] b = new byte[32];
        java.nio.ByteBuffer.wrap(b).putLong(seed).putInt(n).putInt(0x5eed);
        return new Hash256(b);
    }

    static Address owner(int i) {
        byte[] key = new byte[33];
        key[0] = 2;
        key[32] = (byte) i;
        key[31] = (byte) (i >> 8);
        return Address.ofPublicKey(key);
    }

    static TraceResult trace(MemoryLedger ledger, List<Seed> seeds, TaintPolicy p, Direction d) {
        return new UtxoTracer(ledger).trace(new TraceRequest(seeds, p, d, Limits.DEFAULT.withHops(10_000), Set.of(), false));
    }

    static Outpoint pick(Chain c, int index) {
        return c.outputs().get(Math.floorMod(index, c.outputs().size()));
    }

    @Property(tries = 200)
    void everyConservingPolicyBalancesToTheUnit(@ForAll long seed, @ForAll @IntRange(min = 5, max = 120) int n, @ForAll int which,
                                                @ForAll @LongRange(min = 0, max = 3) long hopsCut) {
        Chain c = chain(seed, n, true);
        Outpoint s = pick(c, which);
        for (TaintPolicy p : TaintPolicy.ALL) {
            for (Direction d : Direction.values()) {
                TraceResult r = new UtxoTracer(c.ledger()).trace(new TraceRequest(List.of(new Seed.OutpointSeed(s)), p, d,
                        new Limits((int) (hopsCut == 0 ? 10_000 : hopsCut), hopsCut * 1000, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
                                Long.MAX_VALUE), Set.of(), false));
                if (p.conserving()) {
                    assertTrue(r.balanced(), p.name() + " " + d + ": " + r.account());
                }
            }
        }
    }

    @Property(tries = 200)
    void fifoForwardThenBackwardReturnsTheSeed(@ForAll long seed, @ForAll @IntRange(min = 5, max = 120) int n, @ForAll int which) {
        Chain c = chain(seed, n, false); // taint paid as fee would not come back
        Outpoint s = pick(c, which);
        TraceResult forward = trace(c.ledger(), List.of(new Seed.OutpointSeed(s)), new FifoPolicy(), Direction.FORWARD);
        List<Seed> ends = new ArrayList<>();
        for (TraceResult.TaintedOutput o : forward.outputs()) {
            if (o.state() == TraceResult.OutputState.UNSPENT && !o.taint().isClean()) {
                ends.add(new Seed.TaintSeed(o.outpoint(), o.taint()));
            }
        }
        if (ends.isEmpty()) {
            return; // a zero-value seed
        }
        TraceResult backward = trace(c.ledger(), ends, new FifoPolicy(), Direction.BACKWARD);
        Map<Outpoint, Taint> back = new HashMap<>();
        backward.outputs().forEach(o -> back.put(o.outpoint(), o.taint()));
        for (TraceResult.TaintedOutput o : forward.outputs()) {
            assertEquals(o.taint(), back.get(o.outpoint()), "output " + o.outpoint() + " at hop " + o.hop());
        }
        assertEquals(forward.outputs().getFirst().taint(), back.get(s), "the seed, exactly");
    }

    @Property(tries = 200)
    void haircutNeverExceedsPoison(@ForAll long seed, @ForAll @IntRange(min = 5, max = 120) int n, @ForAll int which) {
        Chain c = chain(seed, n, true);
        Outpoint s = pick(c, which);
        Map<Outpoint, Long> poison = new HashMap<>();
        trace(c.ledger(), List.of(new Seed.OutpointSeed(s)), new PoisonPolicy(), Direction.FORWARD).outputs()
                .forEach(o -> poison.put(o.outpoint(), o.taint().amount()));
        for (TaintPolicy p : TaintPolicy.ALL) {
            for (TraceResult.TaintedOutput o : trace(c.ledger(), List.of(new Seed.OutpointSeed(s)), p, Direction.FORWARD).outputs()) {
                assertTrue(o.taint().amount() <= poison.getOrDefault(o.outpoint(), 0L), p.name() + " at " + o.outpoint());
            }
        }
    }

    @Property(tries = 200)
    void nothingIsTaintedBeforeTheSeed(@ForAll long seed, @ForAll @IntRange(min = 5, max = 120) int n, @ForAll int which) {
        Chain c = chain(seed, n, true);
        Outpoint s = pick(c, which);
        int seedHeight = c.heightOf().get(s);
        for (TaintPolicy p : TaintPolicy.ALL) {
            TraceResult r = trace(c.ledger(), List.of(new Seed.OutpointSeed(s)), p, Direction.FORWARD);
            for (TraceResult.TaintedOutput o : r.outputs()) {
                assertTrue(o.height() >= seedHeight, p.name() + ": " + o.outpoint() + " at " + o.height() + " before the seed at " + seedHeight);
            }
            for (TraceResult.TaintedTransaction t : r.transactions()) {
                assertTrue(t.height() >= seedHeight, p.name());
            }
        }
    }
}
