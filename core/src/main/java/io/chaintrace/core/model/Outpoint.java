package io.chaintrace.core.model;

/** A Bitcoin transaction output named by its transaction id and index: {@code txid:vout}. */
public record Outpoint(Hash256 txid, int vout) {
    /** The outpoint a coinbase input names: no previous output. */
    public static final Outpoint COINBASE = new Outpoint(Hash256.ZERO, -1);

    public Outpoint {
        if (vout < 0 && !(vout == -1 && txid.isZero())) {
            throw new IllegalArgumentException("output index must be >= 0: " + vout);
        }
    }

    /** Parses {@code txid:vout}. */
    public static Outpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("an outpoint is txid:vout, got " + text);
        }
        int vout;
        try {
            vout = Integer.parseInt(text.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("output index is not a number in " + text, e);
        }
        if (vout < 0) {
            throw new IllegalArgumentException("output index must be >= 0 in " + text);
        }
        return new Outpoint(Hash256.fromHex(text.substring(0, colon)), vout);
    }

    @Override
    public String toString() {
        return txid.hex() + ":" + vout;
    }
}
