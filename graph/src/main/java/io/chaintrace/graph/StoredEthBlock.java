package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;

/**
 * A stored Ethereum block's header facts. {@code fetched}: the block holds only the transfers of the addresses a fetch
 * asked about, not all of its own (its parent hash is then not known: zero).
 */
public record StoredEthBlock(long number, Hash256 hash, Hash256 parent, long time, boolean fetched) {
}
