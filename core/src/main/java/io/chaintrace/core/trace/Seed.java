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
     * Every payment the address made from {@code fromTime} (unix seconds) on: the outputs of its transactions that spend
     * its coins, but those paying it back (its change is followed from there, not seeded twice). For a victim: "our hot
     * wallet was drained from time T".
     */
    record OutflowSeed(Address address, long fromTime) implements Seed {
        @Override
        public String toString() {
            return OUTFLOWS + address.text() + (fromTime == Long.MIN_VALUE ? "" : "@" + fromTime);
        }
    }

    /** The prefix of an outflow seed: {@code outflows:ADDRESS[@FROM_TIME]}. */
    String OUTFLOWS = "outflows:";

    /**
     * The time of an outflow seed: unix seconds or ISO-8601 ({@code 2022-03-23T00:00:00Z}, or a date: its start, UTC).
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    static long time(String t) {
        String s = t.strip();
        if (s.matches("-?\\d{1,19}")) {
            return Long.parseLong(s);
        }
        try {
            return java.time.Instant.parse(s).getEpochSecond();
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(s).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
            } catch (java.time.format.DateTimeParseException d) {
                throw new IllegalArgumentException("not a time (unix seconds or ISO-8601 like 2022-03-23T00:00:00Z): " + t, d);
            }
        }
    }

    /**
     * Reads {@code txid:vout}, {@code txid:vout=satoshi}, a 64-digit {@code txid}, an address, or
     * {@code outflows:ADDRESS[@FROM_TIME]}.
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    static Seed parse(String text) {
        String s = text.strip();
        if (s.regionMatches(true, 0, OUTFLOWS, 0, OUTFLOWS.length())) {
            String rest = s.substring(OUTFLOWS.length());
            int at = rest.indexOf('@');
            try {
                return new OutflowSeed(Address.parse(at < 0 ? rest : rest.substring(0, at)), at < 0 ? Long.MIN_VALUE : time(rest.substring(at + 1)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("seed '" + text + "': outflows:ADDRESS[@FROM_TIME]: " + e.getMessage(), e);
            }
        }
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
