/**
 * Sources that write into the store: Bitcoin Core block files now; Ethereum JSON-RPC, exports and
 * label lists next. Each source reads its input, hands complete blocks to
 * {@link io.chaintrace.graph.ChainStore} and reports progress through {@link io.chaintrace.ingest.IngestListener}.
 * Depends on graph and core.
 */
package io.chaintrace.ingest;
