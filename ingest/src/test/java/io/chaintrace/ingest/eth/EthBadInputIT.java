package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Chain;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/** What goes wrong with a node, each case against a real Anvil (or nothing at all), with the store left intact. */
@ExtendWith(AnvilExtension.class)
class EthBadInputIT {
    static final EthRpcClient.Settings QUICK = new EthRpcClient.Settings(Duration.ofSeconds(5), 3, Duration.ofMillis(20));
    static final EthRpcSource.Settings NO_CONFIRMATIONS = new EthRpcSource.Settings(0, 2, false);

    @TempDir
    Path dir;

    @BeforeAll
    static void mine(AnvilExtension.Anvil anvil) throws Exception {
        Web3j web3 = Web3j.build(new HttpService(anvil.url()));
        new Request<>("anvil_mine", List.of("0x14"), new HttpService(anvil.url()), VoidResponse.class).send();
        web3.shutdown();
    }

    private EthRpcSource.Summary ingest(ChainStore store, String url, long from, long to, EthRpcSource.Settings s) {
        try (EthRpcClient client = new EthRpcClient(url, QUICK)) {
            return new EthRpcSource(store, client, s, from, to).run(IngestListener.NONE);
        }
    }

    @Test
    void unreachableNodeFailsAfterBoundedRetries() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            long t0 = System.nanoTime();
            EthRpcException e = assertThrows(EthRpcException.class, () -> ingest(store, "http://127.0.0.1:" + port, 0, 5, NO_CONFIRMATIONS));
            assertEquals("cannot reach Ethereum node at http://127.0.0.1:" + port + ": connection refused (3 attempts)", e.getMessage());
            assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "bounded");
            assertEquals(0, store.ethStats().blocks());
        }
    }

    @Test
    void malformedJsonFromTheNodeIsOneClearError(AnvilExtension.Anvil anvil) throws Exception {
        UnaryOperator<String> spoil = body -> body.contains("\"number\"") ? body.substring(0, body.length() / 2) : body;
        try (NodeProxy proxy = new NodeProxy(anvil.url(), Set.of(), spoil); ChainStore store = ChainStore.open(dir.resolve("s"))) {
            EthRpcException e = assertThrows(EthRpcException.class, () -> ingest(store, proxy.url(), 0, 5, NO_CONFIRMATIONS));
            assertTrue(e.getMessage().startsWith("node at " + proxy.url() + ": eth_getBlockByNumber(0): malformed answer: "), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line");
            assertEquals(0, store.ethStats().blocks());
        }
    }

    @Test
    void wrongChainIdAgainstTheStore(AnvilExtension.Anvil anvil) {
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            store.setChainId(Chain.ETHEREUM, "1");
            EthRpcException e = assertThrows(EthRpcException.class, () -> ingest(store, anvil.url(), 0, 5, NO_CONFIRMATIONS));
            assertEquals("node at " + anvil.url() + " serves chain id 31337 but the store holds chain id 1: use another store", e.getMessage());
            assertEquals(0, store.ethStats().blocks());
        }
    }

    @Test
    void nodeWithoutTraceMethodsIsNamedAndNoInternalIngestsAnyway(AnvilExtension.Anvil anvil) throws Exception {
        try (NodeProxy proxy = new NodeProxy(anvil.url(), Set.of("trace_block", "debug_traceBlockByNumber"), UnaryOperator.identity());
             ChainStore store = ChainStore.open(dir.resolve("s"))) {
            EthRpcException e = assertThrows(EthRpcException.class, () -> ingest(store, proxy.url(), 0, 5, NO_CONFIRMATIONS));
            assertEquals("node at " + proxy.url() + " offers neither trace_block nor debug_traceBlockByNumber, so internal transfers"
                    + " cannot be seen; rerun with --no-internal to ingest without them", e.getMessage());
            assertEquals(0, store.ethStats().blocks());
            EthRpcSource.Summary s = ingest(store, proxy.url(), 0, 5, new EthRpcSource.Settings(0, 2, true));
            assertEquals(TraceFormat.NONE, s.traces());
            assertEquals(6, store.ethStats().blocks());
        }
    }

    @Test
    void aGapAfterTheStoredBlocksIsRefused(AnvilExtension.Anvil anvil) {
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            ingest(store, anvil.url(), 0, 5, NO_CONFIRMATIONS);
            EthRpcException e = assertThrows(EthRpcException.class, () -> ingest(store, anvil.url(), 10, 15, NO_CONFIRMATIONS));
            assertEquals("the store holds Ethereum blocks up to 5; starting at 10 would leave a gap (start at 6 or lower)", e.getMessage());
            assertEquals(6, store.ethStats().blocks());
            // Resuming from the stored tip continues without writing anything twice.
            EthRpcSource.Summary s = ingest(store, anvil.url(), 0, 8, NO_CONFIRMATIONS);
            assertEquals(3, s.blocks());
            assertEquals(9, store.ethStats().blocks());
        }
    }

    @Test
    void confirmationsKeepTheNewestBlocksOut(AnvilExtension.Anvil anvil) {
        try (ChainStore store = ChainStore.open(dir.resolve("s"));
             EthRpcClient client = new EthRpcClient(anvil.url(), QUICK)) {
            long head = client.head();
            EthRpcSource.Summary s = new EthRpcSource(store, client, new EthRpcSource.Settings(12, 2, false), 0, Long.MAX_VALUE)
                    .run(IngestListener.NONE);
            assertEquals(head - 12, s.lastBlock());
            assertTrue(store.ethBlock(head - 12).isPresent());
            assertTrue(store.ethBlock(head - 11).isEmpty());
        }
    }

    @Test
    void rateLimitedRequestsAreRetriedWithBackoff(AnvilExtension.Anvil anvil) throws Exception {
        try (NodeProxy proxy = new NodeProxy(anvil.url(), Set.of(), UnaryOperator.identity());
             ChainStore store = ChainStore.open(dir.resolve("s"))) {
            proxy.rateLimited.set(2); // fewer than the 3 attempts a call gets
            EthRpcSource.Summary s = ingest(store, proxy.url(), 0, 3, NO_CONFIRMATIONS);
            assertEquals(2, proxy.refusedWith429.get());
            assertEquals(4, s.blocks());
            proxy.rateLimited.set(100); // more than it will wait for
            EthRpcException e = assertThrows(EthRpcException.class, () -> ingest(store, proxy.url(), 4, 6, NO_CONFIRMATIONS));
            assertTrue(e.getMessage().startsWith("Ethereum node at " + proxy.url() + " keeps failing: "), e.getMessage());
            assertTrue(e.getMessage().contains("429"), e.getMessage());
            assertEquals(4, store.ethStats().blocks(), "what was stored stays");
        }
    }
}
