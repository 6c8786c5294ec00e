package io.chaintrace.core.trace;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.UtxoTransaction;
import java.util.List;
import java.util.Optional;

/**
 * What the tracer reads of a UTXO chain. Implemented by the store in the {@code graph} module;
 * core itself does no I/O.
 */
public interface UtxoLedger {
    /** A stored transaction, with its inputs resolved as far as the store could. */
    Optional<UtxoTransaction> transaction(Hash256 txid);

    /** The transaction that spent an output, if one is stored. */
    Optional<Spend> spenderOf(Outpoint outpoint);

    /**
     * Whether the ledger knows if this output was spent: true for whole blocks (no spender stored means
     * unspent), false for an output of a fetched transaction whose spending the source was never asked.
     */
    default boolean spendKnown(Outpoint outpoint) {
        return true;
    }

    /** Transactions that pay or spend from an address, in chain order (height, then position). */
    List<Hash256> transactionsOf(Address address);

    /** Labels attached to an address; empty when none. */
    List<Label> labelsOf(Address address);

    /** A spend: the output {@code spent} is input {@code inputIndex} of {@code spendingTx}. */
    record Spend(Outpoint spent, Hash256 spendingTx, int inputIndex) {
    }
}
