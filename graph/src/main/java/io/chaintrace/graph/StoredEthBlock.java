package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;

/** A stored Ethereum block's header facts. */
public record StoredEthBlock(long number, Hash256 hash, Hash256 parent, long time) {
}
