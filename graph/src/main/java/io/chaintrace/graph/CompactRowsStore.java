package io.chaintrace.graph;

import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.model.LabelCategory;
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
        long[] words = LabelStore.ownersWith(files, stopAt);
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
