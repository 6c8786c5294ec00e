package io.chaintrace.graph;

/** Ethereum totals: blocks and transfers stored. */
public record EthStats(long blocks, long transfers) {
}
