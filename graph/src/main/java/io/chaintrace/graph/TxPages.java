package io.chaintrace.graph;

import io.chaintrace.core.compact.PagedChain;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * The {@code tx_pages} column family: compact rows of consecutive transactions, read a page at a
 * time by {@link PagedChain}. Written at ingest by merges that append, so a block adds its
 * transactions' bodies to their page and a spend to the page of the transaction it spends from,
 * without reading anything back; a page is one value, read with one look-up.
 *
 * <p>Key: page number (sequence number >>> {@value #SHIFT}). Value: records, each a tag byte and
 * its payload in unsigned LEB128 varints (numbers are small once taken relative to something the
 * reader knows: a page holds about half the bytes fixed-width fields took). Tag 0, a transaction's
 * body, in sequence order: input count, output count, first output id; per input: the transaction's
 * first output id minus the output id spent (0: none), its own sequence number minus the funding
 * one (0: none), value; per output: value, owner id + 1 (0: none). Tag 1, a spend: the spent
 * output's transaction as its index in the page (one byte), output index, the spending sequence
 * number minus the page's first; it always follows the body it refers to.
 */
final class TxPages implements PagedChain.PageSource {
    /** 64 transactions (about 3 KB) a page: narrow traces read little they do not use. */
    static final int SHIFT = 6;
    static final int PAGE_SIZE = 1 << SHIFT;
    private static final byte BODY_TAG = 0;
    private static final byte SPEND_TAG = 1;

    private final RocksDB db;
    private final ColumnFamilyHandle family;
    private final java.nio.file.Path path;
    /** Spends met while laying a page out, as (output index, spender) pairs, placed once the page's outputs are counted. */
    private int[] spendScratch = new int[256];

    TxPages(RocksDB db, ColumnFamilyHandle family, java.nio.file.Path path) {
        this.db = db;
        this.family = family;
        this.path = path;
    }

    /** The key of the page holding transaction {@code seq}. */
    static byte[] pageKey(long seq) {
        return pageNumberKey(Math.toIntExact(seq >>> SHIFT));
    }

    static byte[] pageNumberKey(int page) {
        byte[] k = new byte[4];
        Keys.putInt(k, 0, page);
        return k;
    }

    static byte[] spend(long spentSeq, int vout, long spenderSeq) {
        Varints v = new Varints(16);
        v.tag(SPEND_TAG);
        v.tag((byte) (spentSeq & (PAGE_SIZE - 1)));
        v.put(vout);
        v.put(spenderSeq - (spentSeq & ~(long) (PAGE_SIZE - 1)));
        return v.bytes();
    }

    /**
     * A page's records without what transactions from {@code fromSeq} on wrote: their bodies and their
     * spends of earlier outputs (what a block rollback leaves of the page).
     */
    static byte[] before(byte[] records, long pageFirst, long fromSeq) {
        Reader r = new Reader(records);
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream(records.length);
        long bodySeq = pageFirst;
        while (r.more()) {
            int start = r.pos;
            boolean keep;
            if (r.tag() == SPEND_TAG) {
                r.pos++; // the spent transaction's index in the page
                r.skip(1); // output index
                keep = pageFirst + r.next() < fromSeq;
            } else {
                int ni = r.nextInt();
                int no = r.nextInt();
                r.skip(1 + 3 * ni + 2 * no);
                keep = bodySeq++ < fromSeq;
            }
            if (keep) {
                kept.write(records, start, r.pos - start);
            }
        }
        return kept.toByteArray();
    }

    /**
     * The sequence number of the transaction that spends output {@code vout} of transaction {@code seq}, from the records
     * of its page (-1: no spend recorded). Read from the bytes, with no decoding of the page into the compact rows'
     * 32-bit ids: it serves stores past them too. Of two spends recorded (a fetched spender, then a block's), the later
     * counts, as in {@link #read}.
     */
    static long spenderOf(byte[] records, long seq, int vout) {
        long[] spender = {-1};
        forEachSpendOf(records, seq, (spent, at) -> {
            if (spent == vout) {
                spender[0] = at;
            }
        });
        return spender[0];
    }

    /** The spenders of outputs {@code 0 .. outputs - 1} of transaction {@code seq} (-1: none), as {@link #spenderOf} reads each. */
    static long[] spendersOf(byte[] records, long seq, int outputs) {
        long[] spenders = new long[outputs];
        Arrays.fill(spenders, -1);
        forEachSpendOf(records, seq, (vout, at) -> {
            if (vout >= 0 && vout < outputs) {
                spenders[vout] = at;
            }
        });
        return spenders;
    }

    /** A spend recorded in a page: output {@code vout} spent by transaction {@code spender}. */
    private interface SpendRecord {
        void spend(int vout, long spender);
    }

    /** Each spend of an output of transaction {@code seq} recorded in its page's records, in the order recorded. */
    private static void forEachSpendOf(byte[] records, long seq, SpendRecord action) {
        int local = (int) (seq & (PAGE_SIZE - 1));
        long pageFirst = seq & ~(long) (PAGE_SIZE - 1);
        Reader r = new Reader(records);
        while (r.more()) {
            if (r.tag() == SPEND_TAG) {
                int spentLocal = r.a[r.pos++] & 0xff;
                int vout = r.nextInt();
                long spender = pageFirst + r.next();
                if (spentLocal == local) {
                    action.spend(vout, spender);
                }
            } else {
                int ni = r.nextInt();
                int no = r.nextInt();
                r.skip(1 + 3 * ni + 2 * no);
            }
        }
    }

    /** One transaction's body, built input by input and output by output. */
    static final class Body {
        private final Varints b;
        private final long seq;
        private final long firstOutput;
        private int inputsLeft;
        private int outputsLeft;

        Body(long seq, int inputs, int outputs, long firstOutput) {
            this.seq = seq;
            this.firstOutput = firstOutput;
            this.inputsLeft = inputs;
            this.outputsLeft = outputs;
            b = new Varints(8 + 12 * inputs + 8 * outputs);
            b.tag(BODY_TAG);
            b.put(inputs);
            b.put(outputs);
            b.put(firstOutput);
        }

        void input(long outputId, long fundingSeq, long value) {
            inputsLeft--;
            b.put(outputId < 0 ? 0 : firstOutput - outputId);
            b.put(fundingSeq < 0 ? 0 : seq - fundingSeq);
            b.put(value);
        }

        void output(long value, int owner) {
            outputsLeft--;
            b.put(value);
            b.put(owner + 1L);
        }

        byte[] encode() {
            if (inputsLeft != 0 || outputsLeft != 0) {
                throw new IllegalStateException("transaction body incomplete");
            }
            return b.bytes();
        }
    }

    /** Unsigned LEB128 into a growing array. */
    static final class Varints {
        private byte[] a;
        private int n;

        Varints(int capacity) {
            a = new byte[Math.max(8, capacity)];
        }

        void tag(byte t) {
            ensure(1);
            a[n++] = t;
        }

        void put(long v) {
            if (v < 0) {
                throw new IllegalArgumentException("varints are unsigned: " + v);
            }
            ensure(10);
            while ((v & ~0x7fL) != 0) {
                a[n++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            a[n++] = (byte) v;
        }

        private void ensure(int more) {
            if (n + more > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + more));
            }
        }

        byte[] bytes() {
            return n == a.length ? a : Arrays.copyOf(a, n);
        }
    }

    /** Reads varints from a page value. */
    private static final class Reader {
        private final byte[] a;
        int pos;

        Reader(byte[] a) {
            this.a = a;
        }

        boolean more() {
            return pos < a.length;
        }

        byte tag() {
            return a[pos++];
        }

        long next() {
            long v = 0;
            int shift = 0;
            byte b;
            do {
                b = a[pos++];
                v |= (long) (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0);
            return v;
        }

        int nextInt() {
            return (int) next();
        }

        void skip(int varints) {
            for (int k = 0; k < varints; k++) {
                while (a[pos++] < 0) {
                    // continuation bytes
                }
            }
        }
    }

    @Override
    public int pageShift() {
        return SHIFT;
    }

    @Override
    public PagedChain.Page read(int page) {
        byte[] v;
        try {
            v = db.get(family, pageNumberKey(page));
        } catch (RocksDBException e) {
            throw new StoreException(path, "read failed: " + e.getMessage(), e);
        }
        if (v == null) {
            throw new StoreException(path, "page " + page + " of the compact rows is missing");
        }
        return decode(page, v);
    }

    /**
     * The pages from {@code fromPage} on, in order, through {@code it} (an iterator over {@code tx_pages}, which the
     * caller closes), each with the number of transactions it holds (of {@code transactions} in all).
     */
    void scan(org.rocksdb.RocksIterator it, int fromPage, long transactions, java.util.function.ObjIntConsumer<PagedChain.Page> action) {
        for (it.seek(pageNumberKey(fromPage)); it.isValid(); it.next()) {
            int page = Keys.getInt(it.key(), 0);
            long first = (long) page << SHIFT;
            if (first >= transactions) {
                break;
            }
            action.accept(decode(page, it.value()), (int) Math.min(PAGE_SIZE, transactions - first));
        }
        try {
            it.status();
        } catch (RocksDBException e) {
            throw new StoreException(path, "read failed: " + e.getMessage(), e);
        }
    }

    /**
     * One pass over the page lays it out (where each transaction's inputs and outputs go, which
     * transaction spends each output) and leaves the bodies to {@link LazyBodies}: a narrow trace
     * touches one or two of a page's transactions.
     */
    private PagedChain.Page decode(int page, byte[] records) {
        int firstTx = page << SHIFT;
        Reader b = new Reader(records);
        int[] outStart = new int[PAGE_SIZE + 1];
        int[] inStart = new int[PAGE_SIZE + 1];
        int[] firstOutput = new int[PAGE_SIZE];
        int[] bodyAt = new int[PAGE_SIZE];
        int spends = 0;
        int t = 0;
        while (b.more()) {
            if (b.tag() == SPEND_TAG) {
                // A spend always follows the body of the transaction it spends from: its outputs are placed.
                int local = b.a[b.pos++] & 0xff;
                int vout = b.nextInt();
                if (2 * spends + 2 > spendScratch.length) {
                    spendScratch = Arrays.copyOf(spendScratch, 2 * spendScratch.length);
                }
                spendScratch[2 * spends] = outStart[local] + vout;
                spendScratch[2 * spends + 1] = compactId(firstTx + b.next());
                spends++;
                continue;
            }
            int ni = b.nextInt();
            int no = b.nextInt();
            long first = b.next();
            compactId(first + no);
            firstOutput[t] = (int) first;
            bodyAt[t] = b.pos;
            b.skip(3 * ni + 2 * no);
            inStart[t + 1] = inStart[t] + ni;
            outStart[t + 1] = outStart[t] + no;
            t++;
        }
        int outs = outStart[t];
        int ins = inStart[t];
        int[] spender = new int[outs];
        Arrays.fill(spender, -1);
        for (int k = 0; k < spends; k++) {
            spender[spendScratch[2 * k]] = spendScratch[2 * k + 1];
        }
        long[] outValue = new long[outs];
        int[] outOwner = new int[outs];
        int[] inSource = new int[ins];
        long[] inValue = new long[ins];
        int[] inTx = new int[ins];
        return new PagedChain.Page(firstTx, outStart, firstOutput, outValue, outOwner, spender, inStart, inSource, inValue, inTx,
                new LazyBodies(records, bodyAt));
    }

    /** Fills one transaction's inputs and outputs from the page value, the first time it is loaded. */
    private final class LazyBodies implements PagedChain.Bodies {
        private final byte[] records;
        private final int[] bodyAt;
        /** Bit j: local transaction j is filled (PAGE_SIZE is 64: one bit each in a long). */
        private long decoded;

        LazyBodies(byte[] records, int[] bodyAt) {
            this.records = records;
            this.bodyAt = bodyAt;
        }

        @Override
        public void decode(PagedChain.Page page, int j) {
            long bit = 1L << j;
            if ((decoded & bit) != 0) {
                return;
            }
            Reader b = new Reader(records);
            b.pos = bodyAt[j];
            long first = page.firstOutput()[j];
            long seq = page.firstTx() + j;
            int[] inStart = page.inStart();
            int[] outStart = page.outStart();
            for (int i = inStart[j]; i < inStart[j + 1]; i++) {
                long spent = b.next();
                long funding = b.next();
                page.inSource()[i] = spent == 0 ? -1 : compactId(first - spent);
                page.inTx()[i] = funding == 0 ? -1 : compactId(seq - funding);
                page.inValue()[i] = b.next();
            }
            for (int o = outStart[j]; o < outStart[j + 1]; o++) {
                page.outValue()[o] = b.next();
                page.outOwner()[o] = (int) (b.next() - 1);
            }
            decoded |= bit;
        }

        @Override
        public long bytes() {
            return 32L + records.length + 4L * bodyAt.length;
        }
    }

    private int compactId(long id) {
        if (id > Integer.MAX_VALUE) {
            throw new StoreException(path, "more than 2^31 transactions or outputs: beyond the compact tracer's 32-bit ids");
        }
        return (int) id;
    }
}
