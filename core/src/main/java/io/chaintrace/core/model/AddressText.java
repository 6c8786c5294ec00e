package io.chaintrace.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The text of a standard output's address, written straight from the script's bytes: Base58Check (P2PKH, P2SH) and
 * bech32 / bech32m (BIP173, BIP350: witness versions 0 and 1). bitcoinj writes the same text (ScriptClassifierTest holds
 * every template, network and edge case to it), but through an address object, a divmod a byte a digit (850 for a
 * 25-byte Base58 string), a new SHA-256 digest looked up for every checksum and the network's prefix looked up by name:
 * a third of the parser threads' time at mainnet shape (issue 19). Here Base58 divides by 58^5 on 32-bit limbs (7
 * limbs, 7 rounds), each thread keeps one digest, and the prefixes are given.
 */
final class AddressText {
    private static final char[] BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final long BASE58_5 = 58L * 58 * 58 * 58 * 58;
    private static final char[] BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l".toCharArray();
    private static final int BECH32_CONST = 1;
    private static final int BECH32M_CONST = 0x2bc830a3;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private AddressText() {
    }

    /** Base58Check of {@code version} and the 20 bytes of {@code script} from {@code at}: a P2PKH or P2SH address. */
    static String base58Check(int version, byte[] script, int at) {
        byte[] payload = new byte[25];
        payload[0] = (byte) version;
        System.arraycopy(script, at, payload, 1, 20);
        MessageDigest sha = SHA256.get();
        sha.update(payload, 0, 21);
        byte[] once = sha.digest();
        byte[] twice = sha.digest(once);
        System.arraycopy(twice, 0, payload, 21, 4);
        return base58(payload);
    }

    /** Base58 of 25 bytes: the leading zero bytes as '1's, the rest as a number in base 58. */
    static String base58(byte[] bytes) {
        int zeros = 0;
        while (zeros < bytes.length && bytes[zeros] == 0) {
            zeros++;
        }
        // The number as big-endian 32-bit limbs (the first limb holds what does not fill four bytes).
        int limbs = (bytes.length + 3) / 4;
        long[] n = new long[limbs];
        int first = bytes.length - 4 * (limbs - 1);
        for (int i = 0, limb = 0, fill = first; i < bytes.length; i++) {
            n[limb] = n[limb] << 8 | (bytes[i] & 0xff);
            if (--fill == 0) {
                limb++;
                fill = 4;
            }
        }
        // Five digits a round: the remainder of the number by 58^5, the number divided by it.
        char[] digits = new char[bytes.length * 2];
        int d = digits.length;
        int top = 0;
        while (top < limbs) {
            long rem = 0;
            for (int i = top; i < limbs; i++) {
                long cur = rem << 32 | n[i];
                n[i] = cur / BASE58_5;
                rem = cur % BASE58_5;
            }
            while (top < limbs && n[top] == 0) {
                top++;
            }
            for (int k = 0; k < 5; k++) {
                digits[--d] = BASE58[(int) (rem % 58)];
                rem /= 58;
                if (top == limbs && rem == 0) {
                    break; // the last round: no leading zero digits
                }
            }
        }
        while (d < digits.length && digits[d] == '1') {
            d++; // a number of 0 wrote one '1': the zero bytes say how many
        }
        StringBuilder out = new StringBuilder(zeros + digits.length - d);
        out.repeat('1', zeros);
        return out.append(digits, d, digits.length - d).toString();
    }

    /** The segwit address of {@code version} and the {@code length} bytes of {@code script} from {@code at} (BIP173, BIP350). */
    static String segwit(String hrp, int version, byte[] script, int at, int length) {
        // The program in 5-bit groups, after the version.
        int groups = (length * 8 + 4) / 5;
        byte[] data = new byte[1 + groups + 6];
        data[0] = (byte) version;
        int acc = 0;
        int bits = 0;
        int g = 1;
        for (int i = 0; i < length; i++) {
            acc = acc << 8 | (script[at + i] & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                data[g++] = (byte) (acc >>> bits & 31);
            }
        }
        if (bits > 0) {
            data[g++] = (byte) (acc << (5 - bits) & 31);
        }
        // The checksum: the polymod of the expanded prefix, the data and six zeros, xor the version's constant.
        int chk = 1;
        for (int i = 0; i < hrp.length(); i++) {
            chk = polymodStep(chk) ^ (hrp.charAt(i) >>> 5);
        }
        chk = polymodStep(chk);
        for (int i = 0; i < hrp.length(); i++) {
            chk = polymodStep(chk) ^ (hrp.charAt(i) & 31);
        }
        for (int i = 0; i < g; i++) {
            chk = polymodStep(chk) ^ data[i];
        }
        for (int i = 0; i < 6; i++) {
            chk = polymodStep(chk);
        }
        chk ^= version == 0 ? BECH32_CONST : BECH32M_CONST;
        for (int i = 0; i < 6; i++) {
            data[g + i] = (byte) (chk >>> 5 * (5 - i) & 31);
        }
        byte[] out = new byte[hrp.length() + 1 + data.length];
        int o = 0;
        for (int i = 0; i < hrp.length(); i++) {
            out[o++] = (byte) hrp.charAt(i);
        }
        out[o++] = '1';
        for (byte b : data) {
            out[o++] = (byte) BECH32[b];
        }
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    private static int polymodStep(int pre) {
        int b = pre >>> 25;
        return (pre & 0x1ffffff) << 5
                ^ (-(b & 1) & 0x3b6a57b2)
                ^ (-(b >>> 1 & 1) & 0x26508e6d)
                ^ (-(b >>> 2 & 1) & 0x1ea119fa)
                ^ (-(b >>> 3 & 1) & 0x3d4233dd)
                ^ (-(b >>> 4 & 1) & 0x2a1462b3);
    }
}
