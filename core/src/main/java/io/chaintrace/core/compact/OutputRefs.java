package io.chaintrace.core.compact;

/** Outputs as (transaction id, output index) pairs: how a trace's seeds are given to {@link CompactTracer}. */
public record OutputRefs(int[] tx, int[] vout) {
    public OutputRefs {
        if (tx.length != vout.length) {
            throw new IllegalArgumentException("tx and vout differ in length");
        }
    }
}
