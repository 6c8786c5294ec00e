package io.chaintrace.core.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The typed columns' checks, which an import runs millions of times and so are written for speed (a table per
 * character, a long for short amounts), held to the plain rules they replace: a regular expression for an address, the
 * JDK's BigInteger for an amount.
 */
class EtlRowsTest {
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-f]{40}");

    /** Characters that are not lower-case hex digits, several of them with the low seven bits of one (an ASCII mask's trap). */
    private static final String NOT_DIGITS = "gGz/:@`{ \t\u00e1\u00b1\u0131\u0161\u0663\uff41\uff10\u0130\u212a\u0000\u007f\u0080";

    @Test
    void addressesAreAcceptedExactlyWhenTheRegularExpressionAcceptsThem() {
        Random random = new Random(55);
        HexFormat hex = HexFormat.of();
        int refused = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] bytes = new byte[20];
            random.nextBytes(bytes);
            StringBuilder text = new StringBuilder("0x" + hex.formatHex(bytes));
            switch (n % 5) {
                case 0 -> {
                    // as ethereum-etl writes it
                }
                case 1 -> text.setCharAt(2 + random.nextInt(40), NOT_DIGITS.charAt(random.nextInt(NOT_DIGITS.length())));
                case 2 -> text.replace(0, text.length(), text.toString().toUpperCase(Locale.ROOT).replace("0X", "0x"));
                case 3 -> text.insert(0, " ").append("\t");
                default -> text.setLength(2 + random.nextInt(42));
            }
            String given = text.toString();
            String plain = given.strip().toLowerCase(Locale.ROOT);
            if (ADDRESS.matcher(plain).matches()) {
                assertEquals(plain, EtlRows.address("from_address", given), given);
            } else {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EtlRows.address("from_address", given), given);
                assertTrue(e.getMessage().startsWith("from_address '"), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 7_000, "mutations refused: " + refused);
    }

    @Test
    void amountsAreTheirDecimalDigitsExactly() {
        Random random = new Random(18);
        List<String> amounts = new ArrayList<>(List.of("0", "00", "7", "000000000000000001", "999999999999999999", "1000000000000000000",
                "9223372036854775807", "9223372036854775808", "18446744073709551616",
                BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).toString()));
        for (int length = 1; length <= 78; length++) {
            StringBuilder digits = new StringBuilder();
            for (int i = 0; i < length; i++) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            amounts.add(digits.toString());
        }
        for (String a : amounts) {
            BigInteger expected = new BigInteger(a);
            if (expected.bitLength() <= 256) {
                assertEquals(expected, EtlRows.uint256("value", a), a);
            } else {
                assertThrows(IllegalArgumentException.class, () -> EtlRows.uint256("value", a), a);
            }
        }
        for (String bad : List.of("", "-1", "+1", "1e18", " 5", "12\u0663", "0x10", "9".repeat(79))) {
            assertThrows(IllegalArgumentException.class, () -> EtlRows.uint256("value", bad), bad);
        }
    }
}
