/**
 * Sources that write into the store: Bitcoin Core block files ({@code btc}), Ethereum JSON-RPC and
 * blockchain-etl exports ({@code eth}), label lists ({@code labels}), and the generated case files of the
 * demo ({@code demo}). Each source reads its input, hands complete blocks or label rows to the store and
 * reports progress through {@link io.chaintrace.ingest.IngestListener}. Depends on graph, scenarios and core.
 */
package io.chaintrace.ingest;
