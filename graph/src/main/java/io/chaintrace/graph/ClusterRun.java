package io.chaintrace.graph;

/** What one clustering run did. */
public record ClusterRun(long transactions, long multiInputLinks, long changeLinks, long coinjoinsSkipped, long ethTransfers, long depositAddressLinks) {
}
