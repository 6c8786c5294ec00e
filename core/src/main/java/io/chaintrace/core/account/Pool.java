package io.chaintrace.core.account;

import java.math.BigInteger;

/**
 * An address's holdings of one asset as a taint policy sees them (DOMAIN.md section 4, account
 * model): each inflow adds (amount, taint); each outflow takes from the pool by the policy's rule.
 * What the pool cannot cover (value the trace never saw arrive: balances from before the chain
 * data, block rewards) is paid clean.
 */
public interface Pool {
    /** Value arrives; {@code taint <= amount}; {@code hop} is how far that taint is from the seed. */
    void receive(BigInteger amount, BigInteger taint, int hop);

    /** Value leaves in one transfer. */
    Payment pay(BigInteger amount);

    /** What the pool holds, and how much of it is tainted. */
    BigInteger balance();

    BigInteger taint();

    /** The tainted part of a payment, and the smallest hop of that taint (-1 when clean). */
    record Payment(BigInteger taint, int hop) {
        public static final Payment CLEAN = new Payment(BigInteger.ZERO, -1);
    }
}
