package io.chaintrace.core.cluster;

import java.util.OptionalInt;

/**
 * One-time change: exactly one output goes to an address never seen before, of the inputs'
 * script type, while every other output goes to an address seen before.
 */
public final class OneTimeChange implements ChangeHeuristic {
    @Override
    public String name() {
        return "one_time_change";
    }

    @Override
    public OptionalInt change(ClusterTx tx) {
        var kind = tx.inputKind();
        if (kind == null || tx.outputs() < 2) {
            return OptionalInt.empty();
        }
        int found = -1;
        for (int o = 0; o < tx.outputs(); o++) {
            if (tx.outOwner()[o] < 0) {
                return OptionalInt.empty();
            }
            if (tx.outFresh()[o]) {
                if (found >= 0 || tx.outKind()[o] != kind) {
                    return OptionalInt.empty();
                }
                found = o;
            }
        }
        return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
    }
}
