package io.chaintrace.core.account;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * TIHO on an account. An account has no transaction with several outputs to rank, so the rule's
 * account reading is used: tainted value leaves first, in every payment, the strongest assumption
 * that the thief moves stolen funds before their own (tainted lots oldest first among themselves).
 */
public final class TaintFirstPool implements Pool {
    private final Deque<BigInteger[]> tainted = new ArrayDeque<>(); // {amount, hop}
    private BigInteger clean = BigInteger.ZERO;
    private BigInteger taint = BigInteger.ZERO;

    @Override
    public void receive(BigInteger amount, BigInteger t, int hop) {
        if (t.signum() > 0) {
            tainted.addLast(new BigInteger[] {t, BigInteger.valueOf(hop)});
            taint = taint.add(t);
        }
        clean = clean.add(amount.subtract(t));
    }

    @Override
    public Payment pay(BigInteger amount) {
        BigInteger left = amount;
        BigInteger out = BigInteger.ZERO;
        int hop = Integer.MAX_VALUE;
        while (left.signum() > 0 && !tainted.isEmpty()) {
            BigInteger[] lot = tainted.peekFirst();
            BigInteger take = lot[0].min(left);
            out = out.add(take);
            hop = Math.min(hop, lot[1].intValueExact());
            lot[0] = lot[0].subtract(take);
            left = left.subtract(take);
            if (lot[0].signum() == 0) {
                tainted.pollFirst();
            }
        }
        clean = clean.subtract(left.min(clean));
        taint = taint.subtract(out);
        return out.signum() == 0 ? Payment.CLEAN : new Payment(out, hop);
    }

    @Override
    public BigInteger balance() {
        return clean.add(taint);
    }

    @Override
    public BigInteger taint() {
        return taint;
    }
}
