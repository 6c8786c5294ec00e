/**
 * The embedded store: RocksDB column families for blocks, transactions, outputs, spends, dense
 * address ids, address histories in chain order, labels and ingest checkpoints, and the read views
 * the tracer uses ({@link io.chaintrace.core.trace.UtxoLedger}). Depends on core only.
 */
package io.chaintrace.graph;
