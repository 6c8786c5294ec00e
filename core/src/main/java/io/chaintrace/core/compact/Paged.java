package io.chaintrace.core.compact;

import java.util.BitSet;

/**
 * Trace state by dense id: a primitive hash map while the trace is small (nothing sized by the
 * chain), then pages of primitive arrays allocated when first touched: array speed for a trace
 * that floods the chain.
 */
final class Paged {
    private static final int SHIFT = 9;
    private static final int MASK = (1 << SHIFT) - 1;

    private Paged() {
    }

    /** Entries a trace keeps in a hash map before it moves to pages: small traces never allocate a page. */
    private static final int SMALL = 1 << 12;
    /**
     * A map's first size: growing from fastutil's 16 rehashed a trace's maps some eight times
     * (12% of a haircut trace's samples in a JFR profile); 256 entries cost 3 KB per map.
     */
    private static final int INITIAL = 256;

    /** long per id, 0 when never set: a hash map while small, then pages. */
    static final class Longs {
        private final int size;
        private it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap small = new it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap(INITIAL);
        private long[][] pages;

        Longs(int size) {
            this.size = size;
        }

        long get(int i) {
            if (pages == null) {
                return small.get(i);
            }
            long[] p = pages[i >>> SHIFT];
            return p == null ? 0 : p[i & MASK];
        }

        void set(int i, long v) {
            if (pages == null) {
                small.put(i, v);
                if (small.size() > SMALL) {
                    pages = new long[(size >>> SHIFT) + 1][];
                    for (var e : small.int2LongEntrySet()) {
                        put(e.getIntKey(), e.getLongValue());
                    }
                    small = null;
                }
                return;
            }
            put(i, v);
        }

        private void put(int i, long v) {
            long[] p = pages[i >>> SHIFT];
            if (p == null) {
                p = pages[i >>> SHIFT] = new long[1 << SHIFT];
            }
            p[i & MASK] = v;
        }
    }

    /** int per id, 0 when never set: a hash map while small, then pages. */
    static final class Ints {
        private final int size;
        private it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap small = new it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap(INITIAL);
        private int[][] pages;

        Ints(int size) {
            this.size = size;
        }

        int get(int i) {
            if (pages == null) {
                return small.get(i);
            }
            int[] p = pages[i >>> SHIFT];
            return p == null ? 0 : p[i & MASK];
        }

        void set(int i, int v) {
            if (pages == null) {
                small.put(i, v);
                if (small.size() > SMALL) {
                    pages = new int[(size >>> SHIFT) + 1][];
                    for (var e : small.int2IntEntrySet()) {
                        put(e.getIntKey(), e.getIntValue());
                    }
                    small = null;
                }
                return;
            }
            put(i, v);
        }

        private void put(int i, int v) {
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
