package io.chaintrace.graph;

/** What one clustering run did: {@code ethTransfers} counts the ether transfers read for deposit addresses (tokens are not). */
public record ClusterRun(long transactions, long multiInputLinks, long changeLinks, long coinjoinsSkipped, long ethTransfers, long depositAddressLinks) {
}
