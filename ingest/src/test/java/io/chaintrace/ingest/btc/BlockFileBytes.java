package io.chaintrace.ingest.btc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.ScriptType;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.crypto.ECKey;

/** Test helper: splits real block files into blocks and writes new files from them. */
final class BlockFileBytes {
    static final byte[] MAINNET = {(byte) 0xf9, (byte) 0xbe, (byte) 0xb4, (byte) 0xd9};
    static final byte[] REGTEST = {(byte) 0xfa, (byte) 0xbf, (byte) 0xb5, (byte) 0xda};

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
        return frame(blocks, MAINNET);
    }

    /** Frames blocks as a block file of the network whose magic is given. */
    static byte[] frame(List<byte[]> blocks, byte[] magic) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] block : blocks) {
            out.writeBytes(magic);
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

    /**
     * A regtest chain: its genesis and {@code n - 1} blocks mined on it. Regtest's easiest target takes a few hashes a
     * block, so forks with real proof of work can be made for tests (a mainnet block with another nonce has none).
     */
    static List<Block> regtest(int n) {
        Context.propagate(new Context());
        List<Block> chain = new ArrayList<>();
        chain.add(NetworkParameters.of(BitcoinNetwork.REGTEST).getGenesisBlock());
        while (chain.size() < n) {
            chain.add(mine(chain.getLast()));
        }
        return chain;
    }

    /** A block mined on {@code parent}, paying its coinbase to a fresh key: a block no other call makes. */
    static Block mine(Block parent) {
        return parent.createNextBlock(new ECKey().toAddress(ScriptType.P2PKH, BitcoinNetwork.REGTEST));
    }

    static List<byte[]> serialized(List<Block> blocks) {
        return blocks.stream().map(Block::serialize).toList();
    }

    /** The block's hash in display order. */
    static String hash(byte[] block) {
        return Sha256Hash.wrapReversed(Sha256Hash.hashTwice(block, 0, 80)).toString();
    }
}
