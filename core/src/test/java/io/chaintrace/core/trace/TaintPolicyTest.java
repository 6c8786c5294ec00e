package io.chaintrace.core.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The five policies on single transactions: hand-worked cases, and properties for any transaction. */
class TaintPolicyTest {
    private final HaircutPolicy haircut = new HaircutPolicy();
    private final PoisonPolicy poison = new PoisonPolicy();
    private final FifoPolicy fifo = new FifoPolicy();
    private final LifoPolicy lifo = new LifoPolicy();
    private final TihoPolicy tiho = new TihoPolicy();

    static Taint[] amounts(long... a) {
        return Arrays.stream(a).mapToObj(Taint::amount).toArray(Taint[]::new);
    }

    static long[] amountsOf(Taint[] t) {
        return Arrays.stream(t).mapToLong(Taint::amount).toArray();
    }

    static Flow flow(long[] in, long[] out, long fee) {
        return new Flow(in, new long[in.length], out, fee);
    }

    @Test
    void haircutSharesProportionallyAndExactly() {
        // Block 496's merge: 10 (tainted) + 1 (tainted) + 50 (clean) -> 61: 11 of 61 tainted.
        assertArrayEquals(new long[] {11}, amountsOf(haircut.forward(flow(new long[] {10, 1, 50}, new long[] {61}, 0),
                amounts(10, 1, 0)).taint()));
        // 10 units over three equal outputs: 3.33 each -> 4, 3, 3 (the earliest wins the tie).
        assertArrayEquals(new long[] {4, 3, 3}, amountsOf(haircut.forward(flow(new long[] {30}, new long[] {10, 10, 10}, 0),
                amounts(10)).taint()));
        // With a fee the fee takes its share: 100 in (60 tainted), outputs 70 and 20, fee 10.
        TaintPolicy.Split f = haircut.forward(flow(new long[] {100}, new long[] {70, 20}, 10), amounts(60));
        assertArrayEquals(new long[] {42, 12}, amountsOf(f.taint()));
        assertEquals(6, f.fee().amount());
    }

    @Test
    void haircutIsExactForAmountsBeyondSixtyFourBitProducts() {
        long maxMoney = 2_100_000_000_000_000L;
        TaintPolicy.Split d = haircut.forward(flow(new long[] {maxMoney, maxMoney}, new long[] {maxMoney / 3, maxMoney - maxMoney / 3,
            maxMoney}, 0), amounts(maxMoney, 0));
        assertEquals(maxMoney, TaintPolicy.total(d.taint()));
        assertEquals(maxMoney / 2, d.taint()[2].amount());
    }

    @Test
    void fifoFillsOutputsInOrderWithTheTaintWhereItIs() {
        // Inputs 5 (clean) then 10 (tainted); outputs 8, 6; fee 1. The line: [0,5) clean, [5,15) tainted.
        // Output 0 = [0,8): tainted [5,8) -> 3; output 1 = [8,14): 6; fee = [14,15): 1.
        TaintPolicy.Split s = fifo.forward(flow(new long[] {5, 10}, new long[] {8, 6}, 1), new Taint[] {Taint.CLEAN, Taint.whole(10)});
        assertEquals(Taint.intervals(new long[] {5, 8}), s.taint()[0]);
        assertEquals(Taint.whole(6), s.taint()[1]);
        assertEquals(1, s.fee().amount());
    }

    @Test
    void lifoConsumesTheNewestInputFirst() {
        // The same, but the tainted input (age 2) is newer than the clean one (age 1): it is consumed first.
        TaintPolicy.Split s = lifo.forward(new Flow(new long[] {5, 10}, new long[] {1, 2}, new long[] {8, 6}, 1),
                new Taint[] {Taint.CLEAN, Taint.whole(10)});
        assertEquals(Taint.whole(8), s.taint()[0]);
        assertEquals(Taint.intervals(new long[] {0, 2}), s.taint()[1]);
        assertEquals(0, s.fee().amount());
    }

    @Test
    void tihoPutsTaintIntoTheHighestOutputFirst() {
        TaintPolicy.Split s = tiho.forward(flow(new long[] {5, 10}, new long[] {3, 8, 3}, 1), amounts(0, 10));
        assertArrayEquals(new long[] {2, 8, 0}, amountsOf(s.taint()));
        assertEquals(0, s.fee().amount());
    }

    @Test
    void poisonTaintsEverythingOrNothing() {
        assertArrayEquals(new long[] {5, 7}, amountsOf(poison.forward(flow(new long[] {3, 10}, new long[] {5, 7}, 1), amounts(1, 0)).taint()));
        assertArrayEquals(new long[] {0, 0}, amountsOf(poison.forward(flow(new long[] {3, 10}, new long[] {5, 7}, 1), amounts(0, 0)).taint()));
    }

    @Test
    void policiesByName() {
        for (TaintPolicy p : TaintPolicy.ALL) {
            assertEquals(p.name(), TaintPolicy.named(p.name().toUpperCase()).name());
        }
        assertThrows(IllegalArgumentException.class, () -> TaintPolicy.named("fifo-ish"));
    }

    record Tx(long[] inValue, long[] inAge, Taint[] inTaint, long[] outValue, long fee) {
        Flow flow() {
            return new Flow(inValue, inAge, outValue, fee);
        }
    }

    @Provide
    Arbitrary<Tx> transactions() {
        Arbitrary<long[]> values = Arbitraries.longs().between(0, 2_100_000_000_000_000L / 8).array(long[].class).ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(values, values, Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(1, 12))
                .as((in, seedOut, share, outs) -> {
                    long total = 0;
                    for (long v : in) {
                        total += v;
                    }
                    Taint[] taint = new Taint[in.length];
                    long[] age = new long[in.length];
                    for (int i = 0; i < in.length; i++) {
                        long t = (long) (in[i] * share);
                        // Alternate: tainted prefix, tainted suffix, so that order policies see taint at both ends.
                        taint[i] = t == 0 ? Taint.CLEAN : Taint.intervals(i % 2 == 0 ? new long[] {0, t} : new long[] {in[i] - t, in[i]});
                        age[i] = Math.floorMod(seedOut.length > 0 ? seedOut[0] * (i + 7) : i, 97);
                    }
                    long[] out = new long[outs];
                    long left = total;
                    for (int i = 0; i < outs; i++) {
                        long v = i < seedOut.length ? Math.floorMod(seedOut[i], left + 1) : left / 2;
                        out[i] = v;
                        left -= v;
                    }
                    return new Tx(in, age, taint, out, left);
                });
    }

    @Property(tries = 1000)
    void conservingPoliciesConserveTaintToTheUnit(@ForAll("transactions") Tx tx) {
        long in = TaintPolicy.total(tx.inTaint());
        for (TaintPolicy p : TaintPolicy.ALL) {
            if (!p.conserving()) {
                continue;
            }
            TaintPolicy.Split s = p.forward(tx.flow(), tx.inTaint());
            for (int i = 0; i < s.taint().length; i++) {
                long t = s.taint()[i].amount();
                if (t < 0 || t > tx.outValue()[i]) {
                    throw new AssertionError(p.name() + ": output " + i + " taint " + t + " outside 0.." + tx.outValue()[i]);
                }
            }
            assertEquals(in, TaintPolicy.total(s.taint()) + s.fee().amount(), p.name());
            Taint[] back = p.backward(tx.flow(), s.taint());
            assertEquals(in - s.fee().amount(), TaintPolicy.total(back), p.name() + " backward conserves");
        }
    }

    @Property(tries = 1000)
    void orderPoliciesBackwardReturnExactlyTheInputTaint(@ForAll("transactions") Tx tx) {
        for (TaintPolicy p : new TaintPolicy[] {fifo, lifo}) {
            TaintPolicy.Split s = p.forward(tx.flow(), tx.inTaint());
            if (s.fee().amount() != 0) {
                continue; // taint paid as fee does not come back
            }
            Taint[] back = p.backward(tx.flow(), s.taint());
            for (int i = 0; i < back.length; i++) {
                assertEquals(tx.inTaint()[i], back[i], p.name() + " input " + i);
            }
        }
    }

    @Property(tries = 500)
    void everyPolicyStaysWithinPoison(@ForAll("transactions") Tx tx) {
        long[] upper = amountsOf(poison.forward(tx.flow(), tx.inTaint()).taint());
        for (TaintPolicy p : TaintPolicy.ALL) {
            long[] t = amountsOf(p.forward(tx.flow(), tx.inTaint()).taint());
            for (int i = 0; i < t.length; i++) {
                if (t[i] > upper[i]) {
                    throw new AssertionError(p.name() + " " + t[i] + " > poison " + upper[i] + " at output " + i);
                }
            }
        }
    }
}
