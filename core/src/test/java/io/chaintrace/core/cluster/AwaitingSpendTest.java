package io.chaintrace.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The owners awaiting their spend answer as a map would, and hold only the chunks with an owner still to take. */
class AwaitingSpendTest {
    @Test
    void answersAsAMapDoesOverAMillionRandomSteps() {
        AwaitingSpend awaiting = new AwaitingSpend();
        Map<Integer, Integer> map = new HashMap<>();
        SplittableRandom random = new SplittableRandom(19);
        int next = 0;
        for (int step = 0; step < 1_000_000; step++) {
            if (random.nextInt(3) > 0) {
                // Outputs come in order, some skipped (their spender is not in the store), owners from -1 (none) up.
                next += 1 + random.nextInt(3);
                int owner = random.nextInt(-1, 1 << 20);
                awaiting.remember(next, owner);
                map.put(next, owner);
            } else {
                int id = random.nextInt(next + 1);
                assertEquals(map.containsKey(id) ? map.remove(id) : AwaitingSpend.NONE, awaiting.take(id), "output " + id);
            }
        }
        assertEquals(AwaitingSpend.NONE, awaiting.take(-1), "no output");
        assertEquals(AwaitingSpend.NONE, awaiting.take(Integer.MAX_VALUE), "far past the last");
    }

    @Test
    void aChunkIsDroppedWhenItsLastOwnerIsTaken() {
        AwaitingSpend awaiting = new AwaitingSpend();
        awaiting.remember(5, 7);
        awaiting.remember(70_000, -1);
        awaiting.remember(70_001, 3);
        awaiting.remember(5, 8); // remembered again: one owner, the later
        assertEquals(2, awaiting.chunksHeld());
        assertEquals(8, awaiting.take(5));
        assertEquals(AwaitingSpend.NONE, awaiting.take(5), "taken once");
        assertEquals(1, awaiting.chunksHeld());
        assertEquals(-1, awaiting.take(70_000));
        assertEquals(1, awaiting.chunksHeld());
        assertEquals(3, awaiting.take(70_001));
        assertEquals(0, awaiting.chunksHeld());
    }
}
