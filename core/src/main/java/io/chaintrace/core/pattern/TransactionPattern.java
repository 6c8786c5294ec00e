package io.chaintrace.core.pattern;

import io.chaintrace.core.model.UtxoTransaction;
import java.util.Optional;

/** A rule that judges one transaction on its own (the CoinJoin family). */
public interface TransactionPattern {
    /** The pattern's name in alerts, e.g. {@code coinjoin.whirlpool}. */
    String name();

    Optional<Alert> match(UtxoTransaction tx);
}
