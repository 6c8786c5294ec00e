package io.chaintrace.core.pattern;

import io.chaintrace.core.model.UtxoTransaction;
import java.util.List;
import java.util.Optional;

/**
 * Names a transaction's CoinJoin wallet, most specific rule first: Whirlpool, Wasabi 2.0,
 * Wasabi 1.x, JoinMarket, then the generic rule. A JoinMarket-shaped transaction (3 or more
 * equal outputs with change) also satisfies the generic rule; it is reported once, as JoinMarket.
 */
public final class CoinJoinClassifier implements TransactionPattern, PatternDetector {
    private final List<TransactionPattern> rules;

    public CoinJoinClassifier(List<TransactionPattern> rules) {
        this.rules = List.copyOf(rules);
    }

    private static final CoinJoinClassifier STANDARD = new CoinJoinClassifier(List.of(WhirlpoolCoinJoin.DEFAULT, Wasabi2CoinJoin.DEFAULT,
            Wasabi1CoinJoin.DEFAULT, JoinMarketCoinJoin.DEFAULT, GenericCoinJoin.DEFAULT));

    /** The default rules, shared (the rules hold no state; the memo is per thread). */
    public static CoinJoinClassifier standard() {
        return STANDARD;
    }

    @Override
    public String name() {
        return "coinjoin";
    }

    @Override
    public void accept(UtxoTransaction tx, io.chaintrace.core.trace.UtxoLedger ledger, java.util.function.Consumer<Alert> alerts) {
        match(tx).ifPresent(alerts);
    }

    /**
     * Whether the standard rules could match a transaction of these inputs and output values: each needs two inputs or
     * more and two outputs or more of one positive value (Whirlpool's equal outputs, Wasabi's repeated values,
     * JoinMarket's and the generic rule's common value). A necessary condition only: clustering from the compact rows
     * reads a transaction whole, to classify it, only when it holds.
     */
    public static boolean couldMatch(int inputs, long[] outValues) {
        if (inputs < 2 || outValues.length < 2) {
            return false;
        }
        long[] v = outValues.clone();
        java.util.Arrays.sort(v);
        for (int k = 1; k < v.length; k++) {
            if (v[k] > 0 && v[k] == v[k - 1]) {
                return true;
            }
        }
        return false;
    }

    /** The last transaction classified on this thread and its result: several detectors ask about the same one in turn. */
    private final ThreadLocal<Object[]> last = ThreadLocal.withInitial(() -> new Object[2]);

    @Override
    public Optional<Alert> match(UtxoTransaction tx) {
        Object[] memo = last.get();
        if (memo[0] == tx) {
            @SuppressWarnings("unchecked")
            Optional<Alert> same = (Optional<Alert>) memo[1];
            return same;
        }
        Optional<Alert> result = classify(tx);
        memo[0] = tx;
        memo[1] = result;
        return result;
    }

    private Optional<Alert> classify(UtxoTransaction tx) {
        for (TransactionPattern r : rules) {
            Optional<Alert> a = r.match(tx);
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }
}
