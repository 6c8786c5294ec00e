package io.chaintrace.core.trace;

import java.math.BigInteger;

/**
 * Haircut: every output, and the fee, carries the same tainted share,
 * {@code sum(input taint) / sum(input value)}; backward, every input carries the same share of the
 * outputs' taint (Möser et al., FC 2014). Exact to the unit: shares are floored and the few units
 * left over go, one each, to the slices with the largest remainders (ties: the earlier slice, the
 * fee last), so the slices always add up to the taint exactly.
 */
public final class HaircutPolicy implements TaintPolicy {
    @Override
    public String name() {
        return "haircut";
    }

    @Override
    public boolean conserving() {
        return true;
    }

    @Override
    public Split forward(Flow flow, Taint[] inputTaint) {
        long taint = TaintPolicy.total(inputTaint);
        int n = flow.outValue().length;
        long[] weights = new long[n + 1];
        System.arraycopy(flow.outValue(), 0, weights, 0, n);
        weights[n] = flow.fee();
        long[] shares = split(taint, weights);
        Taint[] out = new Taint[n];
        for (int i = 0; i < n; i++) {
            out[i] = Taint.amount(shares[i]);
        }
        return new Split(out, Taint.amount(shares[n]));
    }

    @Override
    public Taint[] backward(Flow flow, Taint[] outputTaint) {
        long[] shares = split(TaintPolicy.total(outputTaint), flow.inValue());
        Taint[] in = new Taint[shares.length];
        for (int i = 0; i < shares.length; i++) {
            in[i] = Taint.amount(shares[i]);
        }
        return in;
    }

    /**
     * {@code taint} split over slices in proportion to their weights, exactly (largest remainder).
     * With no weight at all the taint stays on the last slice.
     */
    public static long[] split(long taint, long[] weights) {
        long[] share = new long[weights.length];
        split(taint, weights, weights.length, share, new long[weights.length]);
        return share;
    }

    /**
     * As {@link #split(long, long[])} over the first {@code n} weights, into {@code share} (and
     * {@code remainder} as scratch), so that a tracer splitting millions of transactions allocates
     * nothing per transaction. Value that is wholly tainted is copied, not divided.
     */
    public static void split(long taint, long[] weights, int n, long[] share, long[] remainder) {
        java.util.Arrays.fill(share, 0, n, 0L);
        if (taint == 0 || n == 0) {
            return;
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            total = Math.addExact(total, weights[i]);
        }
        if (total == 0) {
            share[n - 1] = taint;
            return;
        }
        if (taint == total) {
            System.arraycopy(weights, 0, share, 0, n);
            return;
        }
        long assigned = 0;
        for (int i = 0; i < n; i++) {
            long w = weights[i];
            long hi = Math.multiplyHigh(w, taint);
            long lo = w * taint;
            if (hi == 0 && lo >= 0) {
                share[i] = lo / total;
                remainder[i] = lo % total;
            } else {
                // w * taint overflows 63 bits only beyond ~30 BTC x 30 BTC: go exact.
                BigInteger[] qr = BigInteger.valueOf(w).multiply(BigInteger.valueOf(taint)).divideAndRemainder(BigInteger.valueOf(total));
                share[i] = qr[0].longValueExact();
                remainder[i] = qr[1].longValueExact();
            }
            assigned += share[i];
        }
        // Fewer than n units are left: one each to the largest remainders.
        for (long left = taint - assigned; left > 0; left--) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (remainder[i] > 0 && (best < 0 || remainder[i] > remainder[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                share[n - 1] += left;
                break;
            }
            remainder[best] = 0;
            share[best]++;
        }
    }
}
