package io.chaintrace.graph;

import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.model.LabelCategory;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * The compact rows the fast tracer reads ({@link TxPages} in {@code tx_pages}) and the endpoint set
 * built from {@code owner_labels}: what {@link io.chaintrace.core.compact.CompactTracer} runs on.
 */
final class CompactRowsStore {
    private final StoreFiles files;
    private final BlockWriter writer;
    private final Counters counters;

    CompactRowsStore(StoreFiles files, BlockWriter writer, Counters counters) {
        this.files = files;
        this.writer = writer;
        this.counters = counters;
    }

    /** See {@link ChainStore#compactRows}. */
    PagedChain rows(Set<LabelCategory> stopAt, long cacheBytes) {
        writer.awaitQuietly();
        int wanted = LabelStore.categoryBits(stopAt);
        byte[] all = files.get(Family.OWNER_LABELS, LabelStore.ALL_OWNER_LABELS);
        // Once per trace on a freshly opened store, so it runs before the JIT has compiled it: plain int pairs into
        // plain words (through BitSet.set, 2,600 labelled owners took a millisecond interpreted, more than a narrow trace).
        int[] records = new int[all == null ? 0 : all.length / 4];
        if (all != null) {
            ByteBuffer.wrap(all).asIntBuffer().get(records); // big-endian, as Keys writes them
        }
        int maxOwner = -1;
        for (int k = 0; k < records.length; k += 2) {
            maxOwner = Math.max(maxOwner, records[k]);
        }
        // Sized by the labelled owners, not by every address the store knows (a billion on the whole chain).
        long[] words = new long[maxOwner < 0 ? 0 : (maxOwner >>> 6) + 1];
        for (int k = 0; k < records.length; k += 2) {
            // Records in the order written: a later one for the same owner replaces an earlier.
            int owner = records[k];
            if ((records[k + 1] & wanted) != 0) {
                words[owner >>> 6] |= 1L << owner;
            } else {
                words[owner >>> 6] &= ~(1L << owner);
            }
        }
        if (counters.txs > Integer.MAX_VALUE || counters.outputs > Integer.MAX_VALUE) {
            throw new StoreException(files.path, "more than 2^31 transactions or outputs: beyond the compact tracer's 32-bit ids");
        }
        return new PagedChain(new TxPages(files.db(), files.handle(Family.TX_PAGES), files.path), (int) counters.txs,
                (int) counters.outputs, words, cacheBytes);
    }

    /**
     * Compacts the compact rows and the endpoint list. A page is built by merges that land in whichever files were
     * flushed when its transactions and their spends were written; until compacted, a cold read of one page gathers its
     * pieces from several files. After this, a page is one value in one file: one look-up.
     */
    void compact() {
        synchronized (files) {
            writer.requireWritable();
            writer.awaitInFlight();
            files.compact(Family.TX_PAGES);
            files.compact(Family.OWNER_LABELS);
        }
    }
}
