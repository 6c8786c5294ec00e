package io.chaintrace.ingest.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.base.internal.ByteUtils;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionWitness;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptBuilder;

/**
 * A Bitcoin Core {@code blocks/} directory of generated blocks shaped like mainnet's of 2019-2024, for ingest at
 * full-chain shape: 2,000-3,500 transactions a block; outputs of the period's script mix (P2WPKH about half, P2PKH,
 * P2SH, P2TR, P2WSH); one to a dozen inputs (most one or two, a heavy tail of consolidations) with their signatures'
 * bytes (a witness for SegWit and Taproot spends, a script for the old ones), so a block is mainnet's size (1-1.6 MB);
 * coins spent at an age drawn log-uniformly from one block to the whole history written (mainnet spends reach back
 * months and years: at 2,750 transactions a block, 10^7 transactions are 25 days of blocks, so here "the whole history");
 * payees new addresses mostly, a heavy-tailed share reused (exchanges, services); a payment and its change; the
 * coinbase's commitment to the block's witnesses (BIP141). Blocks are
 * framed with regtest's magic and solved at regtest's target (mainnet's proof of work is out of reach), in files of at
 * most 128 MiB as Core writes them. Deterministic per seed.
 */
public final class MainnetShape {
    /** What was written. */
    public record Summary(int blocks, long transactions, long inputs, long outputs, long bytes, int files) {
    }

    /**
     * Which generator wrote a directory, for those that keep one (benchmarks): 2 since the coinbases commit to the
     * blocks' witnesses (BIP141), which the ingest requires.
     */
    public static final int GENERATION = 2;

    private static final int REGTEST_MAGIC = 0xdab5bffa;
    private static final long FILE_BYTES = 128L << 20;
    private static final long START = 1_546_300_800L; // 2019-01-01

    private final SplittableRandom rnd;
    /** Per block, its unspent outputs: (transaction number << 16 | vout), value, script kind; removed by swap. */
    private final List<long[]> unspentRefs = new ArrayList<>();
    private final List<long[]> unspentValues = new ArrayList<>();
    private final List<byte[]> unspentKinds = new ArrayList<>();
    private int[] unspentCount = new int[1024];
    private long unspent;
    /** Transaction ids by number, as bitcoinj computed them. */
    private final List<Sha256Hash> txids = new ArrayList<>();
    private final List<byte[]> reused = new ArrayList<>();
    private int nextKey;

    private MainnetShape(long seed) {
        rnd = new SplittableRandom(seed);
    }

    /**
     * Writes {@code transactions} transactions (about; whole blocks) into {@code dir} as {@code blk00000.dat}...;
     * {@code progress} gets the transactions written after each block.
     */
    public static Summary write(long transactions, long seed, Path dir, LongConsumer progress) throws IOException {
        Context.propagate(new Context());
        Files.createDirectories(dir);
        return new MainnetShape(seed).run(transactions, dir, progress);
    }

    private Summary run(long transactions, Path dir, LongConsumer progress) throws IOException {
        Sha256Hash prev = Sha256Hash.ZERO_HASH;
        long txs = 0;
        long ins = 0;
        long outs = 0;
        long bytes = 0;
        int file = 0;
        long inFile = 0;
        int h = 0;
        OutputStream out = Files.newOutputStream(dir.resolve(String.format("blk%05d.dat", file)));
        try {
            for (; txs < transactions; h++) {
                int n = h == 0 ? 1 : 2_000 + rnd.nextInt(1_501);
                List<Transaction> block = new ArrayList<>(n);
                // Until there are coins enough to fill blocks, they are payouts that spread them (as mining pools do).
                boolean spreading = unspent < 50_000;
                int room = n * (spreading ? 61 : 3) + 64;
                long[] blockRefs = new long[room];
                long[] blockValues = new long[room];
                byte[] blockKinds = new byte[room];
                int blockOutputs = 0;
                long fees = 0;
                // The coinbase: subsidy plus fees, paid when the block's fees are known (added first below).
                for (int i = 1; i < n && h > 0; i++) {
                    Transaction tx = new Transaction();
                    int inputs = spreading ? 1 : inputs();
                    long in = 0;
                    for (int k = 0; k < inputs; k++) {
                        long[] spent = spend(h);
                        if (spent == null) {
                            break;
                        }
                        int number = (int) (spent[0] >>> 16);
                        TransactionInput input = tx.addInput(txids.get(number), spent[0] & 0xffff, scriptSig((int) spent[2]));
                        if (spent[2] != P2PKH) {
                            tx.replaceInput(tx.getInputs().size() - 1, input.withWitness(witness((int) spent[2])));
                        }
                        in += spent[1];
                    }
                    if (tx.getInputs().isEmpty()) {
                        break; // nothing left to spend in this history
                    }
                    long fee = Math.min(in / 2, 1_000 + rnd.nextInt(20_000) * (long) tx.getInputs().size());
                    long left = in - fee;
                    int outputs = spreading ? 20 + rnd.nextInt(41) : outputs();
                    for (int k = 0; k < outputs && left > 0; k++) {
                        if (blockOutputs == room - 1) {
                            break; // the coinbase's place
                        }
                        long v = k == outputs - 1 ? left : Math.max(546, Math.min(left, (long) (left * (0.05 + 0.9 * rnd.nextDouble()))));
                        v = Math.min(v, left);
                        int kind = kind();
                        tx.addOutput(Coin.valueOf(v), script(kind));
                        blockRefs[blockOutputs] = (long) txids.size() << 16 | k;
                        blockValues[blockOutputs] = v;
                        blockKinds[blockOutputs] = (byte) kind;
                        blockOutputs++;
                        left -= v;
                    }
                    fees += fee + left;
                    txids.add(tx.getTxId());
                    block.add(tx);
                    ins += tx.getInputs().size();
                    outs += tx.getOutputs().size();
                }
                Transaction coinbase = Transaction.coinbase(new ScriptBuilder().number(h).number(rnd.nextInt()).build().program());
                long reward = 625_000_000L + fees;
                int kind = P2WPKH;
                coinbase.addOutput(Coin.valueOf(reward), script(kind));
                // The coinbase's transaction number comes after the block's others: txids in the order they were made.
                blockRefs[blockOutputs] = (long) txids.size() << 16;
                blockValues[blockOutputs] = reward;
                blockKinds[blockOutputs] = (byte) kind;
                blockOutputs++;
                block.addFirst(coinbase);
                if (block.size() > 1) {
                    commitToWitnesses(block, prev, h);
                    outs++;
                }
                txids.add(coinbase.getTxId());
                outs++;
                ins++;
                unspentRefs.add(blockRefs);
                unspentValues.add(blockValues);
                unspentKinds.add(blockKinds);
                if (h == unspentCount.length) {
                    unspentCount = java.util.Arrays.copyOf(unspentCount, h * 2);
                }
                unspentCount[h] = blockOutputs;
                unspent += blockOutputs;
                Block b = new Block(2, prev, null, Instant.ofEpochSecond(START + 600L * h), 0x207fffffL, 0, block);
                b.solve();
                byte[] raw = b.serialize();
                if (inFile > 0 && inFile + raw.length + 8 > FILE_BYTES) {
                    out.close();
                    out = Files.newOutputStream(dir.resolve(String.format("blk%05d.dat", ++file)));
                    inFile = 0;
                }
                out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(REGTEST_MAGIC).putInt(raw.length).array());
                out.write(raw);
                inFile += raw.length + 8;
                bytes += raw.length + 8;
                prev = b.getHash();
                txs += block.size();
                progress.accept(txs);
            }
        } finally {
            out.close();
        }
        return new Summary(h, txs, ins, outs, bytes, file + 1);
    }

    /**
     * Adds to the block's coinbase (first) the witness commitment (BIP141) Core's miners put there: an output
     * {@code OP_RETURN aa21a9ed} followed by the double SHA-256 of the witness merkle root and the coinbase's one
     * 32-byte witness item (zeros, as Core's miners leave it). The ingest refuses witnesses nothing commits to.
     */
    private static void commitToWitnesses(List<Transaction> block, Sha256Hash prev, int h) {
        Transaction coinbase = block.getFirst();
        byte[] reserved = new byte[32];
        coinbase.replaceInput(0, coinbase.getInput(0).withWitness(TransactionWitness.of(reserved)));
        // The witness root counts the coinbase's wtxid as zero, so the coinbase's outputs do not change it.
        Sha256Hash root = new Block(2, prev, null, Instant.ofEpochSecond(START + 600L * h), 0x207fffffL, 0, block).getWitnessRoot();
        byte[] commitment = Sha256Hash.hashTwice(root.serialize(), 0, 32, reserved, 0, 32);
        byte[] data = new byte[36];
        System.arraycopy(new byte[] {(byte) 0xaa, 0x21, (byte) 0xa9, (byte) 0xed}, 0, data, 0, 4);
        System.arraycopy(commitment, 0, data, 4, 32);
        coinbase.addOutput(Coin.ZERO, ScriptBuilder.createOpReturnScript(data));
    }

    static final int P2WPKH = 0;
    static final int P2PKH = 1;
    static final int P2SH = 2;
    static final int P2TR = 3;
    static final int P2WSH = 4;

    /** The period's output mix: P2WPKH 50%, P2PKH 20%, P2SH 17%, P2TR 9%, P2WSH 4%. */
    private int kind() {
        int r = rnd.nextInt(100);
        return r < 50 ? P2WPKH : r < 70 ? P2PKH : r < 87 ? P2SH : r < 96 ? P2TR : P2WSH;
    }

    /** Inputs of a transaction: one (58%), two (22%), three to five (14%), six to twelve (6%). */
    private int inputs() {
        int r = rnd.nextInt(100);
        return r < 58 ? 1 : r < 80 ? 2 : r < 94 ? 3 + rnd.nextInt(3) : 6 + rnd.nextInt(7);
    }

    /** Outputs: two (a payment and change, 70%), one (15%), three to ten (13%), a batch payout of 11-60 (2%). */
    private int outputs() {
        int r = rnd.nextInt(100);
        return r < 70 ? 2 : r < 85 ? 1 : r < 98 ? 3 + rnd.nextInt(8) : 11 + rnd.nextInt(50);
    }

    /** An unspent output of a block at a log-uniform age (1 block .. the whole history), taken out; null when none is left. */
    private long[] spend(int height) {
        for (int tries = 0; tries < 64; tries++) {
            int age = (int) Math.floor(Math.exp(rnd.nextDouble() * Math.log(height + 1)));
            int b = Math.max(0, height - Math.max(1, age));
            int c = unspentCount[b];
            if (c == 0) {
                continue;
            }
            int i = rnd.nextInt(c);
            long[] refs = unspentRefs.get(b);
            long[] values = unspentValues.get(b);
            byte[] kinds = unspentKinds.get(b);
            long[] spent = {refs[i], values[i], kinds[i]};
            refs[i] = refs[c - 1];
            values[i] = values[c - 1];
            kinds[i] = kinds[c - 1];
            unspentCount[b] = c - 1;
            unspent--;
            return spent;
        }
        return null;
    }

    /** A new owner mostly; 25% of the time one used before (heavy-tailed: the recent and the busy ones again). */
    private byte[] owner(int length) {
        if (!reused.isEmpty() && rnd.nextInt(4) == 0) {
            int i = reused.size() - 1 - (int) Math.min(reused.size() - 1, Math.floor(Math.exp(rnd.nextDouble() * Math.log(reused.size()))));
            byte[] o = reused.get(i);
            if (o.length == length) {
                return o;
            }
        }
        byte[] o = new byte[length];
        ByteUtils.writeInt32BE(nextKey++, o, 0);
        for (int i = 4; i < length; i++) {
            o[i] = (byte) rnd.nextInt(256);
        }
        if (reused.size() < 1_000_000) {
            reused.add(o);
        } else {
            reused.set(rnd.nextInt(reused.size()), o);
        }
        return o;
    }

    private Script script(int kind) {
        return switch (kind) {
            case P2WPKH -> ScriptBuilder.createP2WPKHOutputScript(owner(20));
            case P2PKH -> ScriptBuilder.createP2PKHOutputScript(owner(20));
            case P2SH -> ScriptBuilder.createP2SHOutputScript(owner(20));
            case P2WSH -> ScriptBuilder.createP2WSHOutputScript(owner(32));
            default -> {
                byte[] program = new byte[34];
                program[0] = 0x51; // OP_1: witness version 1, Taproot
                program[1] = 32;
                System.arraycopy(owner(32), 0, program, 2, 32);
                yield Script.parse(program);
            }
        };
    }

    private byte[] random(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        return b;
    }

    /** What spends a coin of that kind puts in the input script: a signature and key for P2PKH; P2SH-P2WPKH's redeem script. */
    private Script scriptSig(int kind) {
        return switch (kind) {
            case P2PKH -> new ScriptBuilder().data(random(72)).data(random(33)).build();
            case P2SH -> new ScriptBuilder().data(random(22)).build();
            default -> ScriptBuilder.createEmpty();
        };
    }

    /** The witness: a signature and a key (P2WPKH, P2SH-P2WPKH), a Schnorr signature (P2TR), two signatures and a 2-of-3 script (P2WSH). */
    private TransactionWitness witness(int kind) {
        return switch (kind) {
            case P2TR -> TransactionWitness.of(random(64));
            case P2WSH -> TransactionWitness.of(new byte[0], random(72), random(72), random(105));
            default -> TransactionWitness.of(random(72), random(33));
        };
    }
}
