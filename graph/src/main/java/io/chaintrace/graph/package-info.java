/**
 * The embedded store (docs/STORE.md): {@link io.chaintrace.graph.ChainStore} opens it and hands each call
 * to the part that owns it ({@code StoreFiles}: files, column families, format; {@code BlockWriter} and
 * {@code BitcoinStore}; {@code EthereumStore}; {@code LabelStore}; {@code AddressBook}; {@code EntityStore};
 * {@code CompactRowsStore}). Sources write through {@link io.chaintrace.graph.BlockSink},
 * {@link io.chaintrace.graph.TransferSink} and {@link io.chaintrace.graph.LabelSink}; engines read through
 * {@link io.chaintrace.core.trace.UtxoLedger}, {@link io.chaintrace.core.account.AccountLedger} and the
 * compact rows. Depends on core only.
 */
package io.chaintrace.graph;
