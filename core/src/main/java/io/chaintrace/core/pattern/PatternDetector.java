package io.chaintrace.core.pattern;

import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.function.Consumer;

/**
 * A laundering pattern detector. Transactions (Bitcoin) or transfers (account chains) are fed in
 * chain order; a detector may look around in the ledger (where outputs went, labels) and keep
 * state across transactions (a time window), and reports alerts as it finds them and at the end.
 */
public interface PatternDetector {
    /** The pattern's name in alerts. */
    String name();

    /** A Bitcoin transaction, in chain order (detectors for account chains ignore it). */
    default void accept(UtxoTransaction tx, UtxoLedger ledger, Consumer<Alert> alerts) {
    }

    /** An account-chain transfer, in chain order (block, transaction, kind, index); UTXO detectors ignore it. */
    default void accept(io.chaintrace.core.model.AccountTransfer transfer, io.chaintrace.core.account.AccountLedger ledger, Consumer<Alert> alerts) {
    }

    /** Called after the last transaction: alerts still pending in a window. */
    default void finish(Consumer<Alert> alerts) {
    }
}
