package io.chaintrace.core.pattern;

import io.chaintrace.core.model.UtxoTransaction;
import java.util.Map;
import java.util.Optional;

/**
 * Wasabi 1.x: at least 10 inputs; the most common output value lies within 5% of the 0.1 BTC
 * denomination and is paid to at least {@code minEqualOutputs} participants, at most one per
 * distinct input address.
 */
public record Wasabi1CoinJoin(int minInputs, long denomination, double tolerance, int minEqualOutputs) implements TransactionPattern {
    public static final Wasabi1CoinJoin DEFAULT = new Wasabi1CoinJoin(10, 10_000_000L, 0.05, 5);

    @Override
    public String name() {
        return "coinjoin.wasabi1";
    }

    @Override
    public Optional<Alert> match(UtxoTransaction tx) {
        return match(TxShape.of(tx));
    }

    Optional<Alert> match(TxShape s) {
        if (s.tx().coinbase() || s.inputs() < minInputs || s.commonCount() < minEqualOutputs || s.commonCount() > s.distinctInputOwners()
                || Math.abs(s.commonValue() - denomination) > tolerance * denomination) {
            return Optional.empty();
        }
        return CoinJoinAlerts.alert(name(), s, 0.9, Map.of("minInputs", Integer.toString(minInputs), "denomination", Long.toString(denomination),
                "tolerance", Double.toString(tolerance), "minEqualOutputs", Integer.toString(minEqualOutputs)));
    }
}
