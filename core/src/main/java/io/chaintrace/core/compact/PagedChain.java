package io.chaintrace.core.compact;

import it.unimi.dsi.fastutil.ints.Int2ObjectLinkedOpenHashMap;
import java.util.BitSet;

/**
 * Compact rows read lazily from a store, a page of consecutive transactions at a time, kept in a
 * cache bounded in bytes (least recently used page out first). A trace that floods the chain
 * reads each page once; a narrow one reads only the pages it reaches.
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
     * funding transaction (-1 for coinbases and unresolved inputs).
     */
    public record Page(int firstTx, int[] outStart, int[] firstOutput, long[] outValue, int[] outOwner, int[] spender,
                       int[] inStart, int[] inSource, long[] inValue, int[] inTx) {
        long bytes() {
            return 64L + 4L * outStart.length + 4L * firstOutput.length + 8L * outValue.length + 4L * outOwner.length
                    + 4L * spender.length + 4L * inStart.length + 4L * inSource.length + 8L * inValue.length + 4L * inTx.length;
        }
    }

    private final PageSource source;
    private final int shift;
    private final int transactions;
    private final int outputs;
    private final BitSet endpoints;
    private final long maxBytes;
    private final Int2ObjectLinkedOpenHashMap<Page> cache = new Int2ObjectLinkedOpenHashMap<>();
    private long cachedBytes;
    private int lastIndex = -1;
    private Page last;
    private long reads;

    /**
     * @param transactions number of transactions (ids below it)
     * @param outputs number of outputs
     * @param endpoints owners the trace stops at
     * @param maxBytes bound on the pages kept in memory (at least one page is always kept)
     */
    public PagedChain(PageSource source, int transactions, int outputs, BitSet endpoints, long maxBytes) {
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
    public boolean endpoint(int owner) {
        return owner >= 0 && endpoints.get(owner);
    }

    /** Pages read from the source so far (cache misses). */
    public long pageReads() {
        return reads;
    }

    /** Pages held now. */
    public int cachedPages() {
        return cache.size();
    }

    /** Bytes of the pages held now. */
    public long cachedBytes() {
        return cachedBytes;
    }

    private Page page(int index) {
        if (index == lastIndex) {
            return last;
        }
        Page p = cache.getAndMoveToLast(index);
        if (p == null) {
            p = source.read(index);
            reads++;
            cache.putAndMoveToLast(index, p);
            cachedBytes += p.bytes();
            while (cachedBytes > maxBytes && cache.size() > 1) {
                cachedBytes -= cache.removeFirst().bytes();
            }
        }
        lastIndex = index;
        last = p;
        return p;
    }
}
