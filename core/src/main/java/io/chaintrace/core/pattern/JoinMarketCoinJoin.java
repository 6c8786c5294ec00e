package io.chaintrace.core.pattern;

import io.chaintrace.core.model.UtxoTransaction;
import java.util.Map;
import java.util.Optional;

/**
 * JoinMarket: at least 3 equal outputs and at least one change output (of another value), the
 * equal outputs no more than the distinct input addresses (each participant brings its own coins;
 * a payroll from one wallet does not qualify). The equal value is not a round amount (a multiple
 * of {@code roundTo} sat): JoinMarket amounts are the taker's choice to the satoshi, while round
 * equal outputs are batch payments.
 */
public record JoinMarketCoinJoin(int minEqualOutputs, long dust, long roundTo) implements TransactionPattern {
    public static final JoinMarketCoinJoin DEFAULT = new JoinMarketCoinJoin(3, 546, 10_000);

    @Override
    public String name() {
        return "coinjoin.joinmarket";
    }

    @Override
    public Optional<Alert> match(UtxoTransaction tx) {
        return match(TxShape.of(tx));
    }

    Optional<Alert> match(TxShape s) {
        if (s.tx().coinbase() || s.commonCount() < minEqualOutputs || s.commonValue() <= dust || s.outputs() == s.commonCount()
                || s.commonCount() > s.distinctInputOwners() || s.commonValue() % roundTo == 0) {
            return Optional.empty();
        }
        return CoinJoinAlerts.alert(name(), s, 0.8, Map.of("minEqualOutputs", Integer.toString(minEqualOutputs), "dust", Long.toString(dust),
                "roundTo", Long.toString(roundTo)));
    }
}
