package io.chaintrace.core.pattern;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Alert building shared by the CoinJoin rules: the equal outputs are the evidence. */
final class CoinJoinAlerts {
    private CoinJoinAlerts() {
    }

    /** Evidence: the equal outputs' owners; amounts: the equal value and how many times it is paid. */
    static Optional<Alert> alert(String pattern, TxShape s, double confidence, Map<String, String> parameters) {
        Map<String, String> p = new java.util.TreeMap<>(parameters);
        if (s.unresolvedInputs() > 0) {
            // Input owners counted by funding transaction: an upper bound, so less sure.
            p.put("unresolvedInputs", Integer.toString(s.unresolvedInputs()));
            confidence *= 0.8;
        }
        return Optional.of(Alert.of(pattern, List.of(s.tx().txid()), s.commonOwners(), List.of(s.commonValue(), (long) s.commonCount()),
                List.of(s.tx().block().time()), confidence, p));
    }
}
