package io.chaintrace.core.model;

import java.util.HexFormat;
import java.util.Locale;
import org.bitcoinj.base.AddressParser;
import org.bitcoinj.base.LegacyAddress;
import org.bitcoinj.base.SegwitAddress;
import org.bitcoinj.base.exceptions.AddressFormatException;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Who owns value: a Bitcoin address, public key or script, or an Ethereum account, in one
 * normalized text form so that equal owners compare equal.
 *
 * <ul>
 *   <li>P2PKH, P2SH: Base58Check; P2WPKH, P2WSH: bech32; P2TR: bech32m (lower case).
 *   <li>P2PK: {@code pubkey:<hex>} - the key itself; bare multisig and non-standard scripts:
 *       {@code script:<sha256 of the script, hex>}.
 *   <li>Ethereum: {@code 0x} + 40 hex digits in EIP-55 mixed-case checksum form.
 * </ul>
 */
public record Address(Chain chain, ScriptKind kind, String text) {
    public static final String PUBKEY_PREFIX = "pubkey:";
    public static final String SCRIPT_PREFIX = "script:";
    private static final HexFormat HEX = HexFormat.of();

    public Address {
        if (kind == ScriptKind.OP_RETURN) {
            throw new IllegalArgumentException("an OP_RETURN output has no owner");
        }
        if ((chain == Chain.ETHEREUM) != (kind == ScriptKind.ACCOUNT)) {
            throw new IllegalArgumentException(kind + " is not an owner kind on " + chain);
        }
    }

    /** A bare public key (P2PK output). */
    public static Address ofPublicKey(byte[] publicKey) {
        return new Address(Chain.BITCOIN, ScriptKind.P2PK, PUBKEY_PREFIX + HEX.formatHex(publicKey));
    }

    /**
     * The key's hash (HASH160) that its P2PKH address encodes: for a P2PK key, the hash of the key; for a
     * P2PKH address, the hash it carries; empty for any other kind. Explorers show coins paid to a bare key
     * under the key's P2PKH address, so both are the same payee (see {@link #samePayee}).
     */
    public java.util.Optional<byte[]> keyHash() {
        return switch (kind) {
            case P2PK -> java.util.Optional.of(org.bitcoinj.crypto.internal.CryptoUtils.sha256hash160(
                    HEX.parseHex(text.substring(PUBKEY_PREFIX.length()))));
            case P2PKH -> java.util.Optional.of(java.util.Arrays.copyOfRange(org.bitcoinj.base.Base58.decodeChecked(text), 1, 21)); // after the version byte
            default -> java.util.Optional.empty();
        };
    }

    /**
     * What an investigator is shown: the text, but for a P2PK key its P2PKH address on mainnet (what
     * explorers list its coins under; the output's kind, p2pk, is shown beside it).
     */
    public String shown() {
        return kind == ScriptKind.P2PK ? keyAddress(org.bitcoinj.base.BitcoinNetwork.MAINNET).text() : text;
    }

    /** The P2PKH address of a P2PK key on a network: what explorers show its coins under. */
    public Address keyAddress(org.bitcoinj.base.Network network) {
        if (kind != ScriptKind.P2PK) {
            throw new IllegalStateException(text + " is not a public key");
        }
        return new Address(Chain.BITCOIN, ScriptKind.P2PKH, LegacyAddress.fromPubKeyHash(network, keyHash().orElseThrow()).toString());
    }

    /**
     * Whether coins paid to {@code other} are paid to this address too: the same address, or a P2PK key and the
     * P2PKH address of that key (the same key spends both).
     */
    public boolean samePayee(Address other) {
        if (text.equals(other.text)) {
            return true;
        }
        if ((kind == ScriptKind.P2PK && other.kind == ScriptKind.P2PKH) || (kind == ScriptKind.P2PKH && other.kind == ScriptKind.P2PK)) {
            return java.util.Arrays.equals(keyHash().orElseThrow(), other.keyHash().orElseThrow());
        }
        return false;
    }

    /** A script without an address encoding (bare multisig, non-standard), keyed by its SHA-256. */
    public static Address ofScriptHash(ScriptKind kind, byte[] sha256) {
        return new Address(Chain.BITCOIN, kind, SCRIPT_PREFIX + HEX.formatHex(sha256));
    }

    /**
     * Validates and normalizes what an investigator typed: a Bitcoin address of any network
     * (checksum checked), {@code pubkey:}/{@code script:} keys, or an Ethereum address (a mixed-case
     * one must carry a valid EIP-55 checksum).
     *
     * @throws IllegalArgumentException with a reason, when the text is no valid address
     */
    public static Address parse(String input) {
        String text = input.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        if (text.startsWith("0x") || text.startsWith("0X")) {
            return parseEthereum(text);
        }
        if (text.startsWith(PUBKEY_PREFIX)) {
            String hex = text.substring(PUBKEY_PREFIX.length()).toLowerCase(Locale.ROOT);
            byte[] key = parseHex(hex, input);
            boolean compressed = key.length == 33 && (key[0] == 2 || key[0] == 3);
            boolean uncompressed = key.length == 65 && key[0] == 4;
            if (!compressed && !uncompressed) {
                // Non-canonical keys do occur on chain; keep them, but they must at least look like keys.
                if (key.length != 33 && key.length != 65) {
                    throw new IllegalArgumentException("a public key has 33 or 65 bytes: " + input);
                }
            }
            return ofPublicKey(key);
        }
        if (text.startsWith(SCRIPT_PREFIX)) {
            byte[] hash = parseHex(text.substring(SCRIPT_PREFIX.length()).toLowerCase(Locale.ROOT), input);
            if (hash.length != 32) {
                throw new IllegalArgumentException("a script key is a 32-byte SHA-256: " + input);
            }
            return ofScriptHash(ScriptKind.NONSTANDARD, hash);
        }
        return parseBitcoin(text);
    }

    /**
     * Why a Bitcoin address does not parse, in the terms of its own encoding: the parser tries Base58 and then bech32
     * and reports the last failure, so a mistyped Base58 address was said to hold an invalid bech32 character.
     */
    private static String why(String text, AddressFormatException e) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.startsWith("bc1") || t.startsWith("tb1") || t.startsWith("bcrt1")) {
            return "bech32: " + e.getMessage();
        }
        try {
            org.bitcoinj.base.Base58.decodeChecked(text);
            return e.getMessage();
        } catch (AddressFormatException.InvalidChecksum c) {
            return "its Base58 checksum does not match: a character is mistyped";
        } catch (AddressFormatException.InvalidCharacter c) {
            return "'" + c.character + "' at position " + c.position + " is not a Base58 character";
        } catch (AddressFormatException other) {
            return other.getMessage();
        }
    }

    private static Address parseBitcoin(String text) {
        org.bitcoinj.base.Address parsed;
        try {
            parsed = AddressParser.getDefault().parseAddress(text);
        } catch (AddressFormatException e) {
            throw new IllegalArgumentException("not a valid Bitcoin or Ethereum address: " + text + " (" + why(text, e) + ")", e);
        }
        ScriptKind kind = switch (parsed) {
            case LegacyAddress legacy -> legacy.getOutputScriptType() == org.bitcoinj.base.ScriptType.P2SH
                    ? ScriptKind.P2SH : ScriptKind.P2PKH;
            case SegwitAddress segwit -> switch (segwit.getOutputScriptType()) {
                case P2WPKH -> ScriptKind.P2WPKH;
                case P2WSH -> ScriptKind.P2WSH;
                case P2TR -> ScriptKind.P2TR;
                default -> ScriptKind.WITNESS_UNKNOWN;
            };
            default -> throw new IllegalArgumentException("unsupported address type: " + text);
        };
        if (kind == ScriptKind.WITNESS_UNKNOWN) {
            throw new IllegalArgumentException("witness version without a defined output type: " + text);
        }
        return new Address(Chain.BITCOIN, kind, parsed.toString());
    }

    private static Address parseEthereum(String text) {
        String hex = text.substring(2);
        if (hex.length() != 40) {
            throw new IllegalArgumentException("an Ethereum address is 0x and 40 hex digits: " + text);
        }
        // One pass over the digits (an import parses a million addresses): hex, and which cases its letters have.
        boolean lower = false;
        boolean upper = false;
        for (int i = 0; i < 40; i++) {
            char c = hex.charAt(i);
            if (c >= 'a' && c <= 'f') {
                lower = true;
            } else if (c >= 'A' && c <= 'F') {
                upper = true;
            } else if (c < '0' || c > '9') {
                throw new IllegalArgumentException("an Ethereum address is 0x and 40 hex digits: " + text);
            }
        }
        String checksummed = checksummed(hex);
        boolean mixedCase = lower && upper;
        if (mixedCase && !checksummed.substring(2).equals(hex)) {
            throw new IllegalArgumentException("EIP-55 checksum mismatch in " + text + " (expected " + checksummed + ")");
        }
        return new Address(Chain.ETHEREUM, ScriptKind.ACCOUNT, checksummed);
    }

    /**
     * The EIP-55 form of 40 hex digits: a letter upper case where the Keccak-256 of the lower-case hex text has that
     * nibble at 8 or more. What web3j's {@code Keys.toChecksumAddress} computes, but that class installs Bouncy Castle as a
     * security provider when first used (every algorithm, every named curve: 0.1-0.2 s of a trace's start), and web3j's
     * {@code Hash.sha3} makes a digest per call, whose constructor (Bouncy Castle's service properties, its name built as
     * text) cost more than the hash: an import checks a million addresses, so each thread keeps one digest and resets it.
     */
    static String checksummed(String hex) {
        byte[] lower = new byte[40];
        for (int i = 0; i < 40; i++) {
            char c = hex.charAt(i);
            lower[i] = (byte) (c >= 'A' && c <= 'F' ? c + ('a' - 'A') : c);
        }
        KeccakDigest keccak = KECCAK.get();
        byte[] hash = new byte[32];
        keccak.update(lower, 0, 40);
        keccak.doFinal(hash, 0); // doFinal resets the digest for the next address
        byte[] out = new byte[42];
        out[0] = '0';
        out[1] = 'x';
        for (int i = 0; i < 40; i++) {
            int nibble = (hash[i >> 1] >> ((i & 1) == 0 ? 4 : 0)) & 0xf;
            byte c = lower[i];
            out[2 + i] = nibble >= 8 && c >= 'a' ? (byte) (c - ('a' - 'A')) : c;
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static final ThreadLocal<KeccakDigest> KECCAK = ThreadLocal.withInitial(() -> new KeccakDigest(256));

    private static byte[] parseHex(String hex, String input) {
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hex: " + input, e);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
