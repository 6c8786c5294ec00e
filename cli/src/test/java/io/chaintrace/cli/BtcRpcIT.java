package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.loopback.BitcoinCoreServer;
import io.chaintrace.loopback.Faults;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chaintrace ingest btc-rpc} as a user runs it, against Bitcoin Core's JSON-RPC on loopback
 * serving the real blocks 0-589: the store equals the block files'; credentials from the cookie file
 * or the environment reach no output, log or metrics page; a failing node is one line and exit 5.
 */
class BtcRpcIT {
    static final String USER = "__cookie__";
    static final String PASSWORD = "9f3c1e7a2b4d6f8091a3c5e7f9b1d3e5";
    static List<byte[]> blocks;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        blocks = BitcoinCoreServer.inChainOrder(io.chaintrace.loopback.Loopback.framedBlocks(TestData.blk("firstblocks.blk")));
    }

    record Child(int exit, String out, String err) {
    }

    private Child child(List<String> envPairs, String... args) throws Exception {
        ProcessBuilder pb = TestData.child(List.of(), args);
        for (int i = 0; i < envPairs.size(); i += 2) {
            pb.environment().put(envPairs.get(i), envPairs.get(i + 1));
        }
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = p.waitFor();
        return new Child(exit, Files.readString(out), Files.readString(err));
    }

    @Test
    void aStoreFromTheNodeEqualsTheBlockFilesAndNoSecretIsShown() throws Exception {
        Path cookie = Files.writeString(dir.resolve(".cookie"), USER + ":" + PASSWORD);
        Path store = dir.resolve("store");
        Path metrics = dir.resolve("metrics.prom");
        Path files = TestData.ingested(dir.resolve("files"), "firstblocks.blk");
        try (BitcoinCoreServer node = new BitcoinCoreServer("main", blocks, USER, PASSWORD)) {
            Child c = child(List.of(), "ingest", "btc-rpc", "--rpc", node.url(), "--rpc-cookie", cookie.toString(), "--store",
                    store.toString(), "--confirmations", "1", "--metrics-out", metrics.toString());
            assertEquals(0, c.exit(), c.err());
            try (ChainStore a = ChainStore.openReadOnly(files); ChainStore b = ChainStore.openReadOnly(store)) {
                assertEquals(a.stats(), b.stats());
                assertEquals(a.chainDigest(), b.chainDigest());
            }
            assertTrue(c.err().contains("ingested 590 blocks"), c.err());
            Child stats = child(List.of(), "stats", "--store", store.toString());
            assertEquals(0, stats.exit(), stats.err());
            for (String text : List.of(c.out(), c.err(), stats.out(), Files.readString(metrics))) {
                assertFalse(text.contains(PASSWORD), "the cookie's password in: " + text);
            }
            try (Stream<Path> all = Files.walk(store)) {
                for (Path f : all.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("LOG")).toList()) {
                    assertFalse(Files.readString(f, StandardCharsets.ISO_8859_1).contains(PASSWORD), f.toString());
                }
            }
        }
    }

    @Test
    void aFailingNodeIsOneLineAndExit5WithoutItsCredentials() throws Exception {
        try (BitcoinCoreServer node = new BitcoinCoreServer("main", blocks, "alice", PASSWORD)) {
            node.faults().always(Faults.Fault.SERVER_ERROR);
            String url = node.url().replace("http://", "http://alice:" + PASSWORD + "@");
            for (String verbose : List.of("", "-v")) {
                List<String> args = new ArrayList<>(List.of("ingest", "btc-rpc", "--rpc", url, "--store", dir.resolve("s").toString(),
                        "--no-progress", "--timeout", "2"));
                if (!verbose.isEmpty()) {
                    args.addFirst(verbose);
                }
                Child c = child(List.of(), args.toArray(String[]::new));
                assertEquals(ExitCode.NODE, c.exit(), c.err());
                assertFalse((c.out() + c.err()).contains(PASSWORD), c.err());
                assertTrue(c.err().contains("Bitcoin Core RPC at http://***@127.0.0.1:"), c.err());
                if (verbose.isEmpty()) {
                    assertEquals(1, c.err().strip().lines().count(), c.err());
                }
            }
            // Credentials from the environment, wrong ones: refused at once, exit 5, not shown.
            node.faults().clear();
            Child env = child(List.of("CHAINTRACE_RPC_USER", "alice", "CHAINTRACE_RPC_PASSWORD", "wrong-" + PASSWORD), "ingest", "btc-rpc",
                    "--rpc", node.url(), "--store", dir.resolve("s").toString(), "--no-progress");
            assertEquals(ExitCode.NODE, env.exit(), env.err());
            assertTrue(env.err().contains("refused the credentials"), env.err());
            assertFalse(env.err().contains(PASSWORD), env.err());
        }
    }

    @Test
    void damagedBlockBytesAreBadInputNamingTheBlock() throws Exception {
        Path cookie = Files.writeString(dir.resolve(".cookie"), USER + ":" + PASSWORD);
        try (BitcoinCoreServer node = new BitcoinCoreServer("main", blocks, USER, PASSWORD)) {
            node.faults().always(Faults.Fault.CORRUPT);
            Child c = child(List.of(), "ingest", "btc-rpc", "--rpc", node.url(), "--rpc-cookie", cookie.toString(), "--store",
                    dir.resolve("s").toString(), "--no-progress", "--to", "20");
            assertEquals(ExitCode.BAD_INPUT, c.exit(), c.err());
            assertEquals(1, c.err().strip().lines().count(), c.err());
            assertTrue(c.err().contains("sent block " + node.hashAt(0) + " at height 0"), c.err());
        }
    }
}
