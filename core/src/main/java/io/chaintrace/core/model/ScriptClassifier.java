package io.chaintrace.core.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.bitcoinj.base.LegacyAddress;
import org.bitcoinj.base.Network;
import org.bitcoinj.base.SegwitAddress;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptException;
import org.bitcoinj.script.ScriptPattern;

/**
 * Names the owner of a Bitcoin locking script, with bitcoinj's script templates. Standard kinds
 * get their address; P2PK the key; bare multisig and anything non-standard the SHA-256 of the
 * script; OP_RETURN no owner.
 */
public final class ScriptClassifier {
    private final Network network;
    private final int p2pkhVersion;
    private final int p2shVersion;
    private final String hrp;

    public ScriptClassifier(Network network) {
        this.network = network;
        // The network's prefixes, as bitcoinj gives them, taken once (see template).
        byte[] zeros = new byte[20];
        this.p2pkhVersion = LegacyAddress.fromPubKeyHash(network, zeros).getVersion();
        this.p2shVersion = LegacyAddress.fromScriptHash(network, zeros).getVersion();
        String bech32 = SegwitAddress.fromProgram(network, 0, zeros).toBech32();
        this.hrp = bech32.substring(0, bech32.lastIndexOf('1'));
    }

    /** The kind of a locking script and its owner, if it has one. */
    public record Owner(ScriptKind kind, Optional<Address> address) {
    }

    public Owner classify(byte[] scriptPubKey) {
        Owner standard = template(scriptPubKey);
        if (standard != null) {
            return standard;
        }
        Script script;
        try {
            script = Script.parse(scriptPubKey);
        } catch (ScriptException e) {
            // Unparseable scripts are valid on chain (they are just unspendable or odd): key by hash.
            return keyedByHash(ScriptKind.NONSTANDARD, scriptPubKey);
        }
        if (ScriptPattern.isP2PKH(script)) {
            return standard(ScriptKind.P2PKH, LegacyAddress.fromPubKeyHash(network, ScriptPattern.extractHashFromP2PKH(script)).toString());
        }
        if (ScriptPattern.isP2SH(script)) {
            return standard(ScriptKind.P2SH, LegacyAddress.fromScriptHash(network, ScriptPattern.extractHashFromP2SH(script)).toString());
        }
        if (ScriptPattern.isP2WPKH(script)) {
            return standard(ScriptKind.P2WPKH, SegwitAddress.fromProgram(network, 0, ScriptPattern.extractHashFromP2WH(script)).toString());
        }
        if (ScriptPattern.isP2WSH(script)) {
            return standard(ScriptKind.P2WSH, SegwitAddress.fromProgram(network, 0, ScriptPattern.extractHashFromP2WH(script)).toString());
        }
        if (ScriptPattern.isP2TR(script)) {
            return standard(ScriptKind.P2TR, SegwitAddress.fromProgram(network, 1, ScriptPattern.extractOutputKeyFromP2TR(script)).toString());
        }
        if (ScriptPattern.isOpReturn(script)) {
            return new Owner(ScriptKind.OP_RETURN, Optional.empty());
        }
        if (ScriptPattern.isP2PK(script)) {
            return new Owner(ScriptKind.P2PK, Optional.of(Address.ofPublicKey(ScriptPattern.extractKeyFromP2PK(script))));
        }
        if (ScriptPattern.isSentToMultisig(script)) {
            return keyedByHash(ScriptKind.MULTISIG, scriptPubKey);
        }
        if (isFutureWitness(scriptPubKey)) {
            return keyedByHash(ScriptKind.WITNESS_UNKNOWN, scriptPubKey);
        }
        return keyedByHash(ScriptKind.NONSTANDARD, scriptPubKey);
    }

    /**
     * The five standard templates byte for byte, as Bitcoin Core's {@code Solver} matches them, their address written
     * straight from the bytes ({@link AddressText}): most outputs are one of them, and parsing each into bitcoinj's
     * script and address objects was a third of the block parsers' time. Anything else (a template with a push written
     * another way, which bitcoinj's patterns also take) goes the way through bitcoinj below; null then.
     */
    private Owner template(byte[] s) {
        int n = s.length;
        if (n == 25 && s[0] == 0x76 && s[1] == (byte) 0xa9 && s[2] == 0x14 && s[23] == (byte) 0x88 && s[24] == (byte) 0xac) {
            return standard(ScriptKind.P2PKH, AddressText.base58Check(p2pkhVersion, s, 3));
        }
        if (n == 23 && s[0] == (byte) 0xa9 && s[1] == 0x14 && s[22] == (byte) 0x87) {
            return standard(ScriptKind.P2SH, AddressText.base58Check(p2shVersion, s, 2));
        }
        if (n == 22 && s[0] == 0 && s[1] == 0x14) {
            return standard(ScriptKind.P2WPKH, AddressText.segwit(hrp, 0, s, 2, 20));
        }
        if (n == 34 && s[0] == 0 && s[1] == 0x20) {
            return standard(ScriptKind.P2WSH, AddressText.segwit(hrp, 0, s, 2, 32));
        }
        if (n == 34 && s[0] == 0x51 && s[1] == 0x20) {
            return standard(ScriptKind.P2TR, AddressText.segwit(hrp, 1, s, 2, 32));
        }
        return null;
    }

    /** BIP141: OP_1..OP_16 followed by one push of 2 to 40 bytes; v0 and v1/32 are handled above. */
    private static boolean isFutureWitness(byte[] s) {
        if (s.length < 4 || s.length > 42) {
            return false;
        }
        int version = s[0] & 0xff;
        return version >= 0x51 && version <= 0x60 && (s[1] & 0xff) == s.length - 2;
    }

    private Owner standard(ScriptKind kind, String text) {
        return new Owner(kind, Optional.of(new Address(io.chaintrace.core.model.Chain.BITCOIN, kind, text)));
    }

    private static Owner keyedByHash(ScriptKind kind, byte[] script) {
        return new Owner(kind, Optional.of(Address.ofScriptHash(kind, sha256(script))));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
