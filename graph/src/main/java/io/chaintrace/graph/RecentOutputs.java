package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import java.util.ArrayDeque;
import java.util.Collection;

/**
 * The outputs the last blocks written created and no later block spent, up to a bound: what the next block's inputs
 * are looked up in before the store. Coins are mostly spent young (a third of mainnet's inputs spend an output of the
 * last day), and such an output sits in a memtable, where each look-up is a skip-list search of cache misses: those
 * searches were a quarter of the Bitcoin ingest's writer thread (issue 19, benchmarks/README). Held in primitive
 * arrays ({@link OutputTable}), a hit is an index slot and a row.
 *
 * <p>Only what is stored, or appended and not yet written (which every other read of the store writes first), is held;
 * whatever is not held is read from the store, so a miss costs speed, never an answer. Oldest blocks' outputs leave
 * first, never those of a block not yet written: the store cannot answer for them.
 */
final class RecentOutputs {
    private final int capacity;
    private final OutputTable table;
    /** Each held block's count of rows, oldest first; their total is the table's rows. */
    private final ArrayDeque<Integer> blocks = new ArrayDeque<>();

    /** Holds the outputs of at most about {@code capacity} recent outputs. */
    RecentOutputs(int capacity) {
        this.capacity = capacity;
        // Room for the bound and the blocks not yet written past it, so the ring does not grow in the steady state.
        this.table = new OutputTable(capacity + capacity / 4);
    }

    /** The row of the output at {@code txid:vout} when it is held, or -1: read it from the store. Valid until the next append. */
    int find(Hash256 txid, int vout) {
        return table.find(txid, vout);
    }

    /** The held outputs, by row. */
    OutputTable table() {
        return table;
    }

    /**
     * After a block is appended: the outputs it spent that were held leave, the ones it created come in, and the oldest
     * blocks' leave while more than the capacity is held - except the last {@code unwritten} blocks' (this one among
     * them), which the store cannot answer for yet.
     */
    void appended(Collection<Outpoint> spentHeld, OutputTable created, int unwritten) {
        for (Outpoint op : spentHeld) {
            table.remove(op.txid(), op.vout());
        }
        int n = created.rows();
        for (int i = 0; i < n; i++) {
            table.add(created, created.rowAt(i));
        }
        blocks.addLast(n);
        while (table.rows() > capacity && blocks.size() > unwritten) {
            table.dropOldest(blocks.removeFirst());
        }
    }

    /** Holds nothing: the stored outputs changed other than by appending a block (a rollback). */
    void clear() {
        table.clear();
        blocks.clear();
    }

    /** Outputs held (for tests). */
    int size() {
        return table.size();
    }
}
