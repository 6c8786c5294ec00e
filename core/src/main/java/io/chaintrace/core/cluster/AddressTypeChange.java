package io.chaintrace.core.cluster;

import java.util.OptionalInt;

/** Address type: exactly one output is of the inputs' script type: that one is the change. */
public final class AddressTypeChange implements ChangeHeuristic {
    @Override
    public String name() {
        return "address_type";
    }

    @Override
    public OptionalInt change(ClusterTx tx) {
        var kind = tx.inputKind();
        if (kind == null || tx.outputs() < 2) {
            return OptionalInt.empty();
        }
        int found = -1;
        for (int o = 0; o < tx.outputs(); o++) {
            if (tx.outKind()[o] == kind) {
                if (found >= 0) {
                    return OptionalInt.empty();
                }
                found = o;
            }
        }
        return found < 0 ? OptionalInt.empty() : OptionalInt.of(found);
    }
}
