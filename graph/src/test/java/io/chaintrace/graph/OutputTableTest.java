package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The primitive table of outputs against a map of the same operations. */
class OutputTableTest {
    /** Txids that share most of their bytes (as the tests' generated ones do) and ids drawn again now and then. */
    private static Hash256 txid(Random random, int n) {
        byte[] b = new byte[32];
        b[0] = (byte) (n % 3);
        b[13] = (byte) random.nextInt(2); // a middle word differs while the hashed ones agree
        b[30] = (byte) (n >>> 8);
        b[31] = (byte) n;
        return new Hash256(b);
    }

    @Test
    void findsWhatAMapWouldThroughAddsRemovalsDropsAndGrowth() {
        Random random = new Random(5);
        OutputTable table = new OutputTable(4); // grows many times
        Map<Outpoint, long[]> expected = new HashMap<>();
        ArrayDeque<Outpoint> order = new ArrayDeque<>(); // one per row, oldest first
        List<Outpoint> seen = new ArrayList<>();
        for (int step = 0; step < 200_000; step++) {
            int op = random.nextInt(10);
            if (op < 6) {
                Outpoint o = random.nextInt(8) == 0 && !seen.isEmpty() ? seen.get(random.nextInt(seen.size())) // again
                        : new Outpoint(txid(random, random.nextInt(5_000)), random.nextInt(4));
                long[] fields = {random.nextLong(), random.nextInt(), random.nextLong(), random.nextLong()};
                table.add(o.txid(), o.vout(), fields[0], (int) fields[1], fields[2], fields[3]);
                expected.put(o, fields);
                order.addLast(o);
                seen.add(o);
            } else if (op < 8 && !seen.isEmpty()) {
                Outpoint o = seen.get(random.nextInt(seen.size()));
                table.remove(o.txid(), o.vout());
                expected.remove(o);
            } else if (!order.isEmpty()) {
                int n = 1 + random.nextInt(Math.min(order.size(), 30));
                table.dropOldest(n);
                for (int i = 0; i < n; i++) {
                    Outpoint o = order.removeFirst();
                    // A dropped row leaves only if the key's newest row was this one: the map knows by the rows after.
                    if (expected.containsKey(o) && !order.contains(o)) {
                        expected.remove(o);
                    }
                }
            }
            if (step % 997 == 0 || step > 199_000) {
                assertEquals(expected.size(), table.size(), "outpoints found at step " + step);
                assertEquals(order.size(), table.rows());
            }
        }
        for (Outpoint o : seen) {
            int row = table.find(o.txid(), o.vout());
            long[] f = expected.get(o);
            if (f == null) {
                assertEquals(-1, row, o + " is gone");
            } else {
                assertTrue(row >= 0, o + " is held");
                assertEquals(f[0], table.value(row));
                assertEquals((int) f[1], table.owner(row));
                assertEquals(f[2], table.seq(row));
                assertEquals(f[3], table.outputId(row));
            }
        }
        table.clear();
        assertEquals(0, table.size());
        assertEquals(-1, table.find(seen.getFirst().txid(), seen.getFirst().vout()));
    }
}
