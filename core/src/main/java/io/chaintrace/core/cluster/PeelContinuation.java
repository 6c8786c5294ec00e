package io.chaintrace.core.cluster;

import java.util.OptionalInt;

/**
 * Peel continuation: in a peel step whose large remainder is spent by the next peel step, the
 * remainder is the change (docs/PATTERNS.md). The caller says whether the chain continues.
 */
public final class PeelContinuation implements ChangeHeuristic {
    @Override
    public String name() {
        return "peel_continuation";
    }

    @Override
    public OptionalInt change(ClusterTx tx) {
        if (!tx.peelContinues() || tx.outputs() != 2) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(tx.outValue()[0] >= tx.outValue()[1] ? 0 : 1);
    }
}
