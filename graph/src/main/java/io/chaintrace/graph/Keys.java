package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;

/** Byte layouts of the store's keys. Big-endian, so RocksDB's byte order is numeric order. */
final class Keys {
    /** The value of an {@code address_txs} or {@code account_transfers} entry: the owner received (bit set). */
    static final byte RECEIVED = 1;
    /** The value of an {@code address_txs} or {@code account_transfers} entry: the owner sent (bit set). */
    static final byte SENT = 2;

    private Keys() {
    }

    static byte[] outpoint(Hash256 txid, int vout) {
        byte[] k = new byte[36];
        txid.copyTo(k, 0);
        putInt(k, 32, vout);
        return k;
    }

    static byte[] outpoint(Outpoint op) {
        return outpoint(op.txid(), op.vout());
    }

    static byte[] height(int height) {
        byte[] k = new byte[4];
        putInt(k, 0, height);
        return k;
    }

    static byte[] number(long blockNumber) {
        byte[] k = new byte[8];
        putLong(k, 0, blockNumber);
        return k;
    }

    static byte[] addressId(int id) {
        byte[] k = new byte[4];
        putInt(k, 0, id);
        return k;
    }

    /** Address history: id, then chain order (height + 1 so that unknown heights sort first, position), then txid. */
    static byte[] addressTx(int addressId, int height, int position, Hash256 txid) {
        byte[] k = new byte[4 + 4 + 4 + 32];
        putInt(k, 0, addressId);
        putInt(k, 4, height + 1);
        putInt(k, 8, position);
        txid.copyTo(k, 12);
        return k;
    }

    static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    static int getInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    static void putLong(byte[] b, int off, long v) {
        putInt(b, off, (int) (v >>> 32));
        putInt(b, off + 4, (int) v);
    }

    static long getLong(byte[] b, int off) {
        return ((long) getInt(b, off) << 32) | (getInt(b, off + 4) & 0xffffffffL);
    }

    /** A transfer in {@code transfers}: block number, transaction index, kind, index (docs/STORE.md). */
    static byte[] transfer(long number, int txIndex, io.chaintrace.core.model.TransferKind kind, int index) {
        byte[] k = new byte[17];
        putLong(k, 0, number);
        putInt(k, 8, txIndex);
        k[12] = (byte) kind.ordinal();
        putInt(k, 13, index);
        return k;
    }

    /** An account's transfer in {@code account_transfers}: owner id, then the transfer's key. */
    static byte[] accountTransfer(int addressId, byte[] transferKey) {
        byte[] k = new byte[4 + transferKey.length];
        putInt(k, 0, addressId);
        System.arraycopy(transferKey, 0, k, 4, transferKey.length);
        return k;
    }
}
