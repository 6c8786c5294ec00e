package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks written in groups, with their inputs resolved from the outputs of recent blocks held in memory, give the store
 * that writing each block on its own and reading every input from the store gives - however the group and the memory
 * are cut, and also when only the blocks not yet written are held.
 */
class GroupedBlocksTest {
    @TempDir
    Path dir;

    /**
     * A chain of 80 blocks of 1-40 transactions. Each transaction spends 1-3 unspent outputs at a random age (the same
     * block, the one before, or far back: the ages the memory holds, is cut at, and does not hold) and pays 1-4 of 400
     * owners, most of them seen before.
     */
    static List<NewBlock> chain(long seed) {
        Random r = new Random(seed);
        List<Address> owners = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            owners.add(new Address(Chain.BITCOIN, i % 2 == 0 ? ScriptKind.P2WPKH : ScriptKind.P2PKH, "owner-" + seed + "-" + i));
        }
        List<List<Outpoint>> unspentByBlock = new ArrayList<>();
        List<NewBlock> blocks = new ArrayList<>();
        Hash256 prev = Hash256.ZERO;
        int txNumber = 0;
        for (int height = 0; height < 80; height++) {
            List<Outpoint> unspent = new ArrayList<>();
            unspentByBlock.add(unspent);
            List<NewBlock.NewTransaction> txs = new ArrayList<>();
            int n = 1 + r.nextInt(40);
            for (int t = 0; t < n; t++) {
                Hash256 txid = hash(1, txNumber++);
                List<Outpoint> spends = new ArrayList<>();
                if (t == 0) {
                    spends.add(Outpoint.COINBASE);
                } else {
                    for (int k = 1 + r.nextInt(3); k > 0; k--) {
                        int back = switch (r.nextInt(4)) {
                            case 0 -> 0;
                            case 1 -> Math.min(1, height);
                            default -> r.nextInt(height + 1);
                        };
                        List<Outpoint> from = unspentByBlock.get(height - back);
                        if (!from.isEmpty()) {
                            spends.add(from.remove(r.nextInt(from.size())));
                        }
                    }
                    if (spends.isEmpty()) {
                        spends.add(Outpoint.COINBASE);
                    }
                }
                List<TxOutput> outs = new ArrayList<>();
                for (int o = 1 + r.nextInt(4); o > 0; o--) {
                    Address owner = owners.get(r.nextInt(r.nextInt(4) == 0 ? owners.size() : 40 + height * 4));
                    outs.add(new TxOutput(outs.size(), 1 + r.nextInt(1_000_000), owner.kind(), Optional.of(owner)));
                }
                txs.add(new NewBlock.NewTransaction(txid, spends, outs));
                for (TxOutput o : outs) {
                    unspent.add(new Outpoint(txid, o.index()));
                }
            }
            Hash256 hash = hash(2, height);
            blocks.add(new NewBlock(hash, prev, height, 1_600_000_000L + height * 600L, BigInteger.valueOf(height + 1), txs));
            prev = hash;
        }
        return blocks;
    }

    private static Hash256 hash(int kind, int n) {
        byte[] b = new byte[32];
        b[0] = (byte) kind;
        b[1] = (byte) (n * 0x9E3779B1 >>> 24); // ids that sort apart from chain order, as real ones do
        b[30] = (byte) (n >>> 8);
        b[31] = (byte) n;
        return new Hash256(b);
    }

    /** The digest of a store written with these settings; every input resolved, every block read back as appended. */
    private String written(Path path, List<NewBlock> blocks, int groupTxs, int recentOutputs) {
        try (ChainStore s = ChainStore.open(path, groupTxs, recentOutputs)) {
            for (int i = 0; i < blocks.size(); i++) {
                NewBlock b = blocks.get(i);
                assertTrue(s.append(b, new Checkpoint("test", b.hash(), b.height(), i + 1)));
                assertTrue(s.hasBlock(b.hash()));
                assertFalse(s.append(b, new Checkpoint("test", b.hash(), b.height(), i + 1)), "a block still gathered is not taken twice");
            }
            NewBlock.NewTransaction middle = blocks.get(blocks.size() / 2).transactions().getFirst();
            assertEquals(middle.outputs().size(), s.transaction(middle.txid()).orElseThrow().outputs().size(), "a read sees what was appended");
        }
        try (ChainStore r = ChainStore.openReadOnly(path)) {
            assertEquals(0, r.stats().unresolvedInputs());
            assertEquals(blocks.size(), r.stats().blocks());
            assertEquals(blocks.getLast().hash(), r.checkpoint("test").orElseThrow().lastBlock());
            return r.digest();
        }
    }

    @Test
    void groupsAndRecentOutputsChangeNothingStored() {
        for (long seed = 1; seed <= 3; seed++) {
            List<NewBlock> blocks = chain(seed);
            String alone = written(dir.resolve(seed + "-alone"), blocks, 1, 0);
            assertEquals(alone, written(dir.resolve(seed + "-grouped"), blocks, BlockWriter.GROUP_TXS, BlockWriter.RECENT_OUTPUTS));
            // Groups of a few blocks while memory holds almost nothing: the blocks not yet written must stay held.
            assertEquals(alone, written(dir.resolve(seed + "-few"), blocks, 60, 0));
            assertEquals(alone, written(dir.resolve(seed + "-some"), blocks, 45, 150));
        }
    }

    @Test
    void aRefusedBlockLeavesTheBlocksGatheredBeforeItWhole() {
        List<NewBlock> blocks = chain(7).subList(0, 12);
        String good = written(dir.resolve("good"), blocks, 1, 0);
        NewBlock last = blocks.getLast();
        Address a = new Address(Chain.BITCOIN, ScriptKind.P2WPKH, "overflow");
        NewBlock.NewTransaction tooMuch = new NewBlock.NewTransaction(hash(3, 0), List.of(Outpoint.COINBASE),
                List.of(new TxOutput(0, Long.MAX_VALUE, a.kind(), Optional.of(a)), new TxOutput(1, Long.MAX_VALUE, a.kind(), Optional.of(a))));
        NewBlock bad = new NewBlock(hash(2, 999), last.hash(), last.height() + 1, last.time() + 600, BigInteger.valueOf(99), List.of(tooMuch));
        Path store = dir.resolve("refused");
        try (ChainStore s = ChainStore.open(store, BlockWriter.GROUP_TXS, BlockWriter.RECENT_OUTPUTS)) {
            for (int i = 0; i < blocks.size(); i++) {
                NewBlock b = blocks.get(i);
                s.append(b, new Checkpoint("test", b.hash(), b.height(), i + 1));
            }
            assertThrows(ArithmeticException.class, () -> s.append(bad, new Checkpoint("test", bad.hash(), bad.height(), 13)));
            assertFalse(s.hasBlock(bad.hash()));
        }
        try (ChainStore r = ChainStore.openReadOnly(store)) {
            assertEquals(good, r.digest());
            assertEquals(last.hash(), r.checkpoint("test").orElseThrow().lastBlock());
        }
    }
}
