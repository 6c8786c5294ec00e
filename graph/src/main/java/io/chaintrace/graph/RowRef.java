package io.chaintrace.graph;

/** Where an output sits in the compact rows: its transaction's sequence number, its index, its output id. */
public record RowRef(int tx, int vout, int output) {
}
