package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import java.util.Optional;

/**
 * Where a Bitcoin source writes: main-chain blocks in chain order, each with its checkpoint in one
 * atomic batch ({@link ChainStore} implements it).
 */
public interface BlockSink {
    /** Whether a block with this hash is stored (or being written). */
    boolean hasBlock(Hash256 hash);

    /** The stored block with this hash, if stored: what a new segment links to. */
    Optional<StoredBlock> block(Hash256 hash);

    /** Appends a block and its checkpoint atomically; false, writing nothing, when it is stored. */
    boolean append(NewBlock block, Checkpoint checkpoint);

    /**
     * Takes the last appended block off again, exactly (a reorg, or an input that failed), and sets the
     * checkpoint of {@code source} to {@code checkpoint} (removes it when empty) in the same atomic batch.
     *
     * @throws IllegalStateException when {@code tip} is not the last block appended
     */
    void disconnect(Hash256 tip, String source, Optional<Checkpoint> checkpoint);

    /** The main-chain block with the greatest known height, if any. */
    Optional<StoredBlock> tip();

    /** Waits until every appended block is written. */
    void sync();

    /** The checkpoint a source last wrote, if any. */
    Optional<Checkpoint> checkpoint(String source);
}
