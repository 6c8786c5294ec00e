package io.chaintrace.core.model;

/** How value moved between two accounts. */
public enum TransferKind {
    /** The top-level value of a transaction. */
    NATIVE,
    /** A CALL/CREATE/SELFDESTRUCT frame with value inside execution. */
    INTERNAL,
    /** An ERC-20 Transfer log. */
    TOKEN
}
