/**
 * The hot path: a UTXO chain as compressed sparse rows of primitive arrays keyed by dense ids
 * (transactions numbered in chain order, outputs and inputs by position), and a tracer that sweeps
 * it without an object per edge.
 */
package io.chaintrace.core.compact;
