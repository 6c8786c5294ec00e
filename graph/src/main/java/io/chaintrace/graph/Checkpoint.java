package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;

/**
 * How far a source got: the last block it completed. Written in the same atomic batch as that
 * block, so it never points past what is stored.
 */
public record Checkpoint(String source, Hash256 lastBlock, int height, long blocksDone) {
}
