package io.chaintrace.ingest.eth;

/** Which trace API a node answers, if any. */
public enum TraceFormat {
    /** {@code trace_block} / {@code trace_filter} (OpenEthereum, Erigon, Nethermind, Reth, Anvil). */
    PARITY,
    /** {@code debug_traceBlockByNumber} with {@code callTracer} (geth). */
    GETH,
    /** Neither: internal transfers cannot be seen. */
    NONE
}
