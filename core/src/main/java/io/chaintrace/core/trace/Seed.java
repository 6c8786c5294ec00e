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

    /** Part of one output: {@code amount} satoshi of it (the first ones, for order policies). */
    record PartialSeed(Outpoint outpoint, long amount) implements Seed {
        public PartialSeed {
            if (amount <= 0) {
                throw new IllegalArgumentException("a seed amount is positive: " + amount);
            }
        }

        @Override
        public String toString() {
            return outpoint + "=" + amount;
        }
    }

    /** Exactly this taint on one output: what a previous trace left there (for tracing it on, or back). */
    record TaintSeed(Outpoint outpoint, Taint taint) implements Seed {
        @Override
        public String toString() {
            return outpoint + "=" + taint;
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
     * Reads {@code txid:vout}, {@code txid:vout=satoshi}, a 64-digit {@code txid}, or an address.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    static Seed parse(String text) {
        String s = text.strip();
        int eq = s.indexOf('=');
        if (eq > 0) {
            Seed whole = parse(s.substring(0, eq));
            if (!(whole instanceof OutpointSeed o)) {
                throw new IllegalArgumentException("an amount (=N) goes with an output seed txid:vout, not with " + s.substring(0, eq));
            }
            try {
                return new PartialSeed(o.outpoint(), Long.parseLong(s.substring(eq + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("seed amount is not a whole number of satoshi: " + s.substring(eq + 1), e);
            }
        }
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
