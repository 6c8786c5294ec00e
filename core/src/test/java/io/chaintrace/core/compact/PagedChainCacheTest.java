package io.chaintrace.core.compact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The page cache's clock: a page in use keeps its place while pages read once go, the bound holds, and a chain larger
 * than one table block is served (pages are found by number in blocks of 4,096 made as first used).
 */
class PagedChainCacheTest {
    /** Pages of 64 transactions, one output each, spent by the next transaction; counts its reads. */
    private static final class Pages implements PagedChain.PageSource {
        int reads;

        @Override
        public int pageShift() {
            return 6;
        }

        @Override
        public PagedChain.Page read(int page) {
            reads++;
            int first = page << 6;
            int[] outStart = new int[65];
            int[] firstOutput = new int[64];
            int[] spender = new int[64];
            for (int j = 0; j < 64; j++) {
                outStart[j + 1] = j + 1;
                firstOutput[j] = first + j;
                spender[j] = first + j + 1;
            }
            return new PagedChain.Page(first, outStart, firstOutput, new long[64], new int[64], spender, new int[65], new int[0], new long[0],
                    new int[0]);
        }
    }

    @Test
    void aPageInUseStaysWhilePagesReadOnceGo() {
        Pages source = new Pages();
        long pageBytes = source.read(0).bytes();
        source.reads = 0;
        PagedChain rows = new PagedChain(source, 64 * 10_000, 64 * 10_000, new long[0], 4 * pageBytes);
        TxRow row = new TxRow();
        for (int page = 1; page < 10_000; page++) {
            rows.loadSpenders(5, row); // page 0, between every other read
            assertEquals(6, row.outSpender[row.outFrom], "the spender of transaction 5");
            rows.loadSpenders(page * 64 + 3, row);
            assertEquals(page * 64 + 4, row.outSpender[row.outFrom]);
            assertTrue(rows.cachedBytes() <= 4 * pageBytes, "bound: " + rows.cachedBytes());
        }
        assertEquals(10_000, source.reads, "page 0 read once, every other page once");
        assertEquals(10_000, rows.pageReads());
        assertTrue(rows.cachedPages() <= 4);
    }

    @Test
    void aCacheLargeEnoughReadsEachPageOnce() {
        Pages source = new Pages();
        PagedChain rows = new PagedChain(source, 64 * 9_000, 64 * 9_000, new long[0], Long.MAX_VALUE);
        TxRow row = new TxRow();
        for (int round = 0; round < 3; round++) {
            for (int tx = 64 * 9_000 - 1; tx >= 0; tx -= 61) {
                rows.loadSpenders(tx, row);
                assertEquals(tx + 1, row.outSpender[row.outFrom]);
            }
        }
        assertEquals(9_000, source.reads, "three blocks of the table, each page read once");
        assertEquals(9_000, rows.cachedPages());
    }
}
