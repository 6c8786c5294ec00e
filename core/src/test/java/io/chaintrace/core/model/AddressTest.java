package io.chaintrace.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Address validation and normalization, with the test vectors of BIP173, BIP350 and EIP-55. */
class AddressTest {
    @Test
    void base58CheckAddresses() {
        Address genesis = Address.parse("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
        assertEquals(ScriptKind.P2PKH, genesis.kind());
        assertEquals(Chain.BITCOIN, genesis.chain());
        assertEquals(ScriptKind.P2SH, Address.parse("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy").kind());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Address.parse("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
        assertTrue(e.getMessage().contains("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"), e.getMessage());
    }

    @Test
    void bech32AndBech32mAreNormalizedToLowerCase() {
        Address p2wpkh = Address.parse("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4");
        assertEquals(ScriptKind.P2WPKH, p2wpkh.kind());
        assertEquals("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", p2wpkh.text());
        assertEquals(ScriptKind.P2WSH, Address.parse("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3").kind());
        assertEquals(ScriptKind.P2TR, Address.parse("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0").kind());
        // BIP350: a v1 program encoded with bech32 (not bech32m) is invalid.
        assertThrows(IllegalArgumentException.class,
                () -> Address.parse("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx"));
    }

    @Test
    void eip55ChecksumIsCheckedAndApplied() {
        String checksummed = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        assertEquals(checksummed, Address.parse(checksummed.toLowerCase()).text());
        assertEquals(ScriptKind.ACCOUNT, Address.parse(checksummed).kind());
        assertEquals(Chain.ETHEREUM, Address.parse(checksummed).chain());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
        assertTrue(e.getMessage().contains("EIP-55"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA"));
        // 40 characters, not all hex digits: a letter past f, and a digit that is not ASCII (Arabic-Indic three).
        for (String bad : java.util.List.of("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea\u0663d")) {
            IllegalArgumentException notHex = assertThrows(IllegalArgumentException.class, () -> Address.parse(bad));
            assertTrue(notHex.getMessage().contains("40 hex digits"), notHex.getMessage());
        }
        // Upper case alone carries no checksum, as lower case alone.
        assertEquals(checksummed, Address.parse("0x" + checksummed.substring(2).toUpperCase()).text());
    }

    /** EIP-55's own examples, and web3j's checksum on 2,000 random addresses: the same text. */
    @Test
    void eip55IsWeb3jsChecksum() {
        for (String example : java.util.List.of("0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
                "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26",
                "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
                "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")) {
            assertEquals(example, Address.checksummed(example.substring(2)));
        }
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(55);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[20];
            rnd.nextBytes(b);
            String hex = java.util.HexFormat.of().formatHex(b);
            assertEquals(org.web3j.crypto.Keys.toChecksumAddress(hex), Address.checksummed(hex));
        }
    }

    @Test
    void keysAndScriptHashesRoundTrip() {
        String key = "pubkey:0411db93e1dcdb8a016b49840f8c53bc1eb68a382e97b1482ecad7b148a6909a5cb2e0eaddfb84ccf9744464f82e160bfa9b8b64f9d4c03f999b8643f656b412a3";
        assertEquals(key, Address.parse(key).text());
        assertEquals(ScriptKind.P2PK, Address.parse(key).kind());
        assertThrows(IllegalArgumentException.class, () -> Address.parse("pubkey:0411"));
        assertThrows(IllegalArgumentException.class, () -> Address.parse("hello"));
        assertThrows(IllegalArgumentException.class, () -> Address.parse(""));
    }
}
