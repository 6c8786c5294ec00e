package io.chaintrace.core.pattern;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Alert building shared by the CoinJoin rules: the equal outputs are the evidence. */
final class CoinJoinAlerts {
    private CoinJoinAlerts() {
    }

    static Optional<Alert> alert(String pattern, TxShape s, double confidence, Map<String, String> parameters) {
        return Optional.of(new Alert(pattern, List.of(s.tx().txid()), s.commonOwners(), List.of(s.commonValue(), (long) s.commonCount()),
                List.of(s.tx().block().time()), confidence, parameters));
    }
}
