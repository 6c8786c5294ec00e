package io.chaintrace.core.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Poison and haircut on single transactions: hand-worked cases and conservation for any input. */
class TaintPolicyTest {
    private final HaircutPolicy haircut = new HaircutPolicy();
    private final PoisonPolicy poison = new PoisonPolicy();

    @Test
    void haircutSharesProportionally() {
        // Inputs 10 (fully tainted) and 50 (clean) -> 61 out... as in block 496: 11 of 61 tainted.
        TaintPolicy.Distribution d = haircut.distribute(new long[] {10, 1, 50}, new long[] {10, 1, 0}, new long[] {61}, 0);
        assertArrayEquals(new long[] {11}, d.outputTaint());
        assertEquals(0, d.feeTaint());
    }

    @Test
    void haircutHandsLeftoverSatoshiToTheLargestRemainders() {
        // 10 sat of taint over outputs 1/1/1 with fee 0: 3.33 each -> 4, 3, 3 (earliest wins the tie).
        TaintPolicy.Distribution d = haircut.distribute(new long[] {30}, new long[] {10}, new long[] {10, 10, 10}, 0);
        assertArrayEquals(new long[] {4, 3, 3}, d.outputTaint());
        // With a fee the fee takes its share: 100 in (60 tainted), outputs 70 and 20, fee 10.
        TaintPolicy.Distribution f = haircut.distribute(new long[] {100}, new long[] {60}, new long[] {70, 20}, 10);
        assertArrayEquals(new long[] {42, 12}, f.outputTaint());
        assertEquals(6, f.feeTaint());
    }

    @Test
    void haircutIsExactForAmountsBeyondSixtyFourBitProducts() {
        long maxMoney = 2_100_000_000_000_000L;
        TaintPolicy.Distribution d = haircut.distribute(new long[] {maxMoney, maxMoney}, new long[] {maxMoney, 0},
                new long[] {maxMoney / 3, maxMoney - maxMoney / 3, maxMoney}, 0);
        assertEquals(maxMoney, d.outputTaint()[0] + d.outputTaint()[1] + d.outputTaint()[2]);
        assertEquals(maxMoney / 2, d.outputTaint()[2]);
    }

    @Test
    void poisonTaintsEverythingOrNothing() {
        assertArrayEquals(new long[] {5, 7}, poison.distribute(new long[] {3, 10}, new long[] {1, 0}, new long[] {5, 7}, 1).outputTaint());
        assertArrayEquals(new long[] {0, 0}, poison.distribute(new long[] {3, 10}, new long[] {0, 0}, new long[] {5, 7}, 1).outputTaint());
    }

    @Test
    void policiesByName() {
        assertEquals("haircut", TaintPolicy.named("Haircut").name());
        assertEquals("poison", TaintPolicy.named("poison").name());
        assertThrows(IllegalArgumentException.class, () -> TaintPolicy.named("fifo-ish"));
    }

    record Tx(long[] inValue, long[] inTaint, long[] outValue, long fee) {
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
                    long[] taint = new long[in.length];
                    for (int i = 0; i < in.length; i++) {
                        taint[i] = (long) (in[i] * share);
                    }
                    // Split the inputs' total into outs outputs and a fee.
                    long[] out = new long[outs];
                    long left = total;
                    for (int i = 0; i < outs; i++) {
                        long v = i < seedOut.length ? Math.floorMod(seedOut[i], left + 1) : left / 2;
                        out[i] = v;
                        left -= v;
                    }
                    return new Tx(in, taint, out, left);
                });
    }

    @Property(tries = 2000)
    void haircutConservesTaintToTheSatoshi(@ForAll("transactions") Tx tx) {
        TaintPolicy.Distribution d = haircut.distribute(tx.inValue(), tx.inTaint(), tx.outValue(), tx.fee());
        long in = 0;
        for (long t : tx.inTaint()) {
            in += t;
        }
        long out = d.feeTaint();
        for (int i = 0; i < d.outputTaint().length; i++) {
            long t = d.outputTaint()[i];
            if (t < 0 || t > tx.outValue()[i]) {
                throw new AssertionError("output " + i + " taint " + t + " outside 0.." + tx.outValue()[i]);
            }
            out += t;
        }
        assertEquals(in, out);
    }

    @Property(tries = 500)
    void haircutNeverExceedsPoison(@ForAll("transactions") Tx tx) {
        long[] h = haircut.distribute(tx.inValue(), tx.inTaint(), tx.outValue(), tx.fee()).outputTaint();
        long[] p = poison.distribute(tx.inValue(), tx.inTaint(), tx.outValue(), tx.fee()).outputTaint();
        for (int i = 0; i < h.length; i++) {
            if (h[i] > p[i]) {
                throw new AssertionError("haircut " + h[i] + " > poison " + p[i] + " at output " + i);
            }
        }
    }
}
