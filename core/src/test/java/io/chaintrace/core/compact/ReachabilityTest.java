package io.chaintrace.core.compact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Reachability over the compact rows, in memory and read a page at a time, against a plain breadth-first walk of the
 * spend edges kept in a hash map: the same transactions, hop by hop in the same order, query after query (the visited
 * stamps are reused), with a page cache that holds everything and one so small that every page goes as soon as it is
 * read. The chain: random spends of earlier outputs, some reaching far back, some outputs never spent.
 */
class ReachabilityTest {
    private static final int TRANSACTIONS = 9_000; // more than two blocks of visit stamps, a partial last page

    private static CompactChain chain(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        CompactChain.Builder b = new CompactChain.Builder();
        List<Integer> unspent = new ArrayList<>();
        for (int t = 0; t < TRANSACTIONS; t++) {
            b.transaction();
            int inputs = unspent.isEmpty() ? 0 : 1 + rnd.nextInt(Math.min(4, unspent.size()));
            for (int i = 0; i < inputs; i++) {
                // Mostly recent coins, sometimes an old one: spends that cross pages and stamp blocks.
                int at = rnd.nextInt(10) == 0 ? rnd.nextInt(unspent.size()) : unspent.size() - 1 - rnd.nextInt(Math.min(20, unspent.size()));
                b.input(unspent.remove(at));
            }
            int outputs = 1 + rnd.nextInt(3);
            for (int o = 0; o < outputs; o++) {
                int id = b.output(1_000 + rnd.nextInt(1_000_000), t);
                if (rnd.nextInt(8) != 0) {
                    unspent.add(id); // one output in eight is never spent
                }
            }
        }
        return b.build();
    }

    /** The store's page layout over a chain in memory: 64 transactions a page, the last one partial, outStart always 65 long. */
    private static PagedChain.PageSource pages(CompactChain c) {
        return new PagedChain.PageSource() {
            @Override
            public int pageShift() {
                return 6;
            }

            @Override
            public PagedChain.Page read(int page) {
                int first = page << 6;
                int n = Math.min(64, c.transactions() - first);
                int[] outStart = new int[65];
                int[] firstOutput = new int[64];
                int outs = c.outStart[first + n] - c.outStart[first];
                int[] spender = new int[outs];
                for (int j = 0; j < n; j++) {
                    outStart[j + 1] = outStart[j] + c.outStart[first + j + 1] - c.outStart[first + j];
                    firstOutput[j] = c.outStart[first + j];
                }
                System.arraycopy(c.spender, c.outStart[first], spender, 0, outs);
                return new PagedChain.Page(first, outStart, firstOutput, new long[outs], new int[outs], spender, new int[65], new int[0],
                        new long[0], new int[0]);
            }
        };
    }

    /** The reference: breadth first over a map of spend edges, each transaction once, seeds not reported. */
    private static int[] walk(Map<Integer, List<Integer>> spentBy, int[] seeds, int k) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        for (int s : seeds) {
            if (seen.add(s)) {
                queue.add(new int[] {s, 0});
            }
        }
        List<Integer> out = new ArrayList<>();
        while (!queue.isEmpty()) {
            int[] at = queue.poll();
            if (at[1] == k) {
                continue;
            }
            for (int next : spentBy.getOrDefault(at[0], List.of())) {
                if (seen.add(next)) {
                    out.add(next);
                    queue.add(new int[] {next, at[1] + 1});
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<Integer, List<Integer>> spentBy(CompactChain c) {
        Map<Integer, List<Integer>> m = new HashMap<>();
        for (int t = 0; t < c.transactions(); t++) {
            for (int o = c.outStart[t]; o < c.outStart[t + 1]; o++) {
                if (c.spender[o] >= 0) {
                    m.computeIfAbsent(t, x -> new ArrayList<>()).add(c.spender[o]);
                }
            }
        }
        return m;
    }

    @Test
    void everyQueryReachesWhatABreadthFirstWalkReaches() {
        CompactChain c = chain(7);
        Map<Integer, List<Integer>> spentBy = spentBy(c);
        PagedChain.PageSource source = pages(c);
        long onePage = source.read(0).bytes();
        Reachability inMemory = new Reachability(c);
        Reachability paged = new Reachability(new PagedChain(source, c.transactions(), c.outputs(), new long[0], Long.MAX_VALUE));
        PagedChain starved = new PagedChain(source, c.transactions(), c.outputs(), new long[0], onePage / 2);
        Reachability evicting = new Reachability(starved);
        SplittableRandom rnd = new SplittableRandom(11);
        int nonEmpty = 0;
        long reachedAtEight = 0;
        for (int q = 0; q < 400; q++) {
            int k = q % 9;
            int[] seeds = q % 5 == 0
                    ? new int[] {rnd.nextInt(TRANSACTIONS), rnd.nextInt(TRANSACTIONS), rnd.nextInt(TRANSACTIONS)}
                    : new int[] {rnd.nextInt(TRANSACTIONS)};
            if (q % 7 == 0) {
                seeds = new int[] {seeds[0], seeds[0]}; // a seed given twice counts once
            }
            int[] expected = walk(spentBy, seeds, k);
            String what = "seeds " + Arrays.toString(seeds) + ", k = " + k;
            assertArrayEquals(expected, inMemory.forward(seeds, k), "in memory, " + what);
            assertArrayEquals(expected, paged.forward(seeds, k), "paged, " + what);
            assertArrayEquals(expected, evicting.forward(seeds, k), "paged, every page evicted at once, " + what);
            nonEmpty += expected.length > 0 ? 1 : 0;
            reachedAtEight += k == 8 ? expected.length : 0;
        }
        // The walk was not trivial: most queries reach something, the deep ones many transactions.
        assertTrue(nonEmpty > 300, "queries that reached something: " + nonEmpty);
        assertTrue(reachedAtEight > 44 * 5, "transactions reached at k = 8 over 44 queries: " + reachedAtEight);
        assertTrue(starved.cachedPages() <= 1, "the starved cache holds at most one page: " + starved.cachedPages());
    }

    @Test
    void aTransactionOfThePartialLastPageIsFollowed() {
        CompactChain c = chain(3);
        int last = TRANSACTIONS - 1;
        int withSpender = -1;
        for (int t = (last >>> 6) << 6; t < last && withSpender < 0; t++) {
            for (int o = c.outStart[t]; o < c.outStart[t + 1]; o++) {
                if (c.spender[o] >= 0) {
                    withSpender = t;
                }
            }
        }
        assertTrue(withSpender >= 0, "a spent output on the last page");
        Reachability paged = new Reachability(new PagedChain(pages(c), c.transactions(), c.outputs(), new long[0], Long.MAX_VALUE));
        int[] seeds = {withSpender};
        assertArrayEquals(walk(spentBy(c), seeds, 8), paged.forward(seeds, 8));
        assertEquals(0, paged.forward(new int[] {last}, 0).length, "k = 0 reaches nothing");
    }
}
