package io.chaintrace.core.model;

/** The ledgers Chaintrace follows value on. */
public enum Chain {
    /** UTXO model: value moves from outpoints to outputs. */
    BITCOIN,
    /** Account model: value moves between addresses as native, internal and token transfers. */
    ETHEREUM
}
