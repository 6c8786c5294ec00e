package io.chaintrace.core.model;

import java.util.Optional;

/** One output of a UTXO transaction: value in satoshi, script kind and owner (none for OP_RETURN). */
public record TxOutput(int index, long value, ScriptKind kind, Optional<Address> owner) {
    public TxOutput {
        if (value < 0) {
            throw new IllegalArgumentException("negative output value " + value);
        }
    }
}
