package io.chaintrace.core.pattern.account;

/**
 * Counts per address id, cleared in constant time (a stamp per slot): how the rules count distinct counterparties in a
 * window without a map per address scanned.
 */
final class AddressCounts {
    private final int[] stamp;
    private final int[] count;
    private int current = 1;
    private int distinct;

    AddressCounts(int addresses) {
        stamp = new int[addresses];
        count = new int[addresses];
    }

    void clear() {
        current++;
        distinct = 0;
    }

    /** Counts one more for the address; returns its count. */
    int add(int address) {
        if (stamp[address] != current) {
            stamp[address] = current;
            count[address] = 0;
        }
        if (count[address]++ == 0) {
            distinct++;
        }
        return count[address];
    }

    void remove(int address) {
        if (--count[address] == 0) {
            distinct--;
        }
    }

    int count(int address) {
        return stamp[address] == current ? count[address] : 0;
    }

    /** Addresses with a count above zero. */
    int distinct() {
        return distinct;
    }
}
