package io.chaintrace.ingest.btc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bitcoin Core >= 28 obfuscates block files with the 8-byte key in {@code blocks/xor.dat}:
 * byte {@code i} of a file is XORed with {@code key[i % 8]}. An all-zero or absent key means none.
 */
record XorKey(byte[] key) {
    static final XorKey NONE = new XorKey(new byte[8]);

    /** The key in {@code dir/xor.dat}, if there is one. */
    static XorKey in(Path dir) {
        Path f = dir == null ? null : dir.resolve("xor.dat");
        if (f == null || !Files.isRegularFile(f)) {
            return NONE;
        }
        try {
            byte[] k = Files.readAllBytes(f);
            if (k.length != 8) {
                throw new BlockFileException(f, -1, "xor.dat must hold 8 bytes, holds " + k.length);
            }
            return new XorKey(k);
        } catch (IOException e) {
            throw new BlockFileException(f, -1, "cannot read: " + e.getMessage(), e);
        }
    }

    boolean active() {
        for (byte b : key) {
            if (b != 0) {
                return true;
            }
        }
        return false;
    }

    /** Removes the obfuscation from {@code buf[0..len)}, which was read at {@code fileOffset}. */
    void apply(byte[] buf, int len, long fileOffset) {
        if (!active()) {
            return;
        }
        for (int i = 0; i < len; i++) {
            buf[i] ^= key[(int) ((fileOffset + i) & 7)];
        }
    }
}
