package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.scenarios.Scenario;
import io.chaintrace.scenarios.ScenarioGenerator;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace opened while an ingest writes (issue 14: "a trace during an ingest sometimes exits 3: cannot open
 * ... 000004.log"). A read-only open lists the write-ahead logs and then opens them; a writer that flushes
 * in between has deleted one. Here the writer flushes after every block, so its logs rotate all the time,
 * and every one of many read-only opens must succeed and see a consistent store.
 */
class ReaderDuringWriteTest {
    @TempDir
    Path dir;

    @Test
    void readOnlyOpensSucceedWhileTheWriterRotatesItsLog() throws Exception {
        Scenario s = ScenarioGenerator.generate(5, 5, 400);
        Path path = dir.resolve("store");
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Throwable> writerFailed = new ArrayList<>();
        try (ChainStore store = ChainStore.open(path)) {
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (Scenario.Block b : s.blocks()) {
                        store.append(new NewBlock(b.hash(), b.parent(), b.height(), b.time(), BigInteger.valueOf(b.height() + 1L),
                                b.transactions().stream().map(t -> new NewBlock.NewTransaction(t.txid(), t.spends(), t.outputs())).toList()),
                                new Checkpoint("scenario", b.hash(), b.height(), b.height() + 1L));
                        store.compactPages(); // flushes the memtables: a new log file, the old one deleted
                    }
                } catch (Throwable t) {
                    writerFailed.add(t);
                } finally {
                    writing.set(false);
                }
            });
            int opens = 0;
            long lastBlocks = 0;
            while (writing.get() || opens < 20) {
                try (ChainStore reader = ChainStore.openReadOnly(path)) {
                    long blocks = reader.stats().blocks();
                    assertTrue(blocks >= lastBlocks, "a later open sees no fewer blocks");
                    // Each block is one atomic batch: a reader sees whole blocks, never a block without its transactions.
                    if (blocks > 0) {
                        assertTrue(reader.blockAt((int) blocks - 1).isPresent(), "block " + (blocks - 1) + " of " + blocks);
                    }
                    lastBlocks = blocks;
                }
                opens++;
            }
            writer.join();
            assertEquals(List.of(), writerFailed);
            assertTrue(opens >= 20, "opens: " + opens);
        }
    }
}
