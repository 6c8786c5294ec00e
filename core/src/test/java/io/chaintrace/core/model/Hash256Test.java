package io.chaintrace.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A hash's hex digits, read by a table of digits (an import reads millions), held to the JDK's HexFormat. */
class Hash256Test {
    /** Not hex digits, several with the low seven bits of one. */
    private static final String NOT_DIGITS = "gG/:@`{ x\u00e1\u00b1\u0131\u0161\u0663\uff41\uff10\u0130\u0000\u0080\u00c1";

    @Test
    void hexIsReadAsHexFormatReadsIt() {
        Random random = new Random(256);
        HexFormat hex = HexFormat.of();
        int refused = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[32];
            random.nextBytes(bytes);
            StringBuilder digits = new StringBuilder(hex.formatHex(bytes));
            switch (n % 4) {
                case 0 -> {
                    // lower case, as nodes and exports write them
                }
                case 1 -> digits.replace(0, 64, digits.toString().toUpperCase(Locale.ROOT));
                case 2 -> digits.setCharAt(random.nextInt(64), NOT_DIGITS.charAt(random.nextInt(NOT_DIGITS.length())));
                default -> digits.setCharAt(random.nextInt(64), Character.toUpperCase(digits.charAt(random.nextInt(64))));
            }
            String text = (n % 3 == 0 ? "0x" : n % 3 == 1 ? "0X" : "") + digits;
            byte[] expected;
            try {
                expected = hex.parseHex(digits);
            } catch (IllegalArgumentException e) {
                IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, () -> Hash256.fromHex(text), text);
                assertTrue(refusal.getMessage().contains(text), refusal.getMessage());
                refused++;
                continue;
            }
            Hash256 h = Hash256.fromHex(text);
            assertArrayEquals(expected, h.bytes(), text);
            assertEquals(digits.toString().toLowerCase(Locale.ROOT), h.hex());
        }
        assertTrue(refused > 4_000, "refused: " + refused);
        for (String length : new String[] {"", "0x", "ab".repeat(31), "ab".repeat(33), "0x" + "a".repeat(63)}) {
            assertThrows(IllegalArgumentException.class, () -> Hash256.fromHex(length), length);
        }
    }
}
