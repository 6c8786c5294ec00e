package io.chaintrace.core.pattern;

import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whirlpool (Samourai): 5 to 8 inputs from distinct addresses, as many outputs, every output one
 * pool denomination (100k, 1M, 5M or 50M sat).
 */
public record WhirlpoolCoinJoin(List<Long> denominations, int minInputs, int maxInputs) implements TransactionPattern {
    public static final WhirlpoolCoinJoin DEFAULT = new WhirlpoolCoinJoin(List.of(100_000L, 1_000_000L, 5_000_000L, 50_000_000L), 5, 8);

    @Override
    public String name() {
        return "coinjoin.whirlpool";
    }

    @Override
    public Optional<Alert> match(UtxoTransaction tx) {
        return match(TxShape.of(tx));
    }

    Optional<Alert> match(TxShape s) {
        if (s.tx().coinbase() || s.inputs() < minInputs || s.inputs() > maxInputs || s.outputs() != s.inputs()
                || s.distinctInputOwners() != s.inputs() || !denominations.contains(s.commonValue())) {
            return Optional.empty();
        }
        for (TxOutput o : s.tx().outputs()) {
            if (o.value() != s.commonValue()) {
                return Optional.empty();
            }
        }
        return CoinJoinAlerts.alert(name(), s, 0.95, Map.of("inputs", minInputs + "-" + maxInputs, "denominations", denominations.toString()));
    }
}
