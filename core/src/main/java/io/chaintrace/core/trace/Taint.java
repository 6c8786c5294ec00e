package io.chaintrace.core.trace;

import java.util.Arrays;

/**
 * The tainted part of one coin (an output, or a slice of value) of {@code value} satoshi or units.
 *
 * <p>Amount policies (poison, haircut, TIHO) only know how much is tainted. Order policies (FIFO,
 * LIFO) also know where: sorted, disjoint half-open intervals {@code [start, end)} within
 * {@code [0, value)}. Knowing where makes them exact in both directions: a trace forward and then
 * back lands on the very satoshi it started from.
 */
public final class Taint {
    private static final long[] NONE = new long[0];
    public static final Taint CLEAN = new Taint(0, NONE);

    private final long amount;
    /** Interval bounds, start0, end0, start1, end1, ...; null for amount-only taint. */
    private final long[] bounds;

    private Taint(long amount, long[] bounds) {
        this.amount = amount;
        this.bounds = bounds;
    }

    /** Taint known by amount only. */
    public static Taint amount(long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException("negative taint " + amount);
        }
        return amount == 0 ? CLEAN : new Taint(amount, null);
    }

    /** All of a coin, as an interval (so that order policies can follow it). */
    public static Taint whole(long value) {
        return value == 0 ? CLEAN : new Taint(value, new long[] {0, value});
    }

    /** Taint at these bounds (sorted, disjoint, non-empty intervals). */
    public static Taint intervals(long[] bounds) {
        long sum = 0;
        for (int i = 0; i < bounds.length; i += 2) {
            if (bounds[i] >= bounds[i + 1] || (i > 0 && bounds[i] < bounds[i - 1])) {
                throw new IllegalArgumentException("intervals must be sorted, disjoint and non-empty: " + Arrays.toString(bounds));
            }
            sum += bounds[i + 1] - bounds[i];
        }
        return sum == 0 ? CLEAN : new Taint(sum, bounds);
    }

    public long amount() {
        return amount;
    }

    public boolean isClean() {
        return amount == 0;
    }

    /** Whether the taint knows where it sits in the coin. */
    public boolean located() {
        return bounds != null;
    }

    /** Interval bounds (start, end pairs); taint known by amount only counts as sitting at the start of the coin. */
    public long[] bounds() {
        if (bounds != null) {
            return bounds.clone();
        }
        return amount == 0 ? NONE : new long[] {0, amount};
    }

    /** Both taints together on one coin (used when a trace reaches a coin twice). */
    public Taint union(Taint other) {
        if (other.isClean()) {
            return this;
        }
        if (isClean()) {
            return other;
        }
        if (!located() || !other.located()) {
            return amount(amount + other.amount);
        }
        long[] a = bounds;
        long[] b = other.bounds;
        long[] merged = new long[a.length + b.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length || j < b.length) {
            long s;
            long e;
            if (j >= b.length || (i < a.length && a[i] <= b[j])) {
                s = a[i];
                e = a[i + 1];
                i += 2;
            } else {
                s = b[j];
                e = b[j + 1];
                j += 2;
            }
            if (n > 0 && s <= merged[n - 1]) {
                merged[n - 1] = Math.max(merged[n - 1], e);
            } else {
                merged[n++] = s;
                merged[n++] = e;
            }
        }
        return intervals(Arrays.copyOf(merged, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Taint t && t.amount == amount && Arrays.equals(bounds, t.bounds);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(amount) * 31 + Arrays.hashCode(bounds);
    }

    @Override
    public String toString() {
        return bounds == null ? Long.toString(amount) : amount + Arrays.toString(bounds);
    }
}
