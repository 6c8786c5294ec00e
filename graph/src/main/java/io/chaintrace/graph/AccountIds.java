package io.chaintrace.graph;

import io.chaintrace.core.model.HexDigits;

/**
 * Ethereum accounts' owner ids seen last, in one array of longs: a set of four slots per hash of the account's 20
 * bytes, the account's bytes and its id side by side, the newest first in its set and the oldest dropped when a fifth
 * comes. An import of 10^7 transfers asks for two accounts' ids per transfer; in maps of text (the least-recently-used
 * map of {@link AddressBook}, relinked on every read) each answer cost several misses in memory, and the asking was over
 * half of the writing thread. Four ways rather than one slot per hash: with a slot each, at half full two accounts in
 * five met another in their slot, and each miss here is a read in a map or the store.
 *
 * <p>Lossy, so only for ids already written: an account missing here is read from the store, and an import's new
 * accounts are kept by its batch until it is written. Bounded: 2^21 slots of 24 bytes (48 MB), made when first needed.
 */
final class AccountIds {
    private static final int WAYS = 4;
    private static final int SETS = 1 << 19;

    /**
     * Per slot: the account's bytes 0-7, 8-15, and 16-19 above (id + 1) (0: an empty slot). Made at the first account
     * held: a store opened to read, or to write Bitcoin, never pays for it.
     */
    private long[] table;

    /** The account being asked for, read by {@link #read}: its bytes 0-7, 8-15 and 16-19 (the writer's thread only). */
    private long k0;
    private long k1;
    private long k2;

    /** The id of an account (its text: 0x and 40 hex digits in either case) if held here, else -1. */
    int get(String account) {
        if (table == null || !read(account)) {
            return -1; // never held
        }
        int at = find(set());
        return at < 0 ? -1 : (int) table[at + 2] - 1;
    }

    /** Holds an account's id (written to the store), first in its set; the set's oldest goes if it is full. */
    void put(String account, int id) {
        if (!read(account) || id < 0 || id == Integer.MAX_VALUE) {
            return;
        }
        if (table == null) {
            table = new long[3 * WAYS * SETS];
        }
        int set = set();
        int at = find(set);
        if (at < 0) {
            System.arraycopy(table, set, table, set + 3, 3 * (WAYS - 1));
            at = set;
        }
        table[at] = k0;
        table[at + 1] = k1;
        table[at + 2] = k2 << 32 | (id + 1L);
    }

    /** Forgets an account (its id was taken back). */
    void remove(String account) {
        if (table != null && read(account)) {
            int at = find(set());
            if (at >= 0) {
                table[at + 2] = 0;
            }
        }
    }

    /** The index of the account's slot in its set (starting at {@code set}), or -1. */
    private int find(int set) {
        for (int at = set; at < set + 3 * WAYS; at += 3) {
            long t2 = table[at + 2];
            if (t2 != 0 && table[at] == k0 && table[at + 1] == k1 && t2 >>> 32 == k2) {
                return at;
            }
        }
        return -1;
    }

    /** Where the account's set starts in the table. */
    private int set() {
        long h = (k0 * 0x9E3779B97F4A7C15L ^ k1) * 0xC2B2AE3D27D4EB4FL ^ k2 * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        return 3 * WAYS * (int) (h & (SETS - 1));
    }

    /** Reads an account's text (0x and 40 hex digits, either case) into its three words in one pass; false if it is not one. */
    private boolean read(String text) {
        if (text.length() != 42 || text.charAt(0) != '0' || text.charAt(1) != 'x') {
            return false;
        }
        int bad = 0;
        long a = 0;
        long b = 0;
        long c = 0;
        for (int i = 2; i < 18; i++) {
            int d = HexDigits.value(text.charAt(i));
            bad |= d;
            a = a << 4 | d;
        }
        for (int i = 18; i < 34; i++) {
            int d = HexDigits.value(text.charAt(i));
            bad |= d;
            b = b << 4 | d;
        }
        for (int i = 34; i < 42; i++) {
            int d = HexDigits.value(text.charAt(i));
            bad |= d;
            c = c << 4 | d;
        }
        k0 = a;
        k1 = b;
        k2 = c;
        return (bad & ~0xf) == 0;
    }
}
