package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.cluster.Clusterer;
import io.chaintrace.core.cluster.TransactionClustering;
import io.chaintrace.core.cluster.UnionFind;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.ClusterRun;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.demo.MainnetShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store clusters from its compact rows; here its entities are held to clustering in memory, transaction by
 * transaction, each read back whole from the same store: on a mainnet-shaped chain (every script type, consolidations,
 * payouts, spends reaching back months) and on every real block file of ../shared/data (bare keys, multisig, data
 * carriers, inputs whose funding is not in the file).
 */
class ClusteringFromRowsTest {
    @TempDir
    Path dir;

    /** Clusters the store and checks every owner's entity against one pass in memory; returns the store's run. */
    private static ClusterRun clusterAndCompare(ChainStore store) {
        ClusterRun run = store.cluster(50_000, n -> { });
        int owners = (int) store.stats().owners();
        UnionFind sets = new UnionFind(owners);
        Clusterer clusterer = Clusterer.standard(sets);
        TransactionClustering feed = new TransactionClustering(clusterer, store, a -> store.addressId(a).orElseThrow(), -1);
        store.forEachTransaction(feed::accept);
        for (int id = 0; id < owners; id++) {
            // Both name an entity by its smallest owner id.
            assertEquals(store.address(sets.smallest(id)), store.entityOf(store.address(id)).orElseThrow(), "owner " + id);
        }
        assertEquals(clusterer.coinjoinsSkipped(), run.coinjoinsSkipped());
        assertEquals(clusterer.multiInputLinks() + clusterer.changeLinks(), run.multiInputLinks() + run.changeLinks());
        return run;
    }

    @Test
    void mainnetShapedChain() throws Exception {
        Path blocks = dir.resolve("blocks");
        MainnetShape.write(120_000, 11, blocks, n -> { });
        try (ChainStore store = ChainStore.open(dir.resolve("store"))) {
            new BlockFileSource(store, List.of(blocks)).run(IngestListener.NONE);
            ClusterRun run = clusterAndCompare(store);
            assertTrue(run.multiInputLinks() > 1_000 && run.changeLinks() > 0, run.toString());
        }
    }

    @Test
    void everyRealBlockFile() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("blk", "raw")) {
            try (Stream<Path> s = Files.list(SharedData.btc().resolve(sub))) {
                s.sorted().forEach(files::add);
            }
        }
        long links = 0;
        for (Path f : files) {
            try (ChainStore store = ChainStore.open(dir.resolve(f.getFileName().toString()))) {
                new BlockFileSource(store, List.of(f)).run(IngestListener.NONE);
                ClusterRun run = clusterAndCompare(store);
                links += run.multiInputLinks() + run.changeLinks();
            }
        }
        assertTrue(links > 100, "links over the real files: " + links);
    }
}
