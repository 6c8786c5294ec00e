package io.chaintrace.core.trace;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;

/** Where a trace starts: what the investigator knows was stolen. */
public sealed interface Seed {
    /** Every output this address received. */
    record AddressSeed(Address address) implements Seed {
        @Override
        public String toString() {
            return address.text();
        }
    }

    /** One output. */
    record OutpointSeed(Outpoint outpoint) implements Seed {
        @Override
        public String toString() {
            return outpoint.toString();
        }
    }

    /** Every output of one transaction. */
    record TransactionSeed(Hash256 txid) implements Seed {
        @Override
        public String toString() {
            return txid.hex();
        }
    }

    /**
     * Reads {@code txid:vout}, a 64-digit {@code txid}, or an address.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    static Seed parse(String text) {
        String s = text.strip();
        if (s.length() > 64 && s.charAt(64) == ':' && isHex(s.substring(0, 64))) {
            return new OutpointSeed(Outpoint.parse(s));
        }
        if (s.length() == 64 && isHex(s)) {
            return new TransactionSeed(Hash256.fromHex(s));
        }
        try {
            return new AddressSeed(Address.parse(s));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("seed '" + text + "' is no txid:vout, txid or address: " + e.getMessage(), e);
        }
    }

    private static boolean isHex(String s) {
        return s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
