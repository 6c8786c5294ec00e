package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.Sha256Hash;

/**
 * First pass over block files: walks the records (magic, little-endian length, block) and reads
 * only each block's 80-byte header, so that the main chain can be chosen before any block is
 * parsed in full. Stops at the first fault and returns it with the records before it.
 */
final class BlockFileScanner {
    static final int HEADER = 80;
    /**
     * The most bytes a block can be (Bitcoin Core's MAX_BLOCK_SERIALIZED_SIZE: its weight, at most 4,000,000, counts every
     * byte at least once): a record declaring more is damaged or hostile, and is refused before anything is read into
     * memory for it.
     */
    static final int MAX_BLOCK_BYTES = 4_000_000;
    private static final Map<Integer, BitcoinNetwork> MAGICS = Map.of(
            0xf9beb4d9, BitcoinNetwork.MAINNET,
            0x0b110907, BitcoinNetwork.TESTNET,
            0xfabfb5da, BitcoinNetwork.REGTEST,
            0x0a03cf40, BitcoinNetwork.SIGNET);

    /** What the scan found: records in input order, the network the magic names, and the fault that stopped it. */
    record Scan(List<BlockRecord> records, Optional<BitcoinNetwork> network, Optional<BlockFileException> fault) {
    }

    private final List<BlockRecord> records = new ArrayList<>();
    private Integer magic;

    Scan scan(List<Path> files) {
        for (Path file : files) {
            try {
                scanFile(file, XorKey.in(file.toAbsolutePath().getParent()));
            } catch (BlockFileException fault) {
                return new Scan(records, network(), Optional.of(fault));
            }
        }
        return new Scan(records, network(), Optional.empty());
    }

    private Optional<BitcoinNetwork> network() {
        return magic == null ? Optional.empty() : Optional.of(MAGICS.get(magic));
    }

    private void scanFile(Path file, XorKey xor) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) {
                throw new BlockFileException(file, 0, "empty file");
            }
            long off = 0;
            byte[] head = new byte[8];
            while (off < size) {
                long left = size - off;
                int n = read(ch, file, head, (int) Math.min(8, left), off, xor);
                int m = ByteBuffer.wrap(head).getInt();
                if (n < 8) {
                    if (isZero(head, n)) {
                        return; // zero padding at the end of the file
                    }
                    throw new BlockFileException(file, off, "truncated record header: " + n + " bytes left, a record needs 8");
                }
                if (m == 0) {
                    if (restIsZero(ch, file, off, size, xor)) {
                        return; // Bitcoin Core preallocates files: zero padding after the last record
                    }
                    throw new BlockFileException(file, off, "unexpected bytes where a record should start (zero magic followed by data)");
                }
                if (!MAGICS.containsKey(m)) {
                    if (off == 0) {
                        addRaw(ch, file, size, xor, m);
                        return;
                    }
                    throw new BlockFileException(file, off, String.format("wrong magic 0x%08x, expected 0x%08x (%s)", m, magic,
                            MAGICS.get(magic).id()));
                }
                if (magic == null) {
                    magic = m;
                } else if (m != magic) {
                    throw new BlockFileException(file, off, String.format("wrong magic 0x%08x, expected 0x%08x (%s)", m, magic,
                            MAGICS.get(magic).id()));
                }
                long length = ByteBuffer.wrap(head, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
                if (length > left - 8) {
                    throw new BlockFileException(file, off, "record declares a " + length + "-byte block but only " + (left - 8)
                            + " bytes remain before the end of the file (truncated file or corrupt length)");
                }
                if (length < HEADER + 1) {
                    throw new BlockFileException(file, off, "record declares a " + length + "-byte block, too short for a block");
                }
                if (length > MAX_BLOCK_BYTES) {
                    throw new BlockFileException(file, off, "record declares a " + length + "-byte block, more than the "
                            + MAX_BLOCK_BYTES + " bytes a block can be (Bitcoin Core's MAX_BLOCK_SERIALIZED_SIZE)");
                }
                addRecord(ch, file, off + 8, (int) length, xor, false);
                off += 8 + length;
            }
        } catch (IOException e) {
            throw new BlockFileException(file, -1, "cannot read: " + describe(e), e);
        }
    }

    /** A file without framing is taken as one serialized block; pass two checks that it parses. */
    private void addRaw(FileChannel ch, Path file, long size, XorKey xor, int firstWord) throws IOException {
        if (size < HEADER + 1 || size > MAX_BLOCK_BYTES) {
            throw new BlockFileException(file, 0, String.format("unknown magic 0x%08x and %d bytes: neither a block file nor a raw block",
                    firstWord, size));
        }
        addRecord(ch, file, 0, (int) size, xor, true);
    }

    private void addRecord(FileChannel ch, Path file, long offset, int length, XorKey xor, boolean raw) throws IOException {
        byte[] header = new byte[HEADER];
        read(ch, file, header, HEADER, offset, xor);
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        long version = b.getInt() & 0xffffffffL;
        byte[] prevWire = new byte[32];
        b.get(prevWire);
        b.position(68);
        long time = b.getInt() & 0xffffffffL;
        long bits = b.getInt() & 0xffffffffL;
        Hash256 hash = new Hash256(Sha256Hash.wrapReversed(Sha256Hash.hashTwice(header)).getBytes());
        Hash256 prev = new Hash256(Sha256Hash.wrapReversed(prevWire).getBytes());
        records.add(new BlockRecord(records.size(), file, offset, length, hash, prev, version, time, bits, raw));
    }

    static int read(FileChannel ch, Path file, byte[] buf, int len, long offset, XorKey xor) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, len);
        long pos = offset;
        while (bb.hasRemaining()) {
            int r = ch.read(bb, pos);
            if (r < 0) {
                break;
            }
            pos += r;
        }
        int n = bb.position();
        xor.apply(buf, n, offset);
        return n;
    }

    private static boolean restIsZero(FileChannel ch, Path file, long off, long size, XorKey xor) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (long p = off; p < size; p += buf.length) {
            int n = read(ch, file, buf, (int) Math.min(buf.length, size - p), p, xor);
            if (!isZero(buf, n)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static String describe(IOException e) {
        String kind = switch (e) {
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.NoSuchFileException a -> "no such file or directory";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
        return kind;
    }
}
