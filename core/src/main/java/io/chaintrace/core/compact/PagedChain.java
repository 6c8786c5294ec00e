package io.chaintrace.core.compact;

import java.util.Arrays;

/**
 * Compact rows read lazily from a store, a page of consecutive transactions at a time, kept in a
 * cache bounded in bytes (a page not used again since it was read or the clock hand last passed it
 * goes first: about least recently used). A trace that floods the chain reads each page once; a
 * narrow one reads only the pages it reaches.
 *
 * <p>Held pages are found by number in a two-level table (blocks of 4,096 made as first used, so an
 * open costs nothing in proportion to the chain), not a hash map: a trace looks a page up for every
 * transaction it reaches, and a warm reachability query spent much of its time in the map's probes
 * and recency links (benchmarks/README.md, "Traces vs Neo4j in the steady state").
 *
 * <p>Beside each held page, its layout and spenders copied into one array ({@link #links}): a reachability step
 * ({@link #loadSpenders}) then reads one array where the page's own would be three objects (the page, its
 * {@code outStart}, its {@code spender}), each a likely cache miss on a large chain; the copy is about a tenth of a
 * page's bytes (the comparison's pages held: 121 MB before, 136 MB with it) and is counted in the bound.
 */
public final class PagedChain implements UtxoRows {
    /** Where pages come from (the store); {@code read} is called once per page miss. */
    public interface PageSource {
        /** Transactions per page, a power of two: page {@code p} holds transactions {@code p << shift} onwards. */
        int pageShift();

        Page read(int page);
    }

    /**
     * Consecutive transactions from {@code firstTx}: outputs of local transaction {@code j} are
     * {@code outStart[j] .. outStart[j+1]-1} with output ids from {@code firstOutput[j]}; inputs
     * {@code inStart[j] .. inStart[j+1]-1}, each with the output id it spends, its value and its
     * funding transaction (-1 for coinbases and unresolved inputs). With {@code bodies}, the
     * values, owners and inputs of a transaction are only there once {@link Bodies#decode} has
     * run for it; the layout ({@code outStart}, {@code inStart}, {@code firstOutput}) and the
     * spenders are there from the start.
     */
    public record Page(int firstTx, int[] outStart, int[] firstOutput, long[] outValue, int[] outOwner, int[] spender,
                       int[] inStart, int[] inSource, long[] inValue, int[] inTx, Bodies bodies) {
        /** A page decoded whole. */
        public Page(int firstTx, int[] outStart, int[] firstOutput, long[] outValue, int[] outOwner, int[] spender,
                    int[] inStart, int[] inSource, long[] inValue, int[] inTx) {
            this(firstTx, outStart, firstOutput, outValue, outOwner, spender, inStart, inSource, inValue, inTx, null);
        }

        long bytes() {
            return 64L + 4L * outStart.length + 4L * firstOutput.length + 8L * outValue.length + 4L * outOwner.length
                    + 4L * spender.length + 4L * inStart.length + 4L * inSource.length + 8L * inValue.length + 4L * inTx.length
                    + (bodies == null ? 0 : bodies.bytes());
        }
    }

    /**
     * Fills a page's arrays one transaction at a time, on first use: a narrow trace touches one or
     * two of a page's 64 transactions, and decoding the rest cost more than reading the page.
     */
    public interface Bodies {
        /** Fills local transaction {@code j}'s inputs and outputs into {@code page}'s arrays, if not done already. */
        void decode(Page page, int j);

        /** Bytes held to decode from. */
        long bytes();
    }

    private static final int BLOCK_SHIFT = 12;
    private static final int BLOCK = 1 << BLOCK_SHIFT;

    private final PageSource source;
    private final int shift;
    private final int transactions;
    private final int outputs;
    private final long[] endpoints;
    private final long maxBytes;
    private Page[][] held = new Page[1][];
    /**
     * Per held page: {@code outStart} of its transactions, offset past itself, then its spenders. Local transaction
     * {@code j}'s spenders are {@code links[links[j]] .. links[links[j + 1]] - 1}.
     */
    private int[][][] links = new int[1][][];
    /** Per held page: used again since it was read or the clock hand last passed it. */
    private boolean[][] used = new boolean[1][];
    /** Held pages in the order the clock hand visits them: a ring. */
    private int[] clock = new int[64];
    private int hand;
    private int heldPages;
    private long cachedBytes;
    private int lastIndex = -1;
    private Page last;
    private long reads;

    /**
     * @param transactions number of transactions (ids below it)
     * @param outputs number of outputs
     * @param endpoints owners the trace stops at, a bit each (owner {@code o} is bit {@code o & 63} of word {@code o >>> 6})
     * @param maxBytes bound on the pages kept in memory (at least one page is always kept)
     */
    public PagedChain(PageSource source, int transactions, int outputs, long[] endpoints, long maxBytes) {
        this.source = source;
        this.shift = source.pageShift();
        this.transactions = transactions;
        this.outputs = outputs;
        this.endpoints = endpoints;
        this.maxBytes = maxBytes;
    }

    @Override
    public int transactions() {
        return transactions;
    }

    @Override
    public int outputs() {
        return outputs;
    }

    @Override
    public void load(int tx, TxRow row, boolean creators) {
        Page p = page(tx >>> shift);
        int j = tx - p.firstTx;
        if (p.bodies != null) {
            p.bodies.decode(p, j);
        }
        row.outValue = p.outValue;
        row.outOwner = p.outOwner;
        row.outSpender = p.spender;
        row.outFrom = p.outStart[j];
        row.outTo = p.outStart[j + 1];
        row.firstOutput = p.firstOutput[j];
        row.inSource = p.inSource;
        row.inValue = p.inValue;
        row.inTx = p.inTx;
        row.inFrom = p.inStart[j];
        row.inTo = p.inStart[j + 1];
    }

    @Override
    public void loadSpenders(int tx, TxRow row) {
        // The layout and the spenders are decoded with the page; the bodies are not needed.
        int[] l = links(tx >>> shift);
        int j = tx & ((1 << shift) - 1);
        row.outSpender = l;
        row.outFrom = l[j];
        row.outTo = l[j + 1];
    }

    /**
     * No "last page" shortcut here as {@link #page} has: storing it is a reference written to the heap, and the garbage
     * collector's write barrier on it cost more than the two-level look-up it would save.
     */
    private int[] links(int index) {
        int b = index >>> BLOCK_SHIFT;
        int i = index & (BLOCK - 1);
        int[][] block = b < links.length ? links[b] : null;
        int[] l = block == null ? null : block[i];
        if (l != null) {
            used[b][i] = true;
        } else {
            Page p = page(index);
            l = links[b][i];
            if (l == null) {
                // The bound is below this page and its links: it went as soon as it was held.
                l = links(p);
            }
        }
        return l;
    }

    /** A page's layout and spenders in one array: see {@link #links}. */
    private static int[] links(Page p) {
        int n = p.outStart.length;
        // Not outStart's last entry: a store's last page has room for transactions not yet there.
        int outs = p.spender.length;
        int[] l = new int[n + outs];
        for (int j = 0; j < n; j++) {
            l[j] = n + p.outStart[j];
        }
        System.arraycopy(p.spender, 0, l, n, outs);
        return l;
    }

    @Override
    public boolean endpoint(int owner) {
        return owner >= 0 && owner >>> 6 < endpoints.length && (endpoints[owner >>> 6] & 1L << owner) != 0;
    }

    /** Pages read from the source so far (cache misses). */
    public long pageReads() {
        return reads;
    }

    /** Pages held now. */
    public int cachedPages() {
        return heldPages;
    }

    /** Bytes of the pages held now. */
    public long cachedBytes() {
        return cachedBytes;
    }

    private Page page(int index) {
        if (index == lastIndex) {
            return last;
        }
        int b = index >>> BLOCK_SHIFT;
        int i = index & (BLOCK - 1);
        Page[] block = b < held.length ? held[b] : null;
        Page p = block == null ? null : block[i];
        if (p != null) {
            used[b][i] = true;
        } else {
            p = source.read(index);
            reads++;
            hold(index, p);
        }
        lastIndex = index;
        last = p;
        return p;
    }

    private void hold(int index, Page p) {
        int b = index >>> BLOCK_SHIFT;
        if (b >= held.length) {
            held = Arrays.copyOf(held, Math.max(b + 1, held.length * 2));
            used = Arrays.copyOf(used, held.length);
            links = Arrays.copyOf(links, held.length);
        }
        if (held[b] == null) {
            held[b] = new Page[BLOCK];
            used[b] = new boolean[BLOCK];
            links[b] = new int[BLOCK][];
        }
        held[b][index & (BLOCK - 1)] = p;
        int[] l = links(p);
        links[b][index & (BLOCK - 1)] = l;
        // Not marked used: a page earns its second turn by a second use, else a sweep that finds every page marked
        // clears them all and evicts in load order, the page in use among them.
        used[b][index & (BLOCK - 1)] = false;
        if (heldPages == clock.length) {
            // Unrolled so that the ring starts at the hand.
            int[] grown = new int[clock.length * 2];
            for (int k = 0; k < heldPages; k++) {
                grown[k] = clock[(hand + k) % clock.length];
            }
            clock = grown;
            hand = 0;
        }
        clock[(hand + heldPages) % clock.length] = index;
        heldPages++;
        cachedBytes += p.bytes() + 16L + 4L * l.length;
        // The clock: a used page gets another turn (its mark cleared), an unused one goes. Two turns of the hand at most.
        while (cachedBytes > maxBytes && heldPages > 1) {
            int victim = clock[hand];
            hand = (hand + 1) % clock.length;
            heldPages--;
            int vb = victim >>> BLOCK_SHIFT;
            int vi = victim & (BLOCK - 1);
            if (used[vb][vi]) {
                used[vb][vi] = false;
                clock[(hand + heldPages) % clock.length] = victim;
                heldPages++;
            } else {
                cachedBytes -= held[vb][vi].bytes() + 16L + 4L * links[vb][vi].length;
                held[vb][vi] = null;
                links[vb][vi] = null;
                if (victim == lastIndex) {
                    lastIndex = -1;
                    last = null;
                }
            }
        }
    }
}
