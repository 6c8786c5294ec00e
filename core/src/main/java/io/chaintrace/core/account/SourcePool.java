package io.chaintrace.core.account;

import java.math.BigInteger;
import java.util.List;

/**
 * An address's holdings of one asset for a backward trace: every inflow is its own source, and
 * each payment says which sources paid it, and which part of each. The forward {@link Pool}
 * follows one colour (taint); this one follows every inflow, so a payment can be traced to where
 * its value came from.
 */
interface SourcePool {
    /** Inflow number {@code source} arrives. */
    void receive(int source, BigInteger amount);

    /** A payment leaves; the pieces cover it in payment order ({@link Piece#UNKNOWN} source where the pool ran dry). */
    List<Piece> pay(BigInteger amount);

    /**
     * Part of a payment: {@code amount} from {@code source} starting at {@code sourceOffset} within
     * that inflow, at {@code paymentOffset} within the payment.
     */
    record Piece(int source, BigInteger sourceOffset, BigInteger paymentOffset, BigInteger amount) {
        static final int UNKNOWN = -1;
    }
}
