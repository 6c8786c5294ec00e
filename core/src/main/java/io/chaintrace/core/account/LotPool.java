package io.chaintrace.core.account;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;

/**
 * FIFO and LIFO on an account: the pool is a queue of lots in arrival order, each clean or
 * tainted. A payment from another traced pool arrives as the segments it was paid in, in order,
 * so taint keeps its place in the value and FIFO can be followed back exactly; other inflows put
 * their tainted part first. Payments take whole lots from the front (FIFO, oldest first) or the
 * back (LIFO, newest first), splitting the last one.
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

    /** Segments in the order paid; what the sender's pool could not cover comes last, clean. */
    @Override
    public void receive(BigInteger amount, Payment paid, BigInteger t, int hop) {
        if (paid.segments().isEmpty() || !t.equals(paid.taint())) {
            receive(amount, t, hop); // the seed, or taint cut on the way: no order to keep
            return;
        }
        BigInteger placed = BigInteger.ZERO;
        for (Segment s : paid.segments()) {
            lots.addLast(new Lot(s.amount(), s.tainted(), s.tainted() ? s.hop() + 1 : -1));
            placed = placed.add(s.amount());
        }
        if (amount.compareTo(placed) > 0) {
            lots.addLast(new Lot(amount.subtract(placed), false, -1));
        }
        balance = balance.add(amount);
        taint = taint.add(t);
    }

    @Override
    public Payment pay(BigInteger amount) {
        BigInteger left = amount;
        BigInteger tainted = BigInteger.ZERO;
        int hop = Integer.MAX_VALUE;
        List<Segment> segments = new ArrayList<>();
        while (left.signum() > 0 && !lots.isEmpty()) {
            Lot lot = newestFirst ? lots.peekLast() : lots.peekFirst();
            BigInteger take = lot.amount.min(left);
            segments.add(new Segment(take, lot.tainted, lot.hop));
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
        return tainted.signum() == 0 ? Payment.CLEAN : new Payment(tainted, hop, segments);
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
