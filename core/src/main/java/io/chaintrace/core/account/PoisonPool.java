package io.chaintrace.core.account;

import java.math.BigInteger;

/** Poison on an account: once any taint arrived, every later payment is tainted in full. Not conserving. */
public final class PoisonPool implements Pool {
    private BigInteger balance = BigInteger.ZERO;
    private BigInteger taint = BigInteger.ZERO;
    private int hop = -1;

    @Override
    public void receive(BigInteger amount, BigInteger t, int h) {
        balance = balance.add(amount);
        if (t.signum() > 0) {
            taint = taint.add(t);
            hop = hop < 0 ? h : Math.min(hop, h);
        }
    }

    @Override
    public Payment pay(BigInteger amount) {
        balance = balance.subtract(amount.min(balance));
        return hop < 0 ? Payment.CLEAN : new Payment(amount, hop);
    }

    @Override
    public BigInteger balance() {
        return balance;
    }

    @Override
    public BigInteger taint() {
        return hop < 0 ? BigInteger.ZERO : balance;
    }
}
