package io.chaintrace.graph;

/**
 * Ethereum totals: blocks and transfers stored; of the blocks, how many a fetch filled in part (only the transfers of the
 * addresses it asked about), and how many addresses it asked about; the accounts the store has met (senders and
 * receivers of its transfers, contracts of its tokens).
 */
public record EthStats(long blocks, long transfers, long fetchedBlocks, long fetchedAddresses, long accounts) {
}
