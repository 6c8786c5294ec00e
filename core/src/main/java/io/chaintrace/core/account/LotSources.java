package io.chaintrace.core.account;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** FIFO or LIFO by source: lots in arrival order, paid from the oldest (FIFO) or newest (LIFO) end. */
final class LotSources implements SourcePool {
    private final boolean newestFirst;
    private final Deque<Lot> lots = new ArrayDeque<>();

    private static final class Lot {
        final int source;
        BigInteger offset;
        BigInteger amount;

        Lot(int source, BigInteger amount) {
            this.source = source;
            this.offset = BigInteger.ZERO;
            this.amount = amount;
        }
    }

    LotSources(boolean newestFirst) {
        this.newestFirst = newestFirst;
    }

    @Override
    public void receive(int source, BigInteger amount) {
        if (amount.signum() > 0) {
            lots.addLast(new Lot(source, amount));
        }
    }

    @Override
    public List<Piece> pay(BigInteger amount) {
        List<Piece> pieces = new ArrayList<>();
        BigInteger paid = BigInteger.ZERO;
        while (paid.compareTo(amount) < 0 && !lots.isEmpty()) {
            Lot lot = newestFirst ? lots.peekLast() : lots.peekFirst();
            BigInteger take = lot.amount.min(amount.subtract(paid));
            // LIFO takes the newest value of the newest lot first too: the lot's tail.
            BigInteger from = newestFirst ? lot.offset.add(lot.amount).subtract(take) : lot.offset;
            pieces.add(new Piece(lot.source, from, paid, take));
            paid = paid.add(take);
            lot.amount = lot.amount.subtract(take);
            if (!newestFirst) {
                lot.offset = lot.offset.add(take);
            }
            if (lot.amount.signum() == 0) {
                if (newestFirst) {
                    lots.pollLast();
                } else {
                    lots.pollFirst();
                }
            }
        }
        if (paid.compareTo(amount) < 0) {
            pieces.add(new Piece(Piece.UNKNOWN, BigInteger.ZERO, paid, amount.subtract(paid)));
        }
        return pieces;
    }
}
