package io.chaintrace.core.pattern;

import io.chaintrace.core.model.UtxoTransaction;
import java.util.Map;
import java.util.Optional;

/**
 * Wasabi 2.0 (WabiSabi): at least 20 inputs, at least 3 output values each repeated, and every
 * output script distinct.
 */
public record Wasabi2CoinJoin(int minInputs, int minRepeatedValues) implements TransactionPattern {
    public static final Wasabi2CoinJoin DEFAULT = new Wasabi2CoinJoin(20, 3);

    @Override
    public String name() {
        return "coinjoin.wasabi2";
    }

    @Override
    public Optional<Alert> match(UtxoTransaction tx) {
        return match(TxShape.of(tx));
    }

    Optional<Alert> match(TxShape s) {
        if (s.tx().coinbase() || s.inputs() < minInputs || s.distinctOutputOwners() != s.outputs() || s.distinctInputOwners() < 2) {
            return Optional.empty();
        }
        long repeated = s.valueCounts().values().stream().filter(c -> c >= 2).count();
        if (repeated < minRepeatedValues) {
            return Optional.empty();
        }
        return CoinJoinAlerts.alert(name(), s, 0.9, Map.of("minInputs", Integer.toString(minInputs), "minRepeatedValues",
                Integer.toString(minRepeatedValues)));
    }
}
