/**
 * The Chaintrace domain and tracing engine. No I/O: everything here works on values handed in
 * by the {@code graph} module through small read interfaces such as
 * {@link io.chaintrace.core.trace.UtxoLedger}. May depend on bitcoinj and web3j's crypto for
 * address encodings, JGraphT and fastutil; never on graph, ingest or cli.
 */
package io.chaintrace.core;
