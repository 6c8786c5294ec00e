package io.chaintrace.core.pattern;

import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.function.Consumer;

/**
 * A laundering pattern detector. Transactions are fed in chain order; a detector may look around
 * a transaction in the ledger (where its outputs went) and keep state across transactions (a time
 * window), and reports alerts as it finds them and at the end.
 */
public interface PatternDetector {
    /** The pattern's name in alerts. */
    String name();

    void accept(UtxoTransaction tx, UtxoLedger ledger, Consumer<Alert> alerts);

    /** Called after the last transaction: alerts still pending in a window. */
    default void finish(Consumer<Alert> alerts) {
    }
}
