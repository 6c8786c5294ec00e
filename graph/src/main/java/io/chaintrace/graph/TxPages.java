package io.chaintrace.graph;

import io.chaintrace.core.compact.PagedChain;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
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
 * its payload (big-endian). Tag 0, a transaction's body, in sequence order: input count, output
 * count (ints), first output id (long); per input: output id spent (-1 none), funding sequence
 * number (-1 none), value (longs); per output: value (long), owner id (int). Tag 1, a spend: the
 * spent output's transaction as its index in the page (short), output index (int), spending
 * sequence number (long); it always follows the body it refers to.
 */
final class TxPages implements PagedChain.PageSource {
    /** 64 transactions (about 6 KB) a page: narrow traces read little they do not use. */
    static final int SHIFT = 6;
    static final int PAGE_SIZE = 1 << SHIFT;
    private static final int SPEND = 1 + 2 + 4 + 8;
    private static final byte BODY_TAG = 0;
    private static final byte SPEND_TAG = 1;

    private final RocksDB db;
    private final ColumnFamilyHandle family;
    private final java.nio.file.Path path;

    TxPages(RocksDB db, ColumnFamilyHandle family, java.nio.file.Path path) {
        this.db = db;
        this.family = family;
        this.path = path;
    }

    /** The key of the page holding transaction {@code seq}. */
    static byte[] pageKey(long seq) {
        return pageNumberKey(Math.toIntExact(seq >>> SHIFT));
    }

    private static byte[] pageNumberKey(int page) {
        byte[] k = new byte[4];
        Keys.putInt(k, 0, page);
        return k;
    }

    static byte[] spend(long spentSeq, int vout, long spenderSeq) {
        return ByteBuffer.allocate(SPEND).put(SPEND_TAG).putShort((short) (spentSeq & (PAGE_SIZE - 1))).putInt(vout).putLong(spenderSeq).array();
    }

    /** One transaction's body, built input by input and output by output. */
    static final class Body {
        private final ByteBuffer b;

        Body(int inputs, int outputs, long firstOutput) {
            b = ByteBuffer.allocate(1 + 16 + 24 * inputs + 12 * outputs).put(BODY_TAG).putInt(inputs).putInt(outputs).putLong(firstOutput);
        }

        void input(long outputId, long fundingSeq, long value) {
            b.putLong(outputId).putLong(fundingSeq).putLong(value);
        }

        void output(long value, int owner) {
            b.putLong(value).putInt(owner);
        }

        byte[] encode() {
            if (b.hasRemaining()) {
                throw new IllegalStateException("transaction body incomplete");
            }
            return b.array();
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

    private PagedChain.Page decode(int page, byte[] records) {
        int firstTx = page << SHIFT;
        ByteBuffer b = ByteBuffer.wrap(records);
        int txs = 0;
        int ins = 0;
        int outs = 0;
        while (b.hasRemaining()) {
            if (b.get() == SPEND_TAG) {
                b.position(b.position() + SPEND - 1);
                continue;
            }
            int ni = b.getInt();
            int no = b.getInt();
            b.position(b.position() + 8 + 24 * ni + 12 * no);
            txs++;
            ins += ni;
            outs += no;
        }
        int[] outStart = new int[txs + 1];
        int[] firstOutput = new int[txs];
        long[] outValue = new long[outs];
        int[] outOwner = new int[outs];
        int[] spender = new int[outs];
        Arrays.fill(spender, -1);
        int[] inStart = new int[txs + 1];
        int[] inSource = new int[ins];
        long[] inValue = new long[ins];
        int[] inTx = new int[ins];
        b.rewind();
        int o = 0;
        int i = 0;
        int t = 0;
        while (b.hasRemaining()) {
            if (b.get() == SPEND_TAG) {
                // A spend always follows the body of the transaction it spends from: its outputs are placed.
                int local = b.getShort() & 0xffff;
                int vout = b.getInt();
                spender[outStart[local] + vout] = compactId(b.getLong());
                continue;
            }
            int ni = b.getInt();
            int no = b.getInt();
            long first = b.getLong();
            compactId(first + no);
            firstOutput[t] = (int) first;
            inStart[t] = i;
            outStart[t] = o;
            for (int k = 0; k < ni; k++, i++) {
                inSource[i] = compactId(b.getLong());
                inTx[i] = compactId(b.getLong());
                inValue[i] = b.getLong();
            }
            for (int k = 0; k < no; k++, o++) {
                outValue[o] = b.getLong();
                outOwner[o] = b.getInt();
            }
            t++;
            outStart[t] = o;
            inStart[t] = i;
        }
        return new PagedChain.Page(firstTx, outStart, firstOutput, outValue, outOwner, spender, inStart, inSource, inValue, inTx);
    }

    private int compactId(long id) {
        if (id > Integer.MAX_VALUE) {
            throw new StoreException(path, "more than 2^31 transactions or outputs: beyond the compact tracer's 32-bit ids");
        }
        return (int) id;
    }
}
