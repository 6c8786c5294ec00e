package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bitcoinj.base.Sha256Hash;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Headers that a node would refuse are bad input, never a branch: each case here was once
 * ingested and re-chained the store (589 real blocks made "stale" by one forged block). The real
 * blocks 0-589 around them keep their figures.
 */
class HeaderRulesTest {
    static List<byte[]> real;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        real = BlockFileBytes.blocks(SharedData.blk("firstblocks.blk"));
    }

    /** A copy of {@code block} with a header field changed (little-endian at {@code offset}). */
    private static byte[] withHeaderInt(byte[] block, int offset, int value) {
        byte[] copy = block.clone();
        ByteBuffer.wrap(copy, offset, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(value);
        return copy;
    }

    /** A copy of {@code block} as a child of {@code parent}. */
    private static byte[] childOf(byte[] block, byte[] parent) {
        byte[] copy = block.clone();
        System.arraycopy(Sha256Hash.hashTwice(parent, 0, 80), 0, copy, 4, 32);
        return copy;
    }

    /**
     * Ingests {@code input} as two files, the first half of the good blocks in one and the rest (the bad block
     * among them) in the other: the first file is stored, nothing of the second, and the store equals one that
     * had only the first file. Returns the error and the byte offset where the second file's blocks start in
     * {@code input}'s framing (what its offsets are relative to).
     */
    private BlockFileException refused(List<byte[]> input, int goodBlocks) throws IOException {
        int split = goodBlocks / 2;
        Path a = dir.resolve("a.blk");
        Path b = dir.resolve("b.blk");
        Files.write(a, BlockFileBytes.frame(input.subList(0, split)));
        Files.write(b, BlockFileBytes.frame(input.subList(split, input.size())));
        String firstFileOnly;
        try (ChainStore cs = ChainStore.open(dir.resolve("only-a"))) {
            new BlockFileSource(cs, List.of(a)).run(IngestListener.NONE);
            firstFileOnly = cs.digest();
        }
        try (ChainStore cs = ChainStore.open(dir.resolve("s"))) {
            BlockFileException e = assertThrows(BlockFileException.class,
                    () -> new BlockFileSource(cs, List.of(a, b)).run(IngestListener.NONE));
            assertTrue(e.getMessage().startsWith(b + ": offset "), e.getMessage());
            assertEquals(split, cs.stats().blocks(), "the first file's blocks, nothing of the file with the bad one: " + e.getMessage());
            for (int h = 0; h < split; h++) {
                assertEquals(BlockFileBytes.hash(real.get(h)), cs.blockAt(h).orElseThrow().hex(), "height " + h);
            }
            assertEquals(firstFileOnly, cs.digest(), "as if the second file had never been read");
            return e;
        }
    }

    @Test
    void aForgedChildOfGenesisWithoutWorkIsRefused() throws IOException {
        // nBits 0x03000001 (a target of 1) on a copy of block 1: it claims 2^256 / 2 work, and the hash is nowhere near.
        byte[] forged = withHeaderInt(real.get(1), 72, 0x03000001);
        List<byte[]> input = new ArrayList<>(real.subList(0, 50));
        input.add(forged);
        input.addAll(real.subList(50, 60));
        BlockFileException e = refused(input, 50);
        assertTrue(e.getMessage().contains("no proof of work"), e.getMessage());
        long offset = 8L * 25; // in the second file, after blocks 25-49
        for (byte[] b : real.subList(25, 50)) {
            offset += b.length;
        }
        assertTrue(e.getMessage().contains(": offset " + offset + ": "), e.getMessage()); // where the forged block's record starts
    }

    @Test
    void aTargetEasierThanTheNetworkAllowsIsRefused() throws IOException {
        // 0x207fffff is regtest's easiest target: a header that claims it on mainnet is mined in a few hashes.
        byte[] easy = withHeaderInt(childOf(real.get(11), real.get(10)), 72, 0x207fffff);
        List<byte[]> input = new ArrayList<>(real.subList(0, 11));
        input.add(easy);
        BlockFileException e = refused(input, 11);
        assertTrue(e.getMessage().contains("nBits 0x207fffff claims a target outside this network's range"), e.getMessage());
    }

    @Test
    void aFlippedTimestampByteIsRefused() throws IOException {
        // One byte of block 100's timestamp flipped: its hash no longer meets its target.
        byte[] flipped = real.get(100).clone();
        flipped[68] ^= 0x01;
        List<byte[]> input = new ArrayList<>(real.subList(0, 100));
        input.add(flipped);
        input.addAll(real.subList(101, 150));
        refused(input, 100);
    }

    @Test
    void timestampsAreCheckedAgainstTheMedianOfTheBlocksBeforeAndTheClock() {
        HeaderRules rules = new HeaderRules(org.bitcoinj.base.BitcoinNetwork.REGTEST, 2_000_000_000L);
        List<org.bitcoinj.core.Block> chain = BlockFileBytes.regtest(13);
        java.util.Map<io.chaintrace.core.model.Hash256, HeaderRules.Header> headers = new java.util.HashMap<>();
        for (int h = 0; h < chain.size(); h++) {
            var b = chain.get(h);
            headers.put(io.chaintrace.core.model.Hash256.fromHex(b.getHashAsString()), new HeaderRules.Header(
                    io.chaintrace.core.model.Hash256.fromHex(b.getHashAsString()), io.chaintrace.core.model.Hash256.fromHex(
                    b.getPrevBlockHash().toString()), h, 1_000_000L + 600L * h, b.getDifficultyTarget()));
        }
        var parent = chain.getLast();
        io.chaintrace.core.model.Hash256 prev = io.chaintrace.core.model.Hash256.fromHex(parent.getHashAsString());
        // The median of the 11 before: the time of height 7 (1,004,200); at it is refused, just after is fine.
        BlockRecord atMedian = record(prev, 1_004_200L, parent.getDifficultyTarget());
        BlockRecord after = record(prev, 1_004_201L, parent.getDifficultyTarget());
        BlockRecord future = record(prev, 2_000_000_000L + 7_201, parent.getDifficultyTarget());
        assertTrue(rules.violation(atMedian, 13, h -> java.util.Optional.ofNullable(headers.get(h))).orElseThrow()
                .contains("is not after the median time of the 11 blocks before it (1004200)"));
        assertEquals(java.util.Optional.empty(), rules.violation(after, 13, h -> java.util.Optional.ofNullable(headers.get(h))));
        assertTrue(rules.violation(future, 13, h -> java.util.Optional.ofNullable(headers.get(h))).orElseThrow()
                .contains("more than two hours ahead"));
    }

    /** A regtest header record that meets regtest's target (hash 0 stands in: the lookup, not the hash, is under test). */
    private static BlockRecord record(io.chaintrace.core.model.Hash256 prev, long time, long bits) {
        return new BlockRecord(0, Path.of("t.blk"), 0, 80, io.chaintrace.core.model.Hash256.ZERO, prev, 4, time, bits, true);
    }

    @Test
    void aRetargetMustMatchTheRules() {
        // Mainnet, block 2016's window: 2015 blocks after a first at time T; the parent at T + 2 weeks gives the same target.
        HeaderRules rules = new HeaderRules(org.bitcoinj.base.BitcoinNetwork.MAINNET, 2_000_000_000L);
        java.util.Map<io.chaintrace.core.model.Hash256, HeaderRules.Header> headers = new java.util.HashMap<>();
        io.chaintrace.core.model.Hash256 prev = io.chaintrace.core.model.Hash256.ZERO;
        long t0 = 1_300_000_000L;
        for (int h = 0; h < 2016; h++) {
            io.chaintrace.core.model.Hash256 hash = io.chaintrace.core.model.Hash256.fromHex(String.format("%064x", h + 1));
            long time = h == 2015 ? t0 + 7 * 86_400 : t0 + h; // the window took one week: the target halves
            headers.put(hash, new HeaderRules.Header(hash, prev, h, time, 0x1c0ffff0L));
            prev = hash;
        }
        var lookup = (HeaderRules.Headers) h -> java.util.Optional.ofNullable(headers.get(h));
        BlockRecord same = record(prev, t0 + 7 * 86_400 + 1, 0x1c0ffff0L);
        BlockRecord halved = record(prev, t0 + 7 * 86_400 + 1, 0x1c07fff8L);
        assertTrue(rules.violation(same, 2016, lookup).orElseThrow().contains("where the difficulty rules give 0x1c07fff8"));
        assertEquals(java.util.Optional.empty(), rules.violation(halved, 2016, lookup));
        // Between retargets the parent's nBits, nothing else.
        BlockRecord between = record(prev, t0 + 7 * 86_400 + 1, 0x1c07fff8L);
        assertTrue(rules.violation(between, 2015 + 2, lookup).isPresent());
    }

    @Test
    void nothingAfterABadBlockIsStoredAndARerunAfterTheFixEqualsACleanIngest() throws IOException {
        // A blocks/ directory: genesis, a damaged raw block (it looks like a block: a version, then noise), block 227836.
        Path blocks = Files.createDirectories(dir.resolve("blocks"));
        Files.copy(SharedData.blk("genesis.blk"), blocks.resolve("blk00000.dat"));
        byte[] noise = new byte[1_000];
        new java.util.Random(7).nextBytes(noise);
        ByteBuffer.wrap(noise).order(ByteOrder.LITTLE_ENDIAN).putInt(1);
        Files.write(blocks.resolve("blk00001.dat"), noise);
        Path raw = SharedData.blk("genesis.blk").getParent().getParent().resolve("raw");
        Files.copy(raw.resolve("block227836.bin"), blocks.resolve("blk00002.dat"));
        try (ChainStore cs = ChainStore.open(dir.resolve("s"))) {
            BlockFileException e = assertThrows(BlockFileException.class,
                    () -> new BlockFileSource(cs, List.of(blocks)).run(IngestListener.NONE));
            assertTrue(e.getMessage().startsWith(blocks.resolve("blk00001.dat") + ": offset 0: "), e.getMessage());
            assertEquals(1, cs.stats().blocks(), "genesis only: nothing after the damaged block");
        }
        // The user puts the right block in its place and runs the same command again.
        Files.copy(raw.resolve("block227835.bin"), blocks.resolve("blk00001.dat"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String resumed;
        try (ChainStore cs = ChainStore.open(dir.resolve("s"))) {
            new BlockFileSource(cs, List.of(blocks)).run(IngestListener.NONE);
            cs.cluster(1_000, n -> { });
            resumed = cs.digest();
            assertEquals(0, cs.stats().unresolvedInputs() - unresolvedOfACleanIngest(blocks), "no input left unresolved by the fault");
        }
        try (ChainStore clean = ChainStore.open(dir.resolve("clean"))) {
            new BlockFileSource(clean, List.of(blocks)).run(IngestListener.NONE);
            clean.cluster(1_000, n -> { });
            assertEquals(clean.digest(), resumed, "the rerun's store equals a clean ingest's, clustering included");
        }
    }

    private long unresolvedOfACleanIngest(Path blocks) {
        try (ChainStore cs = ChainStore.open(dir.resolve("probe"))) {
            new BlockFileSource(cs, List.of(blocks)).run(IngestListener.NONE);
            return cs.stats().unresolvedInputs();
        }
    }
}
