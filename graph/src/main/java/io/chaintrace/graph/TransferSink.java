package io.chaintrace.graph;

import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import java.util.List;
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

    /**
     * Appends blocks in chain order with their transfers, and the checkpoint (the last block's), in one atomic batch;
     * blocks whose number is stored are left out. Returns how many were written.
     */
    int appendEthBlocks(List<EthBlock> blocks, Checkpoint checkpoint);

    /**
     * Stores, in one batch, the transfers a fetch found for the addresses it asked about ({@code asked}, whose whole
     * history over blocks {@code fromBlock..toBlock} they are); blocks not stored whole are kept as fetched in part. A
     * transfer stored already is skipped. Returns the transfers added.
     */
    long putFetchedTransfers(List<EthBlock> blocks, java.util.Collection<String> asked, long fromBlock, long toBlock, String source);

    /** The blocks {@code [from, to]} over which a fetch read an address's whole history, if it did. */
    Optional<long[]> ethFetchedRange(String address);

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
