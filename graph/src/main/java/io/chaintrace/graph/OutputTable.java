package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;

/**
 * Outputs by outpoint in primitive arrays: rows kept first in, first out (a ring), found through an open-addressing
 * index. What the Bitcoin writer resolves inputs against (a block's own outputs, the recent blocks'): as maps of
 * {@code Outpoint} to {@code OutputRecord} those look-ups were a third of the writer thread, each a chain of cache
 * misses through the entry, the outpoint, its hash and its bytes (issue 19, benchmarks/README). Here a look-up is an
 * index slot and one row of eight longs.
 *
 * <p>A row: the txid's four words, the output index with the owner id, value, sequence number of the creating
 * transaction, output id (what an input needs of the output it spends). A key added again points the index at its newest row; a row
 * that leaves (dropped from the front, or its key removed) leaves the index only if the index still points at it.
 */
final class OutputTable {
    private static final int STRIDE = 8;
    private static final int NONE = -1;

    private long[] rows;
    /** Rows the ring has room for. */
    private int length;
    /** Ring position of the oldest row, and how many rows there are. */
    private int first;
    private int count;
    /** Slot -> ring position + 1; 0 = empty. */
    private int[] index;
    private int shift;
    private int indexed;

    /** A table with room for {@code rows} rows before it grows. */
    OutputTable(int rows) {
        allocate(Math.max(16, rows));
    }

    private void allocate(int rowCount) {
        length = rowCount;
        rows = new long[rowCount * STRIDE];
        int slots = Integer.highestOneBit(Math.max(16, rowCount) * 2 - 1) << 1; // at most half full
        index = new int[slots];
        shift = 64 - Integer.numberOfTrailingZeros(slots);
        first = 0;
        count = 0;
        indexed = 0;
    }

    /** Rows held (spent ones included until they leave from the front). */
    int rows() {
        return count;
    }

    /** Outpoints found through the index. */
    int size() {
        return indexed;
    }

    /** Adds an output at the back; its outpoint now finds this row. */
    void add(Hash256 txid, int vout, long value, int owner, long seq, long outputId) {
        int r = newRow();
        int o = r * STRIDE;
        rows[o] = txid.word(0);
        rows[o + 1] = txid.word(1);
        rows[o + 2] = txid.word(2);
        rows[o + 3] = txid.word(3);
        rows[o + 4] = (long) vout << 32 | owner & 0xFFFFFFFFL;
        rows[o + 5] = value;
        rows[o + 6] = seq;
        rows[o + 7] = outputId;
        indexNewRow(r);
    }

    /** Adds a copy of {@code from}'s row at the back. */
    void add(OutputTable from, int row) {
        int r = newRow();
        System.arraycopy(from.rows, row * STRIDE, rows, r * STRIDE, STRIDE);
        indexNewRow(r);
    }

    private int newRow() {
        if (count == length) {
            grow();
        }
        return position(count++);
    }

    private void indexNewRow(int r) {
        int o = r * STRIDE;
        int slot = slot(rows[o], rows[o + 3], (int) (rows[o + 4] >> 32));
        while (index[slot] != 0) {
            if (sameKey(index[slot] - 1, o)) {
                index[slot] = r + 1;
                return;
            }
            slot = slot + 1 & index.length - 1;
        }
        index[slot] = r + 1;
        indexed++;
    }

    /** The row of this outpoint, or -1; valid until rows are added, dropped or removed. */
    int find(Hash256 txid, int vout) {
        long w0 = txid.word(0);
        long w3 = txid.word(3);
        for (int slot = slot(w0, w3, vout); ; slot = slot + 1 & index.length - 1) {
            int e = index[slot];
            if (e == 0) {
                return NONE;
            }
            int o = (e - 1) * STRIDE;
            if (rows[o] == w0 && rows[o + 3] == w3 && (int) (rows[o + 4] >> 32) == vout && rows[o + 1] == txid.word(1)
                    && rows[o + 2] == txid.word(2)) {
                return e - 1;
            }
        }
    }

    long value(int row) {
        return rows[row * STRIDE + 5];
    }

    int owner(int row) {
        return (int) rows[row * STRIDE + 4];
    }

    long seq(int row) {
        return rows[row * STRIDE + 6];
    }

    long outputId(int row) {
        return rows[row * STRIDE + 7];
    }

    /** The row added {@code i}-th among those held (0 = the oldest). */
    int rowAt(int i) {
        return position(i);
    }

    /** The outpoint no longer finds anything (its output was spent); its row stays until dropped from the front. */
    void remove(Hash256 txid, int vout) {
        int row = find(txid, vout);
        if (row != NONE) {
            unindex(row);
        }
    }

    /** Drops the {@code n} oldest rows. */
    void dropOldest(int n) {
        for (int i = 0; i < n; i++) {
            int r = position(0);
            int slot = slotOfRow(r);
            for (int e = index[slot]; e != 0; slot = slot + 1 & index.length - 1, e = index[slot]) {
                if (e - 1 == r) {
                    deleteSlot(slot);
                    break;
                }
            }
            first = first + 1 == length ? 0 : first + 1;
            count--;
        }
    }

    /** Drops every row. */
    void clear() {
        java.util.Arrays.fill(index, 0);
        first = 0;
        count = 0;
        indexed = 0;
    }

    private void unindex(int row) {
        int slot = slotOfRow(row);
        while (index[slot] - 1 != row) {
            slot = slot + 1 & index.length - 1;
        }
        deleteSlot(slot);
    }

    /** Empties a slot, moving later entries of its probe run back so every entry stays reachable from its home. */
    private void deleteSlot(int slot) {
        int mask = index.length - 1;
        int hole = slot;
        for (int next = hole + 1 & mask; index[next] != 0; next = next + 1 & mask) {
            int home = slotOfRow(index[next] - 1);
            // The entry at next may move into the hole unless its home lies cyclically in (hole, next].
            boolean stays = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!stays) {
                index[hole] = index[next];
                hole = next;
            }
        }
        index[hole] = 0;
        indexed--;
    }

    private void grow() {
        long[] oldRows = rows;
        int oldLength = length;
        int oldFirst = first;
        int oldCount = count;
        // Only rows the index points at are indexed again: a removed key stays removed, a key added twice finds its
        // newest row.
        boolean[] indexedRow = new boolean[oldLength];
        for (int e : index) {
            if (e != 0) {
                indexedRow[e - 1] = true;
            }
        }
        allocate(2 * oldLength);
        for (int i = 0; i < oldCount; i++) {
            int from = oldFirst + i < oldLength ? oldFirst + i : oldFirst + i - oldLength;
            System.arraycopy(oldRows, from * STRIDE, rows, i * STRIDE, STRIDE);
            if (indexedRow[from]) {
                indexNewRow(i);
            }
        }
        count = oldCount;
    }

    private boolean sameKey(int row, int o) {
        int p = row * STRIDE;
        return rows[p] == rows[o] && rows[p + 1] == rows[o + 1] && rows[p + 2] == rows[o + 2] && rows[p + 3] == rows[o + 3]
                && (int) (rows[p + 4] >> 32) == (int) (rows[o + 4] >> 32);
    }

    private int position(int i) {
        int p = first + i;
        return p < length ? p : p - length;
    }

    private int slotOfRow(int row) {
        int o = row * STRIDE;
        return slot(rows[o], rows[o + 3], (int) (rows[o + 4] >> 32));
    }

    /** Fibonacci hashing of two of the txid's words and the index: the top bits of the product pick the slot. */
    private int slot(long w0, long w3, int vout) {
        return (int) (((w0 ^ Long.rotateLeft(w3, 29) ^ vout) * 0x9E3779B97F4A7C15L) >>> shift);
    }
}
