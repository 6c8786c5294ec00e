package io.chaintrace.graph;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The puts, merges and deletes of one large batch, gathered per family and handed to RocksDB in about key order.
 *
 * <p>Why: a memtable is a skip list, and an insert searches it from the top level down, a cache miss at nearly every
 * node once the memtable outgrows the processor's cache. RocksDB keeps the place of the last insert (its splice) and
 * starts the next search from there when the next key lies close after it: in key order a block's keys of one family
 * are a few dozen entries apart in the memtable and most of each search is skipped. A block's txids, outpoints and
 * owner ids come in no order at all; unsorted, the committer thread spent three quarters of its time in that search
 * (the Bitcoin ingest at mainnet shape, issue 19; benchmarks/README).
 *
 * <p>The order is by a key's first 44 bits, then by the order the writes were made in: close enough for the splice
 * (keys agreeing in 44 bits are neighbours anyway), one sort of primitive longs (a comparator over the whole keys cost
 * the writer a third of its time), and writes of one key keep their order, which merges and deletes need. A family
 * written through this is written only through it within a batch, or its writes would change order.
 *
 * <p>Merges of one key that meet in that order are handed over as one merge of their values joined, in the families
 * whose merges append ({@link Family#appended}: appending A and then B is appending AB). A group of Bitcoin blocks
 * merges each input's spend into the page of the transaction it spends, and its inputs spend the recent pages many
 * times over: at 10^6 mainnet-shaped transactions 2.06 million merges were 138 thousand keys, each merge otherwise an
 * entry of its own in the memtable, the flush and the compactions, and an operand for every read of its page to apply.
 */
final class KeyOrderedWrites {
    /** Bits of a write's position in the packed sort key: a family's writes past this many are left in their order. */
    private static final int POSITION_BITS = 20;
    private static final int MAX_WRITES = 1 << POSITION_BITS;

    private final Writes[] byFamily = new Writes[Family.values().length];

    /** One family's writes in the order made. */
    private static final class Writes {
        byte[][] keys = new byte[256][];
        byte[][] values = new byte[256][];
        byte[] kinds = new byte[256];
        int n;

        void add(byte[] key, byte[] value, byte kind) {
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, 2 * n);
                values = Arrays.copyOf(values, 2 * n);
                kinds = Arrays.copyOf(kinds, 2 * n);
            }
            keys[n] = key;
            values[n] = value;
            kinds[n++] = kind;
        }

        /** Positions of the writes, ordered by the key's first 44 bits, then by position. */
        int[] order() {
            if (n > MAX_WRITES) {
                // No block comes near (a family takes a few writes a transaction); correct in any order, only slower.
                int[] made = new int[n];
                Arrays.setAll(made, i -> i);
                return made;
            }
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) {
                // The unsigned order of the prefix as the signed order of the packed long: top bit flipped.
                packed[i] = (prefix(keys[i]) >>> POSITION_BITS << POSITION_BITS | i) ^ Long.MIN_VALUE;
            }
            Arrays.sort(packed);
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = (int) (packed[i] & (MAX_WRITES - 1));
            }
            return order;
        }

        /**
         * Where the record starting at {@code order[at]} ends in {@code order} (exclusive): after the run of merges of its
         * key that follow one another there, in a family whose merges append (see {@link #joined}), else after it.
         */
        int recordEnd(int[] order, int at, boolean appended) {
            int first = order[at];
            int end = at + 1;
            if (appended && kinds[first] == MERGE) {
                while (end < order.length && kinds[order[end]] == MERGE && Arrays.equals(keys[order[end]], keys[first])) {
                    end++;
                }
            }
            return end;
        }

        /** The value of the record {@code order[from, to)}: the merges' values in the order made, one after another. */
        byte[] joined(int[] order, int from, int to) {
            if (to - from == 1) {
                return values[order[from]];
            }
            byte[] out = new byte[Math.toIntExact(valueLength(order, from, to))];
            int at = 0;
            for (int i = from; i < to; i++) {
                byte[] v = values[order[i]];
                System.arraycopy(v, 0, out, at, v.length);
                at += v.length;
            }
            return out;
        }

        /** The length of the record {@code order[from, to)}'s value. */
        long valueLength(int[] order, int from, int to) {
            long length = 0;
            for (int i = from; i < to; i++) {
                length += values[order[i]].length;
            }
            return length;
        }

        /** A key's first eight bytes, big-endian, zero-padded. */
        private static long prefix(byte[] key) {
            long p = 0;
            int m = Math.min(8, key.length);
            for (int i = 0; i < m; i++) {
                p |= (key[i] & 0xFFL) << (56 - 8 * i);
            }
            return p;
        }
    }

    private static final byte PUT = 0;
    private static final byte MERGE = 1;
    private static final byte DELETE = 2;

    void put(Family family, byte[] key, byte[] value) {
        writes(family).add(key, value, PUT);
    }

    void merge(Family family, byte[] key, byte[] value) {
        writes(family).add(key, value, MERGE);
    }

    void delete(Family family, byte[] key) {
        writes(family).add(key, null, DELETE);
    }

    /** Adds {@code other}'s writes after these, in the order they were made there. */
    void addAll(KeyOrderedWrites other) {
        for (Family family : Family.values()) {
            Writes o = other.byFamily[family.ordinal()];
            if (o == null) {
                continue;
            }
            Writes w = writes(family);
            for (int i = 0; i < o.n; i++) {
                w.add(o.keys[i], o.values[i], o.kinds[i]);
            }
        }
    }

    private Writes writes(Family family) {
        Writes w = byFamily[family.ordinal()];
        if (w == null) {
            w = byFamily[family.ordinal()] = new Writes();
        }
        return w;
    }

    /** The positions, in the order made, of {@code family}'s writes in the order they are written; none: empty. */
    int[] order(Family family) {
        Writes w = byFamily[family.ordinal()];
        return w == null ? new int[0] : w.order();
    }

    /**
     * Adds everything gathered to {@code batch}, each family in about key order. Puts and deletes go through two direct
     * buffers: RocksJava reads those in place, where a {@code byte[]} is copied into a native allocation and freed on
     * every call (a sixth of the Bitcoin ingest's writer thread, issue 19). Merges have no such call.
     */
    void writeTo(WriteBatch batch, StoreFiles files) throws RocksDBException {
        ByteBuffer key = ByteBuffer.allocateDirect(1 << 10);
        ByteBuffer value = ByteBuffer.allocateDirect(1 << 12);
        for (Family family : Family.values()) {
            Writes w = byFamily[family.ordinal()];
            if (w == null) {
                continue;
            }
            ColumnFamilyHandle handle = files.handle(family);
            int[] order = w.order();
            for (int r = 0, end; r < order.length; r = end) {
                end = w.recordEnd(order, r, family.appended);
                int i = order[r];
                switch (w.kinds[i]) {
                    case MERGE -> batch.merge(handle, w.keys[i], w.joined(order, r, end));
                    case DELETE -> {
                        key = filled(key, w.keys[i]);
                        batch.delete(handle, key);
                    }
                    default -> {
                        key = filled(key, w.keys[i]);
                        value = filled(value, w.values[i]);
                        batch.put(handle, key, value);
                    }
                }
            }
        }
    }

    /**
     * Everything gathered as a new batch, each family in about key order: the batch {@link #writeTo} fills, built in Java
     * as RocksDB's own representation of a batch and handed over in one call. The calls per write and the copies into
     * direct buffers were three quarters of the Java side of the Bitcoin ingest's committer thread; built so, the
     * committer took 137-149 CPU-seconds at 10^7 transactions instead of 158 (issue 19, benchmarks/README).
     */
    WriteBatch toBatch(StoreFiles files) {
        return new WriteBatch(serialized(files));
    }

    /**
     * The representation {@code WriteBatch(byte[])} takes and {@code WriteBatch.data()} gives (RocksDB's
     * {@code db/write_batch.cc}): a sequence number (fixed64, 0 until written), the count of records (fixed32), then
     * each record: its type, the family's id as a varint32 unless it is the default family, the key and (but for a
     * delete) the value, each a varint32 length and its bytes. {@code KeyOrderedWritesTest} holds it to the batch the
     * library's own calls build.
     */
    byte[] serialized(StoreFiles files) {
        int[][] orders = new int[byFamily.length][];
        int[] ids = new int[byFamily.length];
        long size = 12;
        int count = 0;
        for (Family family : Family.values()) {
            Writes w = byFamily[family.ordinal()];
            if (w == null || w.n == 0) {
                continue;
            }
            int f = family.ordinal();
            int[] order = orders[f] = w.order();
            ids[f] = files.handle(family).getID();
            int head = 1 + (ids[f] == 0 ? 0 : varintLength(ids[f]));
            for (int r = 0, end; r < order.length; r = end) {
                end = w.recordEnd(order, r, family.appended);
                int i = order[r];
                size += head + varintLength(w.keys[i].length) + w.keys[i].length;
                if (w.kinds[i] != DELETE) {
                    long length = w.valueLength(order, r, end);
                    size += (length > Integer.MAX_VALUE ? 5 : varintLength((int) length)) + length;
                }
                count++;
            }
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("a batch of " + size + " bytes is past what one array holds");
        }
        byte[] out = new byte[(int) size];
        int at = 8; // sequence number: 0
        out[at++] = (byte) count;
        out[at++] = (byte) (count >>> 8);
        out[at++] = (byte) (count >>> 16);
        out[at++] = (byte) (count >>> 24);
        for (Family family : Family.values()) {
            int f = family.ordinal();
            int[] order = orders[f];
            if (order == null) {
                continue;
            }
            Writes w = byFamily[f];
            boolean named = ids[f] != 0;
            for (int r = 0, end; r < order.length; r = end) {
                end = w.recordEnd(order, r, family.appended);
                int i = order[r];
                byte kind = w.kinds[i];
                out[at++] = switch (kind) {
                    case MERGE -> named ? TYPE_FAMILY_MERGE : TYPE_MERGE;
                    case DELETE -> named ? TYPE_FAMILY_DELETION : TYPE_DELETION;
                    default -> named ? TYPE_FAMILY_VALUE : TYPE_VALUE;
                };
                if (named) {
                    at = putVarint(out, at, ids[f]);
                }
                at = putBytes(out, at, w.keys[i]);
                if (kind != DELETE) {
                    at = putVarint(out, at, (int) w.valueLength(order, r, end));
                    for (int j = r; j < end; j++) {
                        byte[] v = w.values[order[j]];
                        System.arraycopy(v, 0, out, at, v.length);
                        at += v.length;
                    }
                }
            }
        }
        return out;
    }

    /** Record types of a serialized batch (RocksDB's {@code db/dbformat.h}, {@code ValueType}). */
    private static final byte TYPE_DELETION = 0x0;
    private static final byte TYPE_VALUE = 0x1;
    private static final byte TYPE_MERGE = 0x2;
    private static final byte TYPE_FAMILY_DELETION = 0x4;
    private static final byte TYPE_FAMILY_VALUE = 0x5;
    private static final byte TYPE_FAMILY_MERGE = 0x6;

    private static int varintLength(int v) {
        return v >>> 7 == 0 ? 1 : v >>> 14 == 0 ? 2 : v >>> 21 == 0 ? 3 : v >>> 28 == 0 ? 4 : 5;
    }

    private static int putVarint(byte[] out, int at, int v) {
        while (v >>> 7 != 0) {
            out[at++] = (byte) (v & 0x7F | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    private static int putBytes(byte[] out, int at, byte[] bytes) {
        at = putVarint(out, at, bytes.length);
        System.arraycopy(bytes, 0, out, at, bytes.length);
        return at + bytes.length;
    }

    /** {@code buffer} (or a larger one) holding exactly {@code bytes}, ready to be read. */
    private static ByteBuffer filled(ByteBuffer buffer, byte[] bytes) {
        ByteBuffer b = buffer.capacity() >= bytes.length ? buffer.clear() : ByteBuffer.allocateDirect(Integer.highestOneBit(bytes.length) << 1);
        return b.put(bytes).flip();
    }
}
