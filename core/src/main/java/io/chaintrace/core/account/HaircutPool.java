package io.chaintrace.core.account;

import java.math.BigInteger;

/**
 * Haircut on an account: every payment carries the pool's tainted share,
 * {@code floor(taint x amount / balance)}; the pool keeps the rest, so taint is conserved
 * exactly and the last payment that empties the pool takes what is left.
 */
public final class HaircutPool implements Pool {
    private BigInteger balance = BigInteger.ZERO;
    private BigInteger taint = BigInteger.ZERO;
    private int hop = Integer.MAX_VALUE;

    @Override
    public void receive(BigInteger amount, BigInteger t, int h) {
        balance = balance.add(amount);
        taint = taint.add(t);
        if (t.signum() > 0) {
            hop = Math.min(hop, h);
        }
    }

    @Override
    public Payment pay(BigInteger amount) {
        BigInteger covered = amount.min(balance);
        if (covered.signum() == 0 || taint.signum() == 0) {
            balance = balance.subtract(covered);
            return Payment.CLEAN;
        }
        BigInteger share = covered.equals(balance) ? taint : taint.multiply(covered).divide(balance);
        balance = balance.subtract(covered);
        taint = taint.subtract(share);
        return share.signum() == 0 ? Payment.CLEAN : new Payment(share, hop);
    }

    @Override
    public BigInteger balance() {
        return balance;
    }

    @Override
    public BigInteger taint() {
        return taint;
    }
}
