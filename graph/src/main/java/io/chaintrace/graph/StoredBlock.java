package io.chaintrace.graph;

import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;

/**
 * A stored Bitcoin block's header facts: where it sits, its parent, its transactions, the work of the chain up to it,
 * and its nBits (-1 when the source gave none), against which a child's difficulty is checked.
 */
public record StoredBlock(BlockRef ref, Hash256 prev, int txCount, BigInteger chainWork, long firstSeq, long bits) {
}
