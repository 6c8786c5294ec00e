package io.chaintrace.core.cluster;

import java.util.OptionalInt;

/**
 * Optimal change: exactly one output is smaller than every input (a wallet would not have spent
 * an input it did not need): that output is the change.
 */
public final class OptimalChange implements ChangeHeuristic {
    @Override
    public String name() {
        return "optimal_change";
    }

    @Override
    public OptionalInt change(ClusterTx tx) {
        if (tx.outputs() < 2 || tx.inputs() == 0) {
            return OptionalInt.empty();
        }
        long smallestIn = Long.MAX_VALUE;
        for (int i = 0; i < tx.inputs(); i++) {
            if (tx.inOwner()[i] < 0) {
                return OptionalInt.empty();
            }
            smallestIn = Math.min(smallestIn, tx.inValue()[i]);
        }
        int found = -1;
        for (int o = 0; o < tx.outputs(); o++) {
            if (tx.outValue()[o] < smallestIn) {
                if (found >= 0) {
                    return OptionalInt.empty();
                }
                found = o;
            }
        }
        return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
    }
}
