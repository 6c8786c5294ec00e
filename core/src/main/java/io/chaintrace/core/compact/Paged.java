package io.chaintrace.core.compact;

import java.util.BitSet;

/**
 * Trace state by dense id on pages of primitive arrays allocated when first touched: array speed
 * for a trace that floods the chain, memory only where a small trace goes.
 */
final class Paged {
    private static final int SHIFT = 12;
    private static final int MASK = (1 << SHIFT) - 1;

    private Paged() {
    }

    /** long per id, 0 when never set. */
    static final class Longs {
        private final long[][] pages;

        Longs(int size) {
            pages = new long[(size >>> SHIFT) + 1][];
        }

        long get(int i) {
            long[] p = pages[i >>> SHIFT];
            return p == null ? 0 : p[i & MASK];
        }

        void set(int i, long v) {
            long[] p = pages[i >>> SHIFT];
            if (p == null) {
                p = pages[i >>> SHIFT] = new long[1 << SHIFT];
            }
            p[i & MASK] = v;
        }
    }

    /** int per id, 0 when never set. */
    static final class Ints {
        private final int[][] pages;

        Ints(int size) {
            pages = new int[(size >>> SHIFT) + 1][];
        }

        int get(int i) {
            int[] p = pages[i >>> SHIFT];
            return p == null ? 0 : p[i & MASK];
        }

        void set(int i, int v) {
            int[] p = pages[i >>> SHIFT];
            if (p == null) {
                p = pages[i >>> SHIFT] = new int[1 << SHIFT];
            }
            p[i & MASK] = v;
        }
    }

    /**
     * Transactions waiting, taken in id order. Every id added is above the one last taken, so a
     * heap serves small traces and, once a trace floods, a bitset scanned forward is cheaper.
     */
    static final class Waiting {
        private static final int FLOOD = 1 << 14;
        private it.unimi.dsi.fastutil.ints.IntHeapPriorityQueue heap = new it.unimi.dsi.fastutil.ints.IntHeapPriorityQueue();
        private BitSet bits;
        private int cursor;
        private int size;

        void add(int id) {
            size++;
            if (bits != null) {
                bits.set(id);
                return;
            }
            heap.enqueue(id);
            if (heap.size() > FLOOD) {
                bits = new BitSet();
                while (!heap.isEmpty()) {
                    bits.set(heap.dequeueInt());
                }
                heap = null;
            }
        }

        boolean isEmpty() {
            return size == 0;
        }

        int take() {
            size--;
            if (bits == null) {
                return heap.dequeueInt();
            }
            int id = bits.nextSetBit(cursor);
            bits.clear(id);
            cursor = id + 1;
            return id;
        }
    }
}
