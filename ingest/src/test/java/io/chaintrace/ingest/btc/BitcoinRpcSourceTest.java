package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.CorruptAnswerException;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.ServiceException;
import io.chaintrace.ingest.remote.HttpService;
import io.chaintrace.loopback.BitcoinCoreServer;
import io.chaintrace.loopback.Faults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bitcoinj.core.Block;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest btc-rpc} against Bitcoin Core's JSON-RPC served on loopback from the real blocks 0-589:
 * the store equals the one block files give; a reorg the node serves is rolled back to exactly the
 * store a clean ingest of the new branch gives; faults are one clear error and nothing half-written.
 */
class BitcoinRpcSourceTest {
    static final String USER = "alice";
    static final String PASSWORD = "S3cr3t-pa55word";
    static final HttpService.Settings FAST = new HttpService.Settings(Duration.ofSeconds(2), 5, Duration.ofMillis(10), 0);

    static List<byte[]> blocks;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        blocks = BitcoinCoreServer.inChainOrder(BlockFileBytes.blocks(SharedData.blk("firstblocks.blk")));
    }

    private static BitcoinCoreRpc client(BitcoinCoreServer node) {
        return new BitcoinCoreRpc(node.url(), Optional.of(new BitcoinCoreRpc.Credentials(USER, PASSWORD)), FAST);
    }

    private static BitcoinRpcSource.Summary ingest(ChainStore cs, BitcoinCoreServer node, int to) {
        try (BitcoinCoreRpc rpc = client(node)) {
            return new BitcoinRpcSource(cs, rpc, new BitcoinRpcSource.Settings(0, to, false, 1, Duration.ZERO), 2).run(IngestListener.NONE);
        }
    }

    @Test
    void theNodeGivesTheStoreTheBlockFilesGive() throws IOException {
        assertEquals(590, blocks.size(), "blocks 0-589");
        Path fromFiles = dir.resolve("files");
        Path fromNode = dir.resolve("node");
        try (ChainStore a = ChainStore.open(fromFiles); ChainStore b = ChainStore.open(fromNode);
             BitcoinCoreServer node = new BitcoinCoreServer("main", blocks, USER, PASSWORD)) {
            new BlockFileSource(a, List.of(SharedData.blk("firstblocks.blk"))).run(IngestListener.NONE);
            // In two runs: the second continues after the stored tip.
            BitcoinRpcSource.Summary first = ingest(b, node, 300);
            assertEquals(301, first.written());
            long before = node.requests();
            BitcoinRpcSource.Summary second = ingest(b, node, -1);
            assertEquals(289, second.written());
            assertTrue(node.requests() - before < 40, "batched: " + (node.requests() - before) + " requests for 289 blocks");
            assertEquals(a.stats(), b.stats());
            assertEquals(a.chainDigest(), b.chainDigest());
            assertEquals(0, ingest(b, node, -1).written(), "nothing new");
            try (BitcoinCoreRpc rpc = client(node)) {
                IllegalArgumentException gap = assertThrows(IllegalArgumentException.class, () -> new BitcoinRpcSource(b, rpc,
                        new BitcoinRpcSource.Settings(600, -1, false, 1, Duration.ZERO), 1).run(IngestListener.NONE));
                assertTrue(gap.getMessage().contains("would leave a gap after the stored tip at height 589"), gap.getMessage());
            }
        }
    }

    @Test
    void aReorgServedByTheNodeIsRolledBackToTheNewBranch() throws IOException {
        // Regtest: forks with real proof of work take a few hashes a block.
        List<Block> chainA = BlockFileBytes.regtest(12);
        List<Block> chainB = new ArrayList<>(chainA.subList(0, 7));
        while (chainB.size() < 14) {
            chainB.add(BlockFileBytes.mine(chainB.getLast()));
        }
        List<byte[]> a = BlockFileBytes.serialized(chainA);
        List<byte[]> b = BlockFileBytes.serialized(chainB);
        try (ChainStore reorged = ChainStore.open(dir.resolve("reorged")); ChainStore clean = ChainStore.open(dir.resolve("clean"));
             BitcoinCoreServer node = new BitcoinCoreServer("regtest", a, USER, PASSWORD)) {
            assertEquals(12, ingest(reorged, node, -1).written());
            reorged.cluster(1000, n -> { });
            node.serve(b);
            BitcoinRpcSource.Summary s = ingest(reorged, node, -1);
            assertEquals(5, s.rolledBack(), "blocks 7-11 of the old branch");
            assertEquals(7, s.written(), "blocks 7-13 of the new one");
            reorged.cluster(1000, n -> { });
            ingest(clean, node, -1);
            clean.cluster(1000, n -> { });
            assertEquals(clean.stats(), reorged.stats());
            assertEquals(clean.digest(), reorged.digest(), "checkpoints included: the same source, the same blocks");
        }
    }

    @Test
    void aNodeOnAnotherChainRollsNothingBack() throws IOException {
        List<byte[]> regtest = BlockFileBytes.serialized(BlockFileBytes.regtest(3));
        try (ChainStore cs = ChainStore.open(dir.resolve("s")); BitcoinCoreServer main = new BitcoinCoreServer("main", blocks, USER, PASSWORD);
             BitcoinCoreServer other = new BitcoinCoreServer("main", regtest, USER, PASSWORD)) {
            ingest(cs, main, 150);
            String digest = cs.digest();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ingest(cs, other, -1));
            assertTrue(e.getMessage().contains("another network or chain"), e.getMessage());
            assertEquals(digest, cs.digest());
        }
    }

    @Test
    void faultsAreRetriedThenReportedWithNothingHalfWritten() throws IOException {
        try (ChainStore cs = ChainStore.open(dir.resolve("s")); BitcoinCoreServer node = new BitcoinCoreServer("main", blocks, USER, PASSWORD)) {
            // A few of each fault, fewer than the attempts: retried through, the store complete.
            node.faults().add(Faults.Fault.RATE_LIMITED, 1).add(Faults.Fault.SERVER_ERROR, 1).add(Faults.Fault.MALFORMED, 1)
                    .stall(3_000).add(Faults.Fault.TIMEOUT, 1);
            assertEquals(51, ingest(cs, node, 50).written());
            String digest = cs.digest();
            for (Faults.Fault f : List.of(Faults.Fault.SERVER_ERROR, Faults.Fault.MALFORMED, Faults.Fault.RATE_LIMITED)) {
                node.faults().clear();
                node.faults().always(f);
                ServiceException e = assertThrows(ServiceException.class, () -> ingest(cs, node, 100), f.name());
                assertTrue(e.getMessage().startsWith("Bitcoin Core RPC at " + node.url()), e.getMessage());
                assertTrue(e.getMessage().contains("failed after 5 attempts"), e.getMessage());
                assertEquals(digest, cs.digest(), f + ": nothing written");
            }
            node.faults().clear();
            // Block bytes that do not hash to the block asked for: refused, naming the block, nothing stored.
            node.faults().always(Faults.Fault.CORRUPT);
            CorruptAnswerException bad = assertThrows(CorruptAnswerException.class, () -> ingest(cs, node, 100));
            // The flipped byte lies among the transactions: the merkle root no longer matches the header.
            assertTrue(bad.getMessage().contains("sent block " + node.hashAt(51) + " at height 51: invalid block"), bad.getMessage());
            node.faults().clear();
            assertEquals(50, cs.tip().orElseThrow().ref().height(), "nothing after the stored tip");
            assertEquals(digest, cs.digest());
        }
    }

    @Test
    void wrongCredentialsFailAtOnceWithoutShowingThem() throws IOException {
        try (ChainStore cs = ChainStore.open(dir.resolve("s")); BitcoinCoreServer node = new BitcoinCoreServer("main", blocks, USER, "other");
             BitcoinCoreRpc rpc = client(node)) {
            ServiceException e = assertThrows(ServiceException.class, () ->
                    new BitcoinRpcSource(cs, rpc, new BitcoinRpcSource.Settings(0, -1, false, 1, Duration.ZERO), 1).run(IngestListener.NONE));
            assertTrue(e.getMessage().contains("refused the credentials (HTTP 401)"), e.getMessage());
            assertTrue(!e.getMessage().contains(PASSWORD), e.getMessage());
            assertEquals(1, node.requests(), "no retries on refused credentials");
        }
    }

    @Test
    void credentialsComeFromTheCookieFileOrTheEnvironment() throws IOException {
        Path cookie = Files.writeString(dir.resolve(".cookie"), "__cookie__:" + PASSWORD);
        assertEquals(Optional.of(new BitcoinCoreRpc.Credentials("__cookie__", PASSWORD)),
                BitcoinCoreRpc.Credentials.resolve("http://127.0.0.1:1/", cookie, Map.of()));
        assertEquals(Optional.of(new BitcoinCoreRpc.Credentials("u", "p4ssw0rd")), BitcoinCoreRpc.Credentials.resolve("http://127.0.0.1:1/", null,
                Map.of(BitcoinCoreRpc.USER_ENV, "u", BitcoinCoreRpc.PASSWORD_ENV, "p4ssw0rd")));
        assertEquals(Optional.of(new BitcoinCoreRpc.Credentials("a", "b")), BitcoinCoreRpc.Credentials.resolve("http://a:b@127.0.0.1:1/", null, Map.of()));
        assertEquals(Optional.empty(), BitcoinCoreRpc.Credentials.resolve("http://127.0.0.1:1/", null, Map.of()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BitcoinCoreRpc.Credentials.cookie(Files.writeString(dir.resolve("bad"), "no colon here")));
        assertTrue(e.getMessage().contains(dir.resolve("bad").toString()), e.getMessage());
        assertNotEquals(-1, new BitcoinCoreRpc.Credentials("u", PASSWORD).toString().indexOf("***"));
    }

    @Test
    void followPicksUpNewBlocksAndReorgsUntilInterrupted() throws Exception {
        List<Block> chain = BlockFileBytes.regtest(5);
        try (ChainStore cs = ChainStore.open(dir.resolve("s"));
             BitcoinCoreServer node = new BitcoinCoreServer("regtest", BlockFileBytes.serialized(chain), USER, PASSWORD);
             BitcoinCoreRpc rpc = client(node)) {
            List<Throwable> ended = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread follower = Thread.ofPlatform().start(() -> {
                try {
                    new BitcoinRpcSource(cs, rpc, new BitcoinRpcSource.Settings(0, -1, true, 1, Duration.ofMillis(100)), 1)
                            .run(IngestListener.NONE);
                } catch (Throwable t) {
                    ended.add(t);
                }
            });
            awaitTip(cs, 4);
            List<Block> longer = new ArrayList<>(chain);
            longer.add(BlockFileBytes.mine(longer.getLast()));
            longer.add(BlockFileBytes.mine(longer.getLast()));
            node.serve(BlockFileBytes.serialized(longer));
            awaitTip(cs, 6);
            // A reorg while following: blocks 4-6 replaced by a longer branch from block 3.
            List<Block> branch = new ArrayList<>(chain.subList(0, 4));
            while (branch.size() < 9) {
                branch.add(BlockFileBytes.mine(branch.getLast()));
            }
            node.serve(BlockFileBytes.serialized(branch));
            awaitTip(cs, 8);
            assertEquals(node.hashAt(8), cs.tip().orElseThrow().ref().hash().hex());
            assertEquals(node.hashAt(4), cs.blockAt(4).orElseThrow().hex(), "the replaced block 4 is the new branch's");
            follower.interrupt();
            follower.join(10_000);
            assertTrue(!follower.isAlive(), "stops when interrupted");
            assertEquals(9, cs.stats().blocks(), "blocks 0-8 of the branch, nothing of the old one");
        }
    }

    private static void awaitTip(ChainStore cs, int height) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (cs.tip().map(b -> b.ref().height()).orElse(-1) < height) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("tip did not reach " + height + ": " + cs.tip());
            }
            Thread.sleep(20);
        }
    }
}
