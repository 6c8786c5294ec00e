package io.chaintrace.core.model;

import java.util.Arrays;

/**
 * Hex digits read through a table, without a branch per digit: an import reads millions of hashes and addresses, and
 * comparisons of digits and letters arriving at random are mispredicted half the time (HexFormat's parsing was a tenth of
 * an export's reading).
 */
public final class HexDigits {
    private HexDigits() {
    }

    private static final byte[] VALUES = new byte[128];
    private static final byte[] LOWER_CASE_VALUES = new byte[128];

    static {
        Arrays.fill(VALUES, (byte) 0x10);
        Arrays.fill(LOWER_CASE_VALUES, (byte) 0x10);
        for (int i = 0; i < 16; i++) {
            VALUES["0123456789abcdef".charAt(i)] = (byte) i;
            VALUES["0123456789ABCDEF".charAt(i)] = (byte) i;
            LOWER_CASE_VALUES["0123456789abcdef".charAt(i)] = (byte) i;
        }
    }

    /**
     * A hex digit's value (either case), else a value above 15: OR the values of many digits together and test the bits
     * above the lowest four once, at the end.
     */
    public static int value(char c) {
        return VALUES[c & 0x7f] | (c >>> 7) << 4;
    }

    /** The same for lower-case digits only (as an export writes an address): an upper-case letter is not one. */
    public static int lowerCaseValue(char c) {
        return LOWER_CASE_VALUES[c & 0x7f] | (c >>> 7) << 4;
    }
}
