package io.chaintrace.ingest.btc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bitcoinj.base.Sha256Hash;

/** Test helper: splits real block files into blocks and writes new files from them. */
final class BlockFileBytes {
    static final byte[] MAINNET = {(byte) 0xf9, (byte) 0xbe, (byte) 0xb4, (byte) 0xd9};

    private BlockFileBytes() {
    }

    /** The serialized blocks of a framed file, in file order. */
    static List<byte[]> blocks(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.remaining() >= 8) {
            b.getInt();
            byte[] block = new byte[b.getInt()];
            b.get(block);
            out.add(block);
        }
        return out;
    }

    /** Frames blocks as a Bitcoin Core block file. */
    static byte[] frame(List<byte[]> blocks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] block : blocks) {
            out.writeBytes(MAINNET);
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(block.length).array());
            out.writeBytes(block);
        }
        return out.toByteArray();
    }

    /** A copy of a block with another nonce: a different block with the same parent and work. */
    static byte[] withNonce(byte[] block, int nonce) {
        byte[] copy = block.clone();
        ByteBuffer.wrap(copy, 76, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(nonce);
        return copy;
    }

    /** A copy of a block pointing at another parent. */
    static byte[] withParent(byte[] block, byte[] parent) {
        byte[] copy = block.clone();
        System.arraycopy(Sha256Hash.hashTwice(parent, 0, 80), 0, copy, 4, 32);
        return copy;
    }

    /** The block's hash in display order. */
    static String hash(byte[] block) {
        return Sha256Hash.wrapReversed(Sha256Hash.hashTwice(block, 0, 80)).toString();
    }
}
