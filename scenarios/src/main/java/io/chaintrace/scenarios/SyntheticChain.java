package io.chaintrace.scenarios;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.ScriptKind;
import java.util.SplittableRandom;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.SegwitAddress;

/**
 * Background chains at scale (10^5 to 10^7 outputs), shaped like mainnet: mostly one or two
 * inputs and two outputs, coins spent soon after they are made, coinbases, consolidations, heavy-
 * tailed owners (a few addresses receive very often), exchange hubs with many counterparties,
 * CoinJoin-like transactions (many inputs, equal outputs) and long peel chains. Seeded and
 * reproducible: the same settings give the same chain, transaction for transaction.
 *
 * <p>The chain is streamed to a {@link Sink} without an object per transaction, so the same run
 * can fill compact arrays in memory or be written block by block through a store's ingest path.
 */
public final class SyntheticChain {
    /** Receives the chain in order. Output ids and transaction ids count from 0 in that order. */
    public interface Sink {
        /** Owner {@code owner} is a labelled service (an exchange hub when {@code hub}). */
        void endpoint(int owner, boolean hub);

        void transaction(int tx);

        /** An input spending output {@code output} (index {@code vout} of transaction {@code fundingTx}); -1s for a coinbase. */
        void input(int output, int fundingTx, int vout);

        void output(long value, int owner);

        /** Closes a block of the transactions since the last one. */
        void endBlock(int height);
    }

    /**
     * @param seed random seed
     * @param outputs outputs to generate (edges)
     * @param txPerBlock transactions per block
     * @param hubs exchange hubs (each labelled; about 5% of all outputs go to one)
     */
    public record Settings(long seed, int outputs, int txPerBlock, int hubs) {
        public static Settings of(long seed, int outputs) {
            return new Settings(seed, outputs, 2_000, 10);
        }
    }

    private SyntheticChain() {
    }

    /** Generates the chain into {@code sink}; returns the number of transactions. */
    public static int generate(Settings s, Sink sink) {
        SplittableRandom rnd = new SplittableRandom(s.seed());
        int cap = Math.max(1024, s.outputs());
        int[] unspent = new int[cap];
        long[] value = new long[cap];
        int[] fundingTx = new int[cap];
        int[] vout = new int[cap];
        int pool = 0;
        int made = 0;
        int owners = Math.max(100, s.outputs() / 3);
        for (int h = 0; h < s.hubs(); h++) {
            sink.endpoint(h, true);
        }
        for (int i = 0; i < owners / 1000; i++) {
            sink.endpoint(s.hubs() + rnd.nextInt(owners - s.hubs()), false);
        }
        int peel = -1; // the change output a peel chain continues from, -1 when none runs
        int peelLeft = 0;
        int tx = 0;
        int inBlock = 0;
        int height = 0;
        while (made < s.outputs()) {
            sink.transaction(tx);
            long in = 0;
            int outs;
            boolean coinjoin = false;
            if (peel >= 0) {
                // Peel chain: one input, a small payment and the change, which the next step spends.
                int at = indexOf(unspent, pool, peel);
                in = spend(sink, unspent, value, fundingTx, vout, at, pool--);
                outs = 2;
            } else {
                int inputs = pool < 32 || rnd.nextInt(16) == 0 ? 0
                        : rnd.nextInt(200) == 0 ? 5 + rnd.nextInt(11)           // CoinJoin-like
                        : rnd.nextInt(10) == 0 ? 2 + rnd.nextInt(6) : 1 + rnd.nextInt(2);
                if (inputs == 0) {
                    sink.input(-1, -1, -1);
                    in = 1 + rnd.nextLong(5_000_000_000L);
                }
                coinjoin = inputs >= 5;
                for (int k = 0; k < inputs && pool > 0; k++) {
                    // Recent coins are spent most: pick from the newest part of the pool.
                    int window = Math.min(pool, 4096);
                    in += spend(sink, unspent, value, fundingTx, vout, pool - 1 - rnd.nextInt(window), pool--);
                }
                outs = coinjoin ? inputs + rnd.nextInt(inputs) : rnd.nextInt(8) == 0 ? 3 + rnd.nextInt(8) : 2;
            }
            long fee = in > 10_000 ? rnd.nextLong(in / 5000 + 1) : 0;
            long left = in - fee;
            long equal = coinjoin ? left / (2L * outs) : 0;
            for (int j = 0; j < outs && made < s.outputs(); j++) {
                long v = j == outs - 1 ? left : equal > 0 ? equal : peel >= 0 && j == 0 ? left / (20 + rnd.nextInt(80)) : rnd.nextLong(left + 1);
                left -= v;
                int owner = rnd.nextInt(20) == 0 ? rnd.nextInt(s.hubs()) : heavyTailed(rnd, owners, s.hubs());
                int id = made++;
                sink.output(v, owner);
                value[id] = v;
                fundingTx[id] = tx;
                vout[id] = j;
                unspent[pool++] = id;
            }
            // The last output is the change: a peel chain goes on from it, or one starts now and then.
            if (peel >= 0 && --peelLeft > 0) {
                peel = made - 1;
            } else if (peel < 0 && rnd.nextInt(100) == 0 && !coinjoin) {
                peel = made - 1;
                peelLeft = 10 + rnd.nextInt(90);
            } else {
                peel = -1;
            }
            tx++;
            if (++inBlock == s.txPerBlock()) {
                sink.endBlock(height++);
                inBlock = 0;
            }
        }
        if (inBlock > 0) {
            sink.endBlock(height);
        }
        return tx;
    }

    private static long spend(Sink sink, int[] unspent, long[] value, int[] fundingTx, int[] vout, int at, int pool) {
        int out = unspent[at];
        sink.input(out, fundingTx[out], vout[out]);
        unspent[at] = unspent[pool - 1];
        return value[out];
    }

    private static int indexOf(int[] unspent, int pool, int output) {
        for (int i = pool - 1; i >= 0; i--) {
            if (unspent[i] == output) {
                return i;
            }
        }
        throw new IllegalStateException("output " + output + " is not unspent");
    }

    /** Owners above the hubs, small ids far more often (a cubed uniform: a few receive very often). */
    private static int heavyTailed(SplittableRandom rnd, int owners, int hubs) {
        double u = rnd.nextDouble();
        return hubs + (int) ((owners - hubs) * u * u * u);
    }

    /** A transaction's id as a hash: distinct and spread like real txids. */
    public static Hash256 txid(long seed, int tx) {
        return new Hash256(mix(seed, tx, 0x5478));
    }

    /** Owner {@code owner}'s address: a P2WPKH address with a program derived from the id. */
    public static Address address(long seed, int owner) {
        byte[] program = java.util.Arrays.copyOf(mix(seed, owner, 0x4164), 20);
        return new Address(Chain.BITCOIN, ScriptKind.P2WPKH, SegwitAddress.fromProgram(BitcoinNetwork.MAINNET, 0, program).toString());
    }

    private static byte[] mix(long seed, int id, int salt) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ ((long) salt << 32 | id & 0xffffffffL));
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i += 8) {
            long x = r.nextLong();
            for (int k = 0; k < 8; k++) {
                b[i + k] = (byte) (x >>> (8 * k));
            }
        }
        return b;
    }
}
