package io.chaintrace.graph;

import io.chaintrace.core.model.Outpoint;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The outputs the last blocks written created and no later block spent, up to a bound: what the next block's inputs
 * are looked up in before the store. Coins are mostly spent young (a third of mainnet's inputs spend an output of the
 * last day), and such an output sits in a memtable, where each look-up is a skip-list search of cache misses: those
 * searches were a quarter of the Bitcoin ingest's writer thread (issue 19, benchmarks/README). Held in Java, a hit is
 * one hash look-up.
 *
 * <p>Only what is stored, or appended and not yet written (which every other read of the store writes first), is held;
 * whatever is not held is read from the store, so a miss costs speed, never an answer. Oldest blocks' outputs leave
 * first, never those of a block not yet written: the store cannot answer for them.
 */
final class RecentOutputs {
    private final int capacity;
    private final Map<Outpoint, OutputRecord> unspent;
    /** Each held block's created outpoints, oldest first; their total is what {@link #held} counts. */
    private final ArrayDeque<Outpoint[]> blocks = new ArrayDeque<>();
    private int held;

    /** Holds the outputs of at most about {@code capacity} recent outputs. */
    RecentOutputs(int capacity) {
        this.capacity = capacity;
        this.unspent = HashMap.newHashMap(capacity);
    }

    /** The output at {@code op} when it is held; null when it must be read from the store. */
    OutputRecord get(Outpoint op) {
        return unspent.get(op);
    }

    /**
     * After a block is appended: the outputs it spent that were held leave, the ones it created come in, and the oldest
     * blocks' leave while more than the capacity is held - except the last {@code unwritten} blocks' (this one among
     * them), which the store cannot answer for yet.
     */
    void appended(Collection<Outpoint> spentHeld, Map<Outpoint, OutputRecord> created, int unwritten) {
        for (Outpoint op : spentHeld) {
            unspent.remove(op);
        }
        unspent.putAll(created);
        blocks.addLast(created.keySet().toArray(new Outpoint[0]));
        held += created.size();
        while (held > capacity && blocks.size() > unwritten) {
            Outpoint[] oldest = blocks.removeFirst();
            for (Outpoint op : oldest) {
                unspent.remove(op);
            }
            held -= oldest.length;
        }
    }

    /** Holds nothing: the stored outputs changed other than by appending a block (a rollback). */
    void clear() {
        unspent.clear();
        blocks.clear();
        held = 0;
    }

    /** Outputs held (for tests). */
    int size() {
        return unspent.size();
    }
}
