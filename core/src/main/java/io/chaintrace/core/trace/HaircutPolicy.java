package io.chaintrace.core.trace;

import java.math.BigInteger;

/**
 * Haircut: every output, and the fee, carries the same tainted share,
 * {@code sum(input taint) / sum(input value)} (Möser et al., FC 2014). Tainted value is conserved
 * to the satoshi: shares are floored and the few satoshi left over go, one each, to the slices
 * with the largest remainders (ties: the earlier output, the fee last), so the slices always add
 * up to the input taint exactly.
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
    public Distribution distribute(long[] inputValue, long[] inputTaint, long[] outputValue, long fee) {
        long taint = 0;
        for (long t : inputTaint) {
            taint = Math.addExact(taint, t);
        }
        int n = outputValue.length;
        long[] out = new long[n];
        if (taint == 0) {
            return new Distribution(out, 0);
        }
        long total = fee;
        for (long v : outputValue) {
            total = Math.addExact(total, v);
        }
        if (total == 0) {
            // Nothing to carry the taint (all outputs zero, no fee): it goes to the fee slice.
            return new Distribution(out, taint);
        }
        // Slices: outputs 0..n-1, then the fee at n.
        long[] remainder = new long[n + 1];
        long assigned = 0;
        for (int i = 0; i <= n; i++) {
            long v = i < n ? outputValue[i] : fee;
            long share;
            long rem;
            long hi = Math.multiplyHigh(v, taint);
            long lo = v * taint;
            if (hi == 0 && lo >= 0) {
                share = lo / total;
                rem = lo % total;
            } else {
                // v * taint overflows 63 bits only for sums beyond ~30 BTC x 30 BTC: go exact.
                BigInteger[] qr = BigInteger.valueOf(v).multiply(BigInteger.valueOf(taint))
                        .divideAndRemainder(BigInteger.valueOf(total));
                share = qr[0].longValueExact();
                rem = qr[1].longValueExact();
            }
            if (i < n) {
                out[i] = share;
            }
            remainder[i] = rem;
            assigned += share;
        }
        long feeTaint = assigned - sum(out);
        long left = taint - assigned;
        // left < n + 1: hand out one satoshi each to the largest remainders.
        while (left > 0) {
            int best = -1;
            for (int i = 0; i <= n; i++) {
                if (remainder[i] > 0 && (best < 0 || remainder[i] > remainder[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            remainder[best] = 0;
            if (best < n) {
                out[best]++;
            } else {
                feeTaint++;
            }
            left--;
        }
        return new Distribution(out, feeTaint);
    }

    private static long sum(long[] a) {
        long s = 0;
        for (long x : a) {
            s += x;
        }
        return s;
    }
}
