package io.chaintrace.ingest.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.StoreStats;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mainnet-shaped block directory is what the ingest reads as Bitcoin Core's: every block accepted (headers, merkle
 * roots), every input resolved against an earlier output, the counts the generator reports, blocks of mainnet's size.
 */
class MainnetShapeTest {
    @TempDir
    Path dir;

    @Test
    void theIngestReadsItAsCoresBlocks() throws Exception {
        Path blocks = dir.resolve("blocks");
        MainnetShape.Summary s = MainnetShape.write(60_000, 7, blocks, n -> { });
        assertTrue(s.transactions() >= 60_000 && s.blocks() >= 20, s.toString());
        assertTrue(Files.exists(blocks.resolve("blk00000.dat")));
        StoreStats stats;
        try (ChainStore cs = ChainStore.open(dir.resolve("store"))) {
            new BlockFileSource(cs, List.of(blocks)).run(IngestListener.NONE);
            stats = cs.stats();
        }
        assertEquals(s.blocks(), stats.blocks(), stats.toString());
        assertEquals(s.transactions(), stats.txs(), stats.toString());
        assertEquals(s.outputs(), stats.outputs(), stats.toString());
        assertEquals(s.inputs(), stats.inputs(), stats.toString());
        assertEquals(0, stats.unresolvedInputs(), "every input spends an output written before it");
        double perBlock = (double) s.bytes() / s.blocks();
        assertTrue(perBlock > 200_000, "bytes a block: " + perBlock);
    }
}
