package io.chaintrace.core.compact;

import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * Which transactions the value of seed transactions can reach within {@code k} hops: the skeleton
 * of a poison trace (every output of a reached transaction is tainted), without amounts. Level by
 * level over the compact rows' spender links; the seeds themselves are hop 0 and not reported.
 */
public final class Reachability {
    private final UtxoRows rows;
    private final TxRow row = new TxRow();

    public Reachability(UtxoRows rows) {
        this.rows = rows;
    }

    /** The transactions at hops 1..k, each once, in the order reached (by hop). */
    public int[] forward(int[] seedTxs, int k) {
        IntOpenHashSet seen = new IntOpenHashSet();
        IntArrayList frontier = new IntArrayList(seedTxs);
        for (int s : seedTxs) {
            seen.add(s);
        }
        IntArrayList reached = new IntArrayList();
        for (int hop = 1; hop <= k && !frontier.isEmpty(); hop++) {
            IntArrayList next = new IntArrayList();
            for (int i = 0; i < frontier.size(); i++) {
                rows.loadSpenders(frontier.getInt(i), row);
                for (int j = row.outFrom; j < row.outTo; j++) {
                    int spender = row.outSpender[j];
                    if (spender >= 0 && seen.add(spender)) {
                        next.add(spender);
                    }
                }
            }
            reached.addAll(next);
            frontier = next;
        }
        return reached.toIntArray();
    }

    /** How many outputs a transaction has. */
    public int outputs(int tx) {
        rows.load(tx, row, false);
        return row.outTo - row.outFrom;
    }

    /**
     * The spend graph of the first {@code n} transactions, as a graph database or library would hold
     * it: one edge per spent output, from the transaction that created it to the one that spent it,
     * with the output's value.
     */
    public void spendEdges(int n, IntArrayList from, IntArrayList to, LongArrayList value) {
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
