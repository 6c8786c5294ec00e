package io.chaintrace.core.account;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * FIFO and LIFO on an account: the pool is a queue of lots in arrival order, each clean or
 * tainted; within one inflow its tainted part counts as arriving first. Payments take whole lots
 * from the front (FIFO, oldest first) or the back (LIFO, newest first), splitting the last one.
 */
public class LotPool implements Pool {
    private final boolean newestFirst;
    private final Deque<Lot> lots = new ArrayDeque<>();
    private BigInteger balance = BigInteger.ZERO;
    private BigInteger taint = BigInteger.ZERO;

    /** A lot: amount, tainted or not, and the hop of its taint. */
    private static final class Lot {
        BigInteger amount;
        final boolean tainted;
        final int hop;

        Lot(BigInteger amount, boolean tainted, int hop) {
            this.amount = amount;
            this.tainted = tainted;
            this.hop = hop;
        }
    }

    protected LotPool(boolean newestFirst) {
        this.newestFirst = newestFirst;
    }

    /** First in, first out. */
    public static LotPool fifo() {
        return new LotPool(false);
    }

    /** Last in, first out. */
    public static LotPool lifo() {
        return new LotPool(true);
    }

    @Override
    public void receive(BigInteger amount, BigInteger t, int hop) {
        if (t.signum() > 0) {
            lots.addLast(new Lot(t, true, hop));
        }
        BigInteger clean = amount.subtract(t);
        if (clean.signum() > 0) {
            lots.addLast(new Lot(clean, false, -1));
        }
        balance = balance.add(amount);
        taint = taint.add(t);
    }

    @Override
    public Payment pay(BigInteger amount) {
        BigInteger left = amount;
        BigInteger tainted = BigInteger.ZERO;
        int hop = Integer.MAX_VALUE;
        while (left.signum() > 0 && !lots.isEmpty()) {
            Lot lot = newestFirst ? lots.peekLast() : lots.peekFirst();
            BigInteger take = lot.amount.min(left);
            if (lot.tainted) {
                tainted = tainted.add(take);
                hop = Math.min(hop, lot.hop);
            }
            lot.amount = lot.amount.subtract(take);
            left = left.subtract(take);
            if (lot.amount.signum() == 0) {
                if (newestFirst) {
                    lots.pollLast();
                } else {
                    lots.pollFirst();
                }
            }
        }
        balance = balance.subtract(amount.subtract(left));
        taint = taint.subtract(tainted);
        return tainted.signum() == 0 ? Payment.CLEAN : new Payment(tainted, hop);
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
