package io.chaintrace.core.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte hash (transaction id, block hash) in display order: the order block explorers and
 * Bitcoin Core print, which is the reverse of the bytes on the wire.
 */
public record Hash256(byte[] bytes) implements Comparable<Hash256> {
    public static final int LENGTH = 32;
    public static final Hash256 ZERO = new Hash256(new byte[LENGTH]);
    private static final HexFormat HEX = HexFormat.of();
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    public Hash256 {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash has 32 bytes, got " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** Parses 64 hex digits. */
    public static Hash256 fromHex(String hex) {
        String h = hex.strip();
        int from = h.startsWith("0x") || h.startsWith("0X") ? 2 : 0; // read in place: an import parses millions
        if (h.length() - from != 2 * LENGTH) {
            throw new IllegalArgumentException("a hash has 64 hex digits, got " + (h.length() - from) + ": " + hex);
        }
        byte[] b = new byte[LENGTH];
        int bad = 0;
        for (int i = 0, k = from; i < LENGTH; i++, k += 2) {
            int high = HexDigits.value(h.charAt(k));
            int low = HexDigits.value(h.charAt(k + 1));
            bad |= high | low;
            b[i] = (byte) (high << 4 | low);
        }
        if ((bad & ~0xf) != 0) {
            throw new IllegalArgumentException("not a hex hash: " + hex);
        }
        return new Hash256(b);
    }

    /** Copies 32 bytes at {@code offset} of {@code source}. */
    public static Hash256 of(byte[] source, int offset) {
        return new Hash256(Arrays.copyOfRange(source, offset, offset + LENGTH));
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the 32 bytes into {@code target} at {@code offset}. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, LENGTH);
    }

    /**
     * Bytes {@code 8 i .. 8 i + 7} as a big-endian long, {@code i} in 0..3: the hash without a copy of its bytes, for
     * tables keyed by hashes in primitive arrays.
     */
    public long word(int i) {
        return (long) WORDS.get(bytes, 8 * i);
    }

    public boolean isZero() {
        return Arrays.equals(bytes, ZERO.bytes);
    }

    public String hex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash256 h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        // The bytes of a hash are already uniformly distributed.
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public int compareTo(Hash256 o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
