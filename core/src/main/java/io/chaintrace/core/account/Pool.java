package io.chaintrace.core.account;

import io.chaintrace.core.trace.FifoPolicy;
import io.chaintrace.core.trace.HaircutPolicy;
import io.chaintrace.core.trace.LifoPolicy;
import io.chaintrace.core.trace.PoisonPolicy;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TihoPolicy;
import java.math.BigInteger;
import java.util.List;

/**
 * An address's holdings of one asset as a taint policy sees them (docs/POLICIES.md, account
 * model): each inflow adds (amount, taint); each outflow takes from the pool by the policy's rule.
 * What the pool cannot cover (value the trace never saw arrive: balances from before the chain
 * data, block rewards) is paid clean.
 */
public interface Pool {
    /** A fresh pool under {@code policy}: the account-model form of each policy. */
    static Pool of(TaintPolicy policy) {
        return switch (policy) {
            case PoisonPolicy p -> new PoisonPool();
            case HaircutPolicy p -> new HaircutPool();
            case FifoPolicy p -> LotPool.fifo();
            case LifoPolicy p -> LotPool.lifo();
            case TihoPolicy p -> new TaintFirstPool();
        };
    }

    /** Value arrives; {@code taint <= amount}; {@code hop} is how far that taint is from the seed. */
    void receive(BigInteger amount, BigInteger taint, int hop);

    /**
     * Value arrives as another traced pool paid it. Pools that keep value in order (FIFO, LIFO)
     * take the payment's segments in the order they were paid, so a taint keeps its place inside
     * the value; the others only need the amounts.
     */
    default void receive(BigInteger amount, Payment paid, BigInteger taint, int hop) {
        receive(amount, taint, hop);
    }

    /** Value leaves in one transfer. */
    Payment pay(BigInteger amount);

    /** What the pool holds, and how much of it is tainted. */
    BigInteger balance();

    BigInteger taint();

    /**
     * The tainted part of a payment, and the smallest hop of that taint (-1 when clean); pools that
     * keep value in order also give the payment's segments in order (else empty).
     */
    record Payment(BigInteger taint, int hop, List<Segment> segments) {
        public static final Payment CLEAN = new Payment(BigInteger.ZERO, -1);

        public Payment(BigInteger taint, int hop) {
            this(taint, hop, List.of());
        }
    }

    /** A run of a payment's value: its amount, whether tainted, the hop of its taint. */
    record Segment(BigInteger amount, boolean tainted, int hop) {
    }
}
