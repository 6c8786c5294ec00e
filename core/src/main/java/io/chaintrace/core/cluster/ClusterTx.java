package io.chaintrace.core.cluster;

import io.chaintrace.core.model.ScriptKind;

/**
 * A transaction as clustering sees it: per input its owner id, script kind and value; per
 * output the same, and whether its owner appears here for the first time. Owner -1: none
 * (unresolved input, output without an address).
 */
public record ClusterTx(int[] inOwner, ScriptKind[] inKind, long[] inValue, int[] outOwner, ScriptKind[] outKind, long[] outValue,
                        boolean[] outFresh, boolean coinjoin, boolean peelContinues) {
    public int inputs() {
        return inOwner.length;
    }

    public int outputs() {
        return outOwner.length;
    }

    /** The script kind every input shares, or null when they differ or one is unknown. */
    ScriptKind inputKind() {
        ScriptKind k = null;
        for (int i = 0; i < inKind.length; i++) {
            if (inOwner[i] < 0 || inKind[i] == null || k != null && k != inKind[i]) {
                return null;
            }
            k = inKind[i];
        }
        return k;
    }
}
