package io.chaintrace.core.cluster;

import java.util.OptionalInt;

/**
 * Round payment: of two outputs, exactly one is a round amount (a multiple of {@code roundTo}
 * sat, 10^5 by default): that is the payment, the other the change.
 */
public record RoundPayment(long roundTo) implements ChangeHeuristic {
    public static final RoundPayment DEFAULT = new RoundPayment(100_000);

    @Override
    public String name() {
        return "round_payment";
    }

    @Override
    public OptionalInt change(ClusterTx tx) {
        if (tx.outputs() != 2) {
            return OptionalInt.empty();
        }
        boolean r0 = tx.outValue()[0] % roundTo == 0;
        boolean r1 = tx.outValue()[1] % roundTo == 0;
        return r0 == r1 ? OptionalInt.empty() : OptionalInt.of(r0 ? 1 : 0);
    }
}
