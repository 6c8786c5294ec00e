package io.chaintrace.graph;

import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;

/** A stored Bitcoin block's header facts: where it sits, its parent, its transactions and the work of the chain up to it. */
public record StoredBlock(BlockRef ref, Hash256 prev, int txCount, BigInteger chainWork, long firstSeq) {
}
