package io.chaintrace.core.model;

/**
 * What kind of locking script an output has, or what kind of owner an address is. Only the
 * first five have a standard address encoding (Base58Check or bech32/bech32m).
 */
public enum ScriptKind {
    P2PKH(true),
    P2SH(true),
    P2WPKH(true),
    P2WSH(true),
    /** Taproot, witness v1, bech32m. */
    P2TR(true),
    /** Pay to a bare public key: owned, but keyed by the key itself (no address of its own). */
    P2PK(false),
    /** Bare m-of-n multisig: keyed by the script's hash. */
    MULTISIG(false),
    /** Witness versions 2-16 not yet defined: keyed by the script's hash. */
    WITNESS_UNKNOWN(false),
    /** Anything else: keyed by the script's hash. */
    NONSTANDARD(false),
    /** Provably unspendable data carrier: no owner. */
    OP_RETURN(false),
    /** An Ethereum account (EOA or contract). */
    ACCOUNT(true);

    private final boolean standardAddress;

    ScriptKind(boolean standardAddress) {
        this.standardAddress = standardAddress;
    }

    /** Whether owners of this kind have a standard address encoding. */
    public boolean hasStandardAddress() {
        return standardAddress;
    }
}
