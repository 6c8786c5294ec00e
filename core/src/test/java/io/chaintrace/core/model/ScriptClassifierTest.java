package io.chaintrace.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.bitcoinj.base.BitcoinNetwork;
import org.junit.jupiter.api.Test;

/** Locking scripts to owners; scripts and addresses from BIP173/BIP350 and mainnet. */
class ScriptClassifierTest {
    private final ScriptClassifier classifier = new ScriptClassifier(BitcoinNetwork.MAINNET);

    private ScriptClassifier.Owner of(String hex) {
        return classifier.classify(HexFormat.of().parseHex(hex));
    }

    @Test
    void standardKindsGetTheirAddress() {
        // Genesis coinbase key hashed: the P2PKH of Satoshi's first key.
        assertEquals("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                of("76a91462e907b15cbf27d5425399ebf6f0fb50ebb88f1888ac").address().orElseThrow().text());
        assertEquals(ScriptKind.P2SH, of("a914b472a266d0bd89c13706a4132ccfb16f7c3b9fcb87").kind());
        assertEquals("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
                of("0014751e76e8199196d454941c45d1b3a323f1433bd6").address().orElseThrow().text());
        assertEquals("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3",
                of("00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262").address().orElseThrow().text());
        assertEquals("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
                of("512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798").address().orElseThrow().text());
    }

    @Test
    void keysScriptsAndDataCarriers() {
        String key = "0411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482ecad7b148a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3";
        ScriptClassifier.Owner p2pk = of("41" + key + "ac");
        assertEquals(ScriptKind.P2PK, p2pk.kind());
        assertEquals("pubkey:" + key, p2pk.address().orElseThrow().text());
        ScriptClassifier.Owner opReturn = of("6a0b68656c6c6f20776f726c64");
        assertEquals(ScriptKind.OP_RETURN, opReturn.kind());
        assertTrue(opReturn.address().isEmpty());
        String k2 = "02" + "11".repeat(32);
        ScriptClassifier.Owner multisig = of("51" + "21" + k2 + "51ae");
        assertEquals(ScriptKind.MULTISIG, multisig.kind());
        assertTrue(multisig.address().orElseThrow().text().startsWith("script:"));
        assertEquals(ScriptKind.NONSTANDARD, of("ff").kind());
        assertEquals(ScriptKind.WITNESS_UNKNOWN, of("5210" + "00".repeat(16)).kind());
    }

    /**
     * The standard templates' addresses, written from the script's bytes, are bitcoinj's text for the same program on
     * every network: random programs, and those with leading zero bytes (Base58's leading '1's), all zero, all 0xff.
     */
    @Test
    void templatesWriteBitcoinjsAddressOnEveryNetwork() {
        java.util.Random random = new java.util.Random(19);
        HexFormat hex = HexFormat.of();
        int checked = 0;
        for (BitcoinNetwork network : BitcoinNetwork.values()) {
            ScriptClassifier c = new ScriptClassifier(network);
            for (int i = 0; i < 3_000; i++) {
                byte[] h20 = new byte[20];
                byte[] h32 = new byte[32];
                random.nextBytes(h20);
                random.nextBytes(h32);
                if (i < 42) {
                    // Leading zero bytes, from 1 to all of them; then all 0xff.
                    int z = i % 21;
                    java.util.Arrays.fill(h20, 0, Math.min(z + 1, 20), (byte) (i < 21 ? 0 : 0xff));
                    java.util.Arrays.fill(h32, 0, Math.min(z + 1, 32), (byte) (i < 21 ? 0 : 0xff));
                }
                String p2pkh = org.bitcoinj.base.LegacyAddress.fromPubKeyHash(network, h20).toString();
                String p2sh = org.bitcoinj.base.LegacyAddress.fromScriptHash(network, h20).toString();
                String p2wpkh = org.bitcoinj.base.SegwitAddress.fromProgram(network, 0, h20).toString();
                String p2wsh = org.bitcoinj.base.SegwitAddress.fromProgram(network, 0, h32).toString();
                String p2tr = org.bitcoinj.base.SegwitAddress.fromProgram(network, 1, h32).toString();
                assertOwner(c, ScriptKind.P2PKH, p2pkh, "76a914" + hex.formatHex(h20) + "88ac");
                assertOwner(c, ScriptKind.P2SH, p2sh, "a914" + hex.formatHex(h20) + "87");
                assertOwner(c, ScriptKind.P2WPKH, p2wpkh, "0014" + hex.formatHex(h20));
                assertOwner(c, ScriptKind.P2WSH, p2wsh, "0020" + hex.formatHex(h32));
                assertOwner(c, ScriptKind.P2TR, p2tr, "5120" + hex.formatHex(h32));
                checked += 5;
            }
        }
        assertEquals(5 * 3_000 * BitcoinNetwork.values().length, checked);
    }

    /** A template whose hash is pushed another way (OP_PUSHDATA1) is not Core's template; bitcoinj's patterns take it, as before. */
    @Test
    void aTemplateWithAnotherPushIsClassifiedAsBefore() {
        String h = "62e907b15cbf27d5425399ebf6f0fb50ebb88f18";
        assertEquals("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", of("76a94c14" + h + "88ac").address().orElseThrow().text());
        assertEquals(ScriptKind.P2PKH, of("76a94c14" + h + "88ac").kind());
    }

    private static void assertOwner(ScriptClassifier c, ScriptKind kind, String text, String script) {
        ScriptClassifier.Owner o = c.classify(HexFormat.of().parseHex(script));
        assertEquals(kind, o.kind(), script);
        assertEquals(text, o.address().orElseThrow().text(), script);
    }
}
