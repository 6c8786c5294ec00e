package io.chaintrace.ingest.btc;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.nio.file.Path;
import java.util.List;

/** Real mainnet blocks 0-589 ingested into a store under {@code dir}, for the trace tests. */
final class FirstBlocks {
    private FirstBlocks() {
    }

    static ChainStore store(Path dir) {
        ChainStore store = ChainStore.open(dir.resolve("store"));
        new BlockFileSource(store, List.of(SharedData.blk("firstblocks.blk"))).run(IngestListener.NONE);
        return store;
    }
}
