package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chaintrace.core.model.Label;
import io.chaintrace.scenarios.Scenario;
import io.chaintrace.scenarios.ScenarioGenerator;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling blocks back is the exact inverse of appending them: a store that had blocks 0..N and lost
 * N..K again equals, digest for digest, a store that only ever had 0..K-1; and stays so when both
 * then take the same blocks (ids, sequence numbers and compact rows line up again).
 */
class BlockRollbackTest {
    @TempDir
    Path dir;

    private static void append(ChainStore store, Scenario.Block b) {
        store.append(new NewBlock(b.hash(), b.parent(), b.height(), b.time(), BigInteger.valueOf(b.height() + 1L),
                b.transactions().stream().map(t -> new NewBlock.NewTransaction(t.txid(), t.spends(), t.outputs())).toList()),
                checkpoint(b));
    }

    private static Checkpoint checkpoint(Scenario.Block b) {
        return new Checkpoint("scenario", b.hash(), b.height(), b.height() + 1L);
    }

    private static void labels(Scenario s, ChainStore store) {
        for (Label l : s.labels()) {
            store.putLabels(l.address(), List.of(l));
        }
    }

    @Test
    void rollingBackEqualsNeverHavingTheBlocks() {
        Scenario s = ScenarioGenerator.generate(21, 4, 300);
        List<Scenario.Block> blocks = s.blocks();
        int keep = blocks.size() / 2;
        try (ChainStore whole = ChainStore.open(dir.resolve("whole")); ChainStore part = ChainStore.open(dir.resolve("part"))) {
            // Labels first, so that owner ids the rolled-back blocks assign carry owner labels that must go too.
            labels(s, whole);
            labels(s, part);
            blocks.forEach(b -> append(whole, b));
            blocks.subList(0, keep).forEach(b -> append(part, b));
            whole.cluster(1000, n -> { });
            part.cluster(1000, n -> { });
            whole.sync();
            part.sync();
            assertNotEquals(part.digest(), whole.digest());

            for (int i = blocks.size() - 1; i >= keep; i--) {
                whole.disconnect(blocks.get(i).hash(), "scenario", java.util.Optional.of(checkpoint(blocks.get(i - 1))));
            }
            // Clustering had read the rolled-back blocks: it starts again, on both sides alike.
            part.cluster(1000, n -> { });
            whole.cluster(1000, n -> { });
            assertEquals(part.stats(), whole.stats());
            assertEquals(part.digest(), whole.digest());

            // Both take the rest of the chain: still equal, and equal to a store that had it all along.
            blocks.subList(keep, blocks.size()).forEach(b -> append(whole, b));
            blocks.subList(keep, blocks.size()).forEach(b -> append(part, b));
            whole.sync();
            part.sync();
            assertEquals(part.digest(), whole.digest());
        }
    }

    @Test
    void onlyTheLastBlockCanBeTakenOff() {
        Scenario s = ScenarioGenerator.generate(3, 2, 50);
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            s.blocks().forEach(b -> append(store, b));
            store.sync();
            String digest = store.digest();
            Scenario.Block notLast = s.blocks().get(s.blocks().size() - 2);
            assertThrows(IllegalStateException.class, () -> store.disconnect(notLast.hash(), "scenario", java.util.Optional.of(checkpoint(notLast))));
            assertEquals(digest, store.digest(), "a refused rollback writes nothing");
            assertEquals(s.blocks().getLast().hash(), store.tip().orElseThrow().ref().hash());
        }
    }
}
