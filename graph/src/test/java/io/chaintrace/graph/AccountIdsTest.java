package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Address;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Ethereum writer's table of account ids: lossy, but never another account's id. */
class AccountIdsTest {
    /** An account's text: lower case, or every so often checksummed (EIP-55 mixed case), as the store writes it. */
    private static String account(Random random) {
        byte[] b = new byte[20];
        random.nextBytes(b);
        String text = "0x" + HexFormat.of().formatHex(b);
        return random.nextInt(16) == 0 ? Address.parse(text).text() : text;
    }

    @Test
    void anAnswerIsTheAccountsOwnIdAndTheNewestAreHeld() {
        AccountIds ids = new AccountIds();
        int n = 3_000_000;
        String[] accounts = new String[n];
        Random random = new Random(21);
        for (int i = 0; i < n; i++) {
            accounts[i] = account(random);
            ids.put(accounts[i], i);
        }
        int held = 0;
        int newestHeld = 0;
        for (int i = 0; i < n; i++) {
            int id = ids.get(i % 2 == 0 ? accounts[i] : accounts[i].toUpperCase(Locale.ROOT).replace("0X", "0x")); // either case
            if (id >= 0) {
                assertEquals(i, id, accounts[i]);
                held++;
                newestHeld += i >= n - 100_000 ? 1 : 0;
            }
        }
        // 2^21 slots: most of the newest 2^21 are held, and of the last 100,000 all but a set's rare fifth newcomer.
        assertTrue(held > 1_500_000 && held <= 1 << 21, "held " + held);
        assertTrue(newestHeld > 99_900, "newest held " + newestHeld);
        Random other = new Random(22);
        for (int i = 0; i < 100_000; i++) {
            assertEquals(-1, ids.get(account(other)));
        }
    }

    @Test
    void otherTextsAreNeverHeldAndAForgottenAccountIsGone() {
        AccountIds ids = new AccountIds();
        String a = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        for (String notAnAccount : new String[] {"", "0x", a.substring(0, 41), a + "0", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                a.replace('e', 'g'), a.replace("0x", "0X"), a.replace('5', '\u0665'), "0x" + "\u00e1".repeat(40)}) {
            ids.put(notAnAccount, 7);
            assertEquals(-1, ids.get(notAnAccount), notAnAccount);
        }
        ids.put(a, 0);
        assertEquals(0, ids.get(a));
        ids.put(a, 9);
        assertEquals(9, ids.get(a.toLowerCase(Locale.ROOT)));
        ids.remove(a.toUpperCase(Locale.ROOT).replace("0X", "0x"));
        assertEquals(-1, ids.get(a));
        ids.put(a, Integer.MAX_VALUE);
        assertEquals(-1, ids.get(a), "an id past the largest held is not held");
    }
}
