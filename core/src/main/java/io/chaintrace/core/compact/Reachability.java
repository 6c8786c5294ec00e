package io.chaintrace.core.compact;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.util.Arrays;

/**
 * Which transactions the value of seed transactions can reach within {@code k} hops: the skeleton
 * of a poison trace (every output of a reached transaction is tainted), without amounts. Level by
 * level over the compact rows' spender links; the seeds themselves are hop 0 and not reported.
 */
public final class Reachability {
    /**
     * Visit stamps come in pages of 65,536 transactions (256 KB), made as first touched: nothing sized by the chain per
     * query. Pages of 4,096 made a warm 6-hop query 10-25% slower: their many array headers, read for every bounds check,
     * no longer stayed in the cache.
     */
    private static final int STAMP_SHIFT = 16;

    private final UtxoRows rows;
    /**
     * Per transaction, the number of the last query that reached it: a query starts by taking a new number, so the
     * visited set is never cleared or allocated again, where a hash set was made and grown by every query.
     */
    private final int[][] stamps;
    private int query;
    /** The hops' frontiers one after another: hop h's transactions are a range of it. Reused by every query. */
    private int[] reached = new int[256];

    public Reachability(UtxoRows rows) {
        this.rows = rows;
        this.stamps = new int[(rows.transactions() >>> STAMP_SHIFT) + 1][];
    }

    /** The transactions at hops 1..k, each once, in the order reached (by hop). Not for use by two threads at once. */
    public int[] forward(int[] seedTxs, int k) {
        if (++query == 0) {
            // After 2^32 queries the numbers come round: forget every stamp rather than mistake an old one.
            Arrays.fill(stamps, null);
            query = 1;
        }
        int q = query;
        // A cursor of this call alone: once the compiler has inlined the look-up, the cursor lives in registers; a field
        // cursor costs a garbage collector's write barrier for every transaction (a warm 6-hop query about a fifth slower).
        TxRow row = new TxRow();
        int[] r = reached;
        int end = 0;
        for (int s : seedTxs) {
            if (firstVisit(s, q)) {
                if (end == r.length) {
                    r = reached = Arrays.copyOf(r, 2 * end);
                }
                r[end++] = s;
            }
        }
        int seeds = end;
        int from = 0;
        int to = end;
        for (int hop = 1; hop <= k && from < to; hop++) {
            for (int i = from; i < to; i++) {
                rows.loadSpenders(r[i], row);
                int[] spenders = row.outSpender;
                for (int j = row.outFrom, last = row.outTo; j < last; j++) {
                    int spender = spenders[j];
                    if (spender >= 0 && firstVisit(spender, q)) {
                        if (end == r.length) {
                            r = reached = Arrays.copyOf(r, 2 * end);
                        }
                        r[end++] = spender;
                    }
                }
            }
            from = to;
            to = end;
        }
        return Arrays.copyOfRange(r, seeds, end);
    }

    /** Marks {@code tx} reached by query {@code q}; false when it already was. */
    private boolean firstVisit(int tx, int q) {
        int[] page = stamps[tx >>> STAMP_SHIFT];
        if (page == null) {
            page = stamps[tx >>> STAMP_SHIFT] = new int[1 << STAMP_SHIFT];
        }
        int at = tx & ((1 << STAMP_SHIFT) - 1);
        if (page[at] == q) {
            return false;
        }
        page[at] = q;
        return true;
    }

    /** How many outputs a transaction has. */
    public int outputs(int tx) {
        TxRow row = new TxRow();
        rows.load(tx, row, false);
        return row.outTo - row.outFrom;
    }

    /**
     * The spend graph of the first {@code n} transactions, as a graph database or library would hold
     * it: one edge per spent output, from the transaction that created it to the one that spent it,
     * with the output's value.
     */
    public void spendEdges(int n, IntArrayList from, IntArrayList to, LongArrayList value) {
        TxRow row = new TxRow();
        for (int t = 0; t < n; t++) {
            rows.load(t, row, false);
            for (int j = row.outFrom; j < row.outTo; j++) {
                if (row.outSpender[j] >= 0) {
                    from.add(t);
                    to.add(row.outSpender[j]);
                    value.add(row.outValue[j]);
                }
            }
        }
    }
}
