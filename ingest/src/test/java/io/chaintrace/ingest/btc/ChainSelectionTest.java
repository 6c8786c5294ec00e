package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bitcoinj.core.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Main-chain choice, arrival order, stale blocks, obfuscation and padding, on real mainnet blocks
 * 0-20 rearranged. Forks are mined on regtest (a few hashes a block), since every header's proof of
 * work is checked: a mainnet block with another nonce has none.
 */
class ChainSelectionTest {
    static List<byte[]> blocks;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        blocks = BlockFileBytes.blocks(SharedData.blk("firstblocks.blk")).subList(0, 21);
    }

    private BlockFileSource.Summary ingest(Path store, Path... inputs) {
        try (ChainStore cs = ChainStore.open(store)) {
            return new BlockFileSource(cs, List.of(inputs)).run(IngestListener.NONE);
        }
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return f;
    }

    private String digest(Path store) {
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            return cs.digest();
        }
    }

    @Test
    void blocksArrivingOutOfOrderGiveTheSameStore() throws IOException {
        Path inOrder = write("a/in-order.blk", BlockFileBytes.frame(blocks));
        List<byte[]> shuffled = new ArrayList<>(blocks);
        Collections.shuffle(shuffled, new Random(7));
        Path outOfOrder = write("b/shuffled.blk", BlockFileBytes.frame(shuffled));
        ingest(dir.resolve("s1"), inOrder);
        ingest(dir.resolve("s2"), outOfOrder);
        assertEquals(digest(dir.resolve("s1")), digest(dir.resolve("s2")));
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("s2"))) {
            for (int h = 0; h <= 20; h++) {
                assertEquals(BlockFileBytes.hash(blocks.get(h)), cs.blockAt(h).orElseThrow().hex(), "height " + h);
            }
        }
    }

    @Test
    void staleBlockOnAShorterBranchIsNotIngested() throws IOException {
        List<Block> chain = BlockFileBytes.regtest(21);
        Block fork = BlockFileBytes.mine(chain.get(4)); // competes with block 5 first...
        List<Block> input = new ArrayList<>(chain.subList(0, 6));
        input.add(1, fork); // ...and even arrives before it
        input.addAll(chain.subList(6, 21)); // but the real branch grows to height 20
        BlockFileSource.Summary s = ingest(dir.resolve("s"), regtestFile(input));
        assertEquals(1, s.stale());
        assertEquals(21, s.written());
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("s"))) {
            assertFalse(cs.hasBlock(Hash256.fromHex(fork.getHashAsString())));
            assertEquals(chain.get(5).getHashAsString(), cs.blockAt(5).orElseThrow().hex());
            assertEquals(21, cs.stats().blocks());
        }
    }

    @Test
    void mostWorkWinsOverArrivalOrder() throws IOException {
        // Blocks 0-5 arrive first; a rival 5' with a child 6' arrives later and has more work.
        List<Block> chain = BlockFileBytes.regtest(6);
        Block rival5 = BlockFileBytes.mine(chain.get(4));
        Block rival6 = BlockFileBytes.mine(rival5);
        List<Block> input = new ArrayList<>(chain);
        input.add(rival5);
        input.add(rival6);
        BlockFileSource.Summary s = ingest(dir.resolve("s"), regtestFile(input));
        assertEquals(1, s.stale());
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("s"))) {
            assertEquals(rival5.getHashAsString(), cs.blockAt(5).orElseThrow().hex());
            assertEquals(rival6.getHashAsString(), cs.blockAt(6).orElseThrow().hex());
            assertFalse(cs.hasBlock(Hash256.fromHex(chain.get(5).getHashAsString())));
            assertEquals(7, cs.stats().blocks());
        }
    }

    @Test
    void equalWorkKeepsTheBlockSeenFirst() throws IOException {
        List<Block> chain = BlockFileBytes.regtest(21);
        List<Block> input = new ArrayList<>(chain);
        input.add(BlockFileBytes.mine(chain.get(19)));
        BlockFileSource.Summary s = ingest(dir.resolve("s"), regtestFile(input));
        assertEquals(1, s.stale());
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("s"))) {
            assertEquals(chain.get(20).getHashAsString(), cs.blockAt(20).orElseThrow().hex());
        }
    }

    private Path regtestFile(List<Block> blocks) throws IOException {
        return write("f.blk", BlockFileBytes.frame(BlockFileBytes.serialized(blocks), BlockFileBytes.REGTEST));
    }

    @Test
    void xorObfuscatedBlocksDirectoryWithPaddingReadsLikeThePlainFile() throws IOException {
        byte[] plain = BlockFileBytes.frame(blocks);
        byte[] key = {0x3c, (byte) 0xa1, 0x07, 0x55, (byte) 0xee, 0x10, 0x7f, (byte) 0x92};
        byte[] padded = new byte[plain.length + 4096]; // Bitcoin Core preallocates: zeros follow
        System.arraycopy(plain, 0, padded, 0, plain.length);
        for (int i = 0; i < padded.length; i++) {
            padded[i] ^= key[i % 8];
        }
        write("blocks/blk00000.dat", padded);
        write("blocks/xor.dat", key);
        write("blocks/rev00000.dat", new byte[] {1, 2, 3}); // undo data: not a block file, ignored
        ingest(dir.resolve("obfuscated"), dir.resolve("blocks"));
        ingest(dir.resolve("plain"), write("plain.blk", plain));
        assertEquals(digest(dir.resolve("plain")), digest(dir.resolve("obfuscated")));
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("obfuscated"))) {
            assertEquals(21, cs.stats().blocks());
        }
    }

    @Test
    void ingestingAgainWritesNothingTwice() throws IOException {
        Path f = write("f.blk", BlockFileBytes.frame(blocks));
        ingest(dir.resolve("s"), f);
        String before = digest(dir.resolve("s"));
        BlockFileSource.Summary again = ingest(dir.resolve("s"), f);
        assertEquals(0, again.written());
        assertEquals(21, again.skipped());
        assertEquals(before, digest(dir.resolve("s")));
    }

    @Test
    void laterFilesContinueTheStoredChainWithResolvedInputs() throws IOException {
        // Ingest blocks 0-169 first, then 170-589 from a second run: block 170 spends block 9's
        // coinbase, which is resolved from the store.
        List<byte[]> all = BlockFileBytes.blocks(SharedData.blk("firstblocks.blk"));
        ingest(dir.resolve("s"), write("a.blk", BlockFileBytes.frame(all.subList(0, 170))));
        ingest(dir.resolve("s"), write("b.blk", BlockFileBytes.frame(all.subList(170, all.size()))));
        ingest(dir.resolve("one"), SharedData.blk("firstblocks.blk"));
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("s"))) {
            assertEquals(0, cs.stats().unresolvedInputs());
            assertEquals(590, cs.stats().blocks());
            assertTrue(cs.blockAt(589).isPresent());
        }
        assertEquals(digest(dir.resolve("one")), digest(dir.resolve("s")), "two runs store exactly what one run stores");
    }

    @Test
    void disconnectedBlocksAreAllIngestedWithTheirBip34Heights() {
        ingest(dir.resolve("s"), SharedData.blk("multiblock.blk"));
        ingest(dir.resolve("v2"), SharedData.blk("version2.blk"));
        try (ChainStore cs = ChainStore.openReadOnly(dir.resolve("s"));
             ChainStore v2 = ChainStore.openReadOnly(dir.resolve("v2"))) {
            assertEquals(3, cs.stats().blocks());
            assertTrue(cs.blockAt(0).isPresent(), "genesis at height 0");
            Hash256 h = Hash256.fromHex("000000000000000007e5cc6f598ac0d10d5c0ae2abacef7373b83914c715636d");
            int height = cs.block(h).orElseThrow().ref().height();
            // The block states its height in its coinbase (BIP34); the same block alone gets the same.
            assertTrue(height > 227_931, "a 2016 block is past BIP34 activation: " + height);
            assertEquals(height, v2.block(h).orElseThrow().ref().height());
        }
    }
}
