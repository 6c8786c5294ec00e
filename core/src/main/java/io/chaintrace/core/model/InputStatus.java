package io.chaintrace.core.model;

/** Whether the value and owner of an input are known. */
public enum InputStatus {
    /** New coins: the block subsidy and fees; no previous output. */
    COINBASE,
    /** The funding transaction is in the store: value and owner are exact. */
    RESOLVED,
    /** The funding transaction is not in the store: value and owner are unknown, never guessed. */
    UNRESOLVED
}
