package io.chaintrace.graph;

import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import java.util.Optional;

/**
 * Where an Ethereum source writes: blocks with their transfers, each with its checkpoint in one
 * atomic batch; blocks a reorg replaced are rolled back ({@link ChainStore} implements it).
 */
public interface TransferSink {
    /** A stored Ethereum block by number. */
    Optional<StoredEthBlock> ethBlock(long number);

    /** Appends a block, its transfers and the checkpoint atomically; false when its number is stored. */
    boolean appendEthBlock(EthBlock block, Checkpoint checkpoint);

    /** Removes blocks {@code >= fromNumber} and sets the checkpoint back; how many were removed. */
    int rollbackEthBlocks(long fromNumber, String checkpointSource);

    /** The chain id the stored data of {@code chain} comes from, if recorded. */
    Optional<String> chainId(Chain chain);

    void setChainId(Chain chain, String id);

    /** Sets a token's symbol and decimals once its contract answered. */
    void updateAsset(Asset asset);

    /** The checkpoint a source last wrote, if any. */
    Optional<Checkpoint> checkpoint(String source);
}
