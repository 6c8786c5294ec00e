package io.chaintrace.core.pattern;

import io.chaintrace.core.model.UtxoTransaction;
import java.util.Map;
import java.util.Optional;

/**
 * The generic CoinJoin rule (docs/PATTERNS.md): at least 2 inputs and 3 outputs; with
 * p = (outputs + 1) / 2 participants, p is at most the number of distinct input addresses and the
 * most common output value occurs exactly p times, above dust.
 */
public record GenericCoinJoin(long dust) implements TransactionPattern {
    /** Dust at 10,000 sat: pairs of 546-600 sat outputs are Omni and Counterparty reference outputs, not mixing. */
    public static final GenericCoinJoin DEFAULT = new GenericCoinJoin(10_000);

    @Override
    public String name() {
        return "coinjoin.generic";
    }

    @Override
    public Optional<Alert> match(UtxoTransaction tx) {
        return match(TxShape.of(tx));
    }

    Optional<Alert> match(TxShape s) {
        if (s.tx().coinbase() || s.inputs() < 2 || s.outputs() < 3) {
            return Optional.empty();
        }
        int p = (s.outputs() + 1) / 2;
        if (p > s.distinctInputOwners() || s.commonCount() != p || s.commonValue() <= dust) {
            return Optional.empty();
        }
        return CoinJoinAlerts.alert(name(), s, 0.7, Map.of("minInputs", "2", "minOutputs", "3", "dust", Long.toString(dust)));
    }
}
