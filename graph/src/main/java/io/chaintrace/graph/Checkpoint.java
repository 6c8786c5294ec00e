package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import java.nio.ByteBuffer;

/**
 * How far a source got: the last block it completed. Written in the same atomic batch as that
 * block, so it never points past what is stored.
 */
public record Checkpoint(String source, Hash256 lastBlock, int height, long blocksDone) {
    /** As stored in {@code checkpoints}: last block hash, height, blocks done. */
    byte[] encode() {
        return ByteBuffer.allocate(32 + 4 + 8).put(lastBlock.bytes()).putInt(height).putLong(blocksDone).array();
    }

    static Checkpoint decode(String source, byte[] v) {
        ByteBuffer b = ByteBuffer.wrap(v);
        byte[] hash = new byte[32];
        b.get(hash);
        return new Checkpoint(source, new Hash256(hash), b.getInt(), b.getLong());
    }
}
