package io.chaintrace.core.model;

import java.util.Optional;

/**
 * One input of a UTXO transaction: the outpoint it spends and, when {@link InputStatus#RESOLVED},
 * the value (satoshi) and owner of that outpoint. {@code value} is 0 unless resolved.
 */
public record TxInput(Outpoint prevout, InputStatus status, long value, Optional<Address> owner) {
    public TxInput {
        if (status != InputStatus.RESOLVED && (value != 0 || owner.isPresent())) {
            throw new IllegalArgumentException("only a resolved input has a value and owner");
        }
        if (value < 0) {
            throw new IllegalArgumentException("negative input value " + value);
        }
    }

    public boolean resolved() {
        return status == InputStatus.RESOLVED;
    }
}
