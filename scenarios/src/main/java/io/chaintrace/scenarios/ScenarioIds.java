package io.chaintrace.scenarios;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.ScriptKind;
import java.util.SplittableRandom;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.SegwitAddress;

/** Hashes and addresses for generated chains: random from a seeded source, hashes made distinct by a counter. */
final class ScenarioIds {
    private final SplittableRandom rnd;
    private int counter;

    ScenarioIds(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    Hash256 hash() {
        byte[] b = new byte[32];
        rnd.nextBytes(b);
        b[0] = (byte) counter;
        b[1] = (byte) (counter >>> 8);
        b[2] = (byte) (counter++ >>> 16);
        return new Hash256(b);
    }

    /** A fresh P2WPKH address. */
    Address p2wpkh() {
        byte[] program = new byte[20];
        rnd.nextBytes(program);
        return new Address(Chain.BITCOIN, ScriptKind.P2WPKH, SegwitAddress.fromProgram(BitcoinNetwork.MAINNET, 0, program).toString());
    }

    /** A fresh Ethereum account. */
    Address account() {
        byte[] b = new byte[20];
        rnd.nextBytes(b);
        return Address.parse("0x" + java.util.HexFormat.of().formatHex(b));
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }
}
