package io.chaintrace.core.trace;

import java.util.Arrays;

/**
 * What FIFO and LIFO share: inputs are laid end to end in an order the policy chooses, outputs in
 * output order and then the fee; each output is tainted by exactly the tainted input value that
 * fills it. Taint keeps its position (intervals), so the mapping is exact both ways: backward is
 * the same line read from the other side.
 */
abstract sealed class OrderPolicy implements TaintPolicy permits FifoPolicy, LifoPolicy {
    /** The order in which inputs are consumed: input indexes. */
    abstract int[] inputOrder(Flow flow);

    @Override
    public boolean conserving() {
        return true;
    }

    @Override
    public Split forward(Flow flow, Taint[] inputTaint) {
        int[] order = inputOrder(flow);
        // Tainted intervals on the line of inputs.
        LongList line = new LongList();
        long offset = 0;
        for (int i : order) {
            long[] b = inputTaint[i].bounds();
            for (int k = 0; k < b.length; k++) {
                line.add(Math.min(b[k], flow.inValue()[i]) + offset);
            }
            offset += flow.inValue()[i];
        }
        long[] tainted = line.toArray();
        int n = flow.outValue().length;
        Taint[] out = new Taint[n];
        long start = 0;
        for (int j = 0; j < n; j++) {
            out[j] = cut(tainted, start, start + flow.outValue()[j]);
            start += flow.outValue()[j];
        }
        // The fee is the last slice; with unresolved inputs the line may end before the outputs do.
        return new Split(out, cut(tainted, start, start + flow.fee()));
    }

    @Override
    public Taint[] backward(Flow flow, Taint[] outputTaint) {
        LongList line = new LongList();
        long offset = 0;
        for (int j = 0; j < flow.outValue().length; j++) {
            for (long b : outputTaint[j].bounds()) {
                line.add(b + offset);
            }
            offset += flow.outValue()[j];
        }
        long[] tainted = line.toArray();
        Taint[] in = new Taint[flow.inValue().length];
        long start = 0;
        for (int i : inputOrder(flow)) {
            in[i] = cut(tainted, start, start + flow.inValue()[i]);
            start += flow.inValue()[i];
        }
        return in;
    }

    /** The tainted intervals within [from, to), moved to start at 0. */
    static Taint cut(long[] tainted, long from, long to) {
        LongList b = new LongList();
        for (int k = 0; k < tainted.length; k += 2) {
            long s = Math.max(tainted[k], from);
            long e = Math.min(tainted[k + 1], to);
            if (s < e) {
                b.addInterval(s - from, e - from);
            }
        }
        return Taint.intervals(b.toArray());
    }

    /** A growable long array: the hot path stays on primitives. */
    static final class LongList {
        private long[] a = new long[8];
        private int n;

        /** Appends [s, e), joining it to the last interval when they touch: one coin, one normal form. */
        void addInterval(long s, long e) {
            if (n >= 2 && a[n - 1] == s) {
                a[n - 1] = e;
            } else {
                add(s);
                add(e);
            }
        }

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
