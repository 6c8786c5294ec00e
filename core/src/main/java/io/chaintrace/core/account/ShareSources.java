package io.chaintrace.core.account;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Haircut by source: every payment takes from each source in proportion to what the pool holds
 * of it, rounded by largest remainder so the pieces sum to the payment exactly.
 */
final class ShareSources implements SourcePool {
    private final Map<Integer, BigInteger> held = new LinkedHashMap<>();
    private BigInteger balance = BigInteger.ZERO;

    @Override
    public void receive(int source, BigInteger amount) {
        if (amount.signum() > 0) {
            held.merge(source, amount, BigInteger::add);
            balance = balance.add(amount);
        }
    }

    @Override
    public List<Piece> pay(BigInteger amount) {
        List<Piece> pieces = new ArrayList<>();
        BigInteger covered = amount.min(balance);
        if (covered.signum() > 0) {
            List<Integer> sources = new ArrayList<>(held.keySet());
            BigInteger[] weights = sources.stream().map(held::get).toArray(BigInteger[]::new);
            BigInteger[] shares = split(covered, weights);
            for (int i = 0; i < sources.size(); i++) {
                if (shares[i].signum() > 0) {
                    pieces.add(new Piece(sources.get(i), BigInteger.ZERO, BigInteger.ZERO, shares[i]));
                    BigInteger left = held.get(sources.get(i)).subtract(shares[i]);
                    if (left.signum() == 0) {
                        held.remove(sources.get(i));
                    } else {
                        held.put(sources.get(i), left);
                    }
                }
            }
            balance = balance.subtract(covered);
        }
        if (covered.compareTo(amount) < 0) {
            pieces.add(new Piece(Piece.UNKNOWN, BigInteger.ZERO, BigInteger.ZERO, amount.subtract(covered)));
        }
        return pieces;
    }

    /** {@code total} in proportion to {@code weights}, largest remainder first (ties to the earlier), summing exactly. */
    static BigInteger[] split(BigInteger total, BigInteger[] weights) {
        BigInteger sum = BigInteger.ZERO;
        for (BigInteger w : weights) {
            sum = sum.add(w);
        }
        BigInteger[] shares = new BigInteger[weights.length];
        BigInteger[] remainders = new BigInteger[weights.length];
        BigInteger given = BigInteger.ZERO;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = total.multiply(weights[i]).divideAndRemainder(sum.signum() == 0 ? BigInteger.ONE : sum);
            shares[i] = qr[0];
            remainders[i] = qr[1];
            given = given.add(qr[0]);
        }
        BigInteger left = total.subtract(given);
        while (left.signum() > 0) {
            int best = 0;
            for (int i = 1; i < weights.length; i++) {
                if (remainders[i].compareTo(remainders[best]) > 0) {
                    best = i;
                }
            }
            shares[best] = shares[best].add(BigInteger.ONE);
            remainders[best] = BigInteger.valueOf(-1);
            left = left.subtract(BigInteger.ONE);
        }
        return shares;
    }
}
