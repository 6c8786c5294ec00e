package io.chaintrace.core.trace;

import java.util.Arrays;
import java.util.Comparator;

/**
 * TIHO, taint in highest out (Tironsakkul et al., "Probing the Mystery of Cryptocurrency Theft",
 * 2019): the transaction's tainted input value goes first to the highest-value output, then the
 * next highest (ties: the earlier output), and only what no output can hold to the fee. Backward,
 * tainted output value is taken from the highest-value input first. By amount.
 */
public final class TihoPolicy implements TaintPolicy {
    @Override
    public String name() {
        return "tiho";
    }

    @Override
    public boolean conserving() {
        return true;
    }

    @Override
    public Split forward(Flow flow, Taint[] inputTaint) {
        long[] shares = fillHighestFirst(TaintPolicy.total(inputTaint), flow.outValue());
        Taint[] out = new Taint[shares.length];
        long placed = 0;
        for (int i = 0; i < shares.length; i++) {
            out[i] = Taint.amount(shares[i]);
            placed += shares[i];
        }
        return new Split(out, Taint.amount(TaintPolicy.total(inputTaint) - placed));
    }

    @Override
    public Taint[] backward(Flow flow, Taint[] outputTaint) {
        long[] shares = fillHighestFirst(TaintPolicy.total(outputTaint), flow.inValue());
        Taint[] in = new Taint[shares.length];
        for (int i = 0; i < shares.length; i++) {
            in[i] = Taint.amount(shares[i]);
        }
        return in;
    }

    /** {@code taint} poured into slots highest value first; what does not fit is left out. */
    static long[] fillHighestFirst(long taint, long[] values) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> values[i]).reversed().thenComparing(Comparator.naturalOrder()));
        long[] share = new long[values.length];
        long left = taint;
        for (int i : order) {
            long take = Math.min(left, values[i]);
            share[i] = take;
            left -= take;
        }
        return share;
    }
}
