package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks asked in JSON-RPC batches store exactly what blocks asked one call at a time store, from a real Anvil holding
 * the theft scenario (ether, internal and token transfers): with batches that divide the range unevenly, with a node
 * that answers batches in reverse order (JSON-RPC 2.0 allows it; web3j pairs answers by position), with one that has no
 * {@code eth_getBlockReceipts}, and with one that does not take batches at all. And batching is what it is for: fewer
 * HTTP requests for the same blocks.
 */
@ExtendWith(AnvilExtension.class)
class EthBatchIT {
    static final EthRpcClient.Settings QUICK = EthBadInputIT.QUICK;
    static String anvilUrl;
    static long head;

    @TempDir
    Path dir;

    @BeforeAll
    static void play(AnvilExtension.Anvil anvil) throws Exception {
        TheftScenario.play(anvil.url());
        anvilUrl = anvil.url();
        try (EthRpcClient client = new EthRpcClient(anvilUrl, QUICK)) {
            head = client.head();
        }
    }

    /** Ingests blocks 0..head through a proxy in front of Anvil; returns the store's chain digest. */
    private String ingest(String name, int batch, NodeProxy proxy) {
        try (ChainStore store = ChainStore.open(dir.resolve(name)); EthRpcClient client = new EthRpcClient(proxy.url(), QUICK)) {
            EthRpcSource.Summary s = new EthRpcSource(store, client, new EthRpcSource.Settings(0, 2, false, batch), 0, head)
                    .run(IngestListener.NONE);
            assertEquals(head + 1, s.blocks(), name + ": every block");
            assertTrue(s.transfers() > 20, name + ": the scenario's transfers, " + s.transfers());
            return store.chainDigest();
        }
    }

    @Test
    void batchesStoreWhatSingleCallsStoreInFewerRequests() throws Exception {
        assertTrue(head >= 10, "the scenario mined blocks: " + head);
        try (NodeProxy single = new NodeProxy(anvilUrl, Set.of(), UnaryOperator.identity());
             NodeProxy batched = new NodeProxy(anvilUrl, Set.of(), UnaryOperator.identity());
             NodeProxy uneven = new NodeProxy(anvilUrl, Set.of(), UnaryOperator.identity())) {
            String expected = ingest("single", 1, single);
            assertEquals(expected, ingest("batched", 8, batched));
            assertEquals(expected, ingest("uneven", 3, uneven), "batches of 3 over a range that is not a multiple of 3");
            assertTrue(batched.requests.get() * 4 < single.requests.get(),
                    "HTTP requests: " + batched.requests.get() + " batched against " + single.requests.get() + " single");
            assertEquals(single.calls.get("eth_getBlockByNumber"), batched.calls.get("eth_getBlockByNumber"),
                    "the same blocks asked, none twice");
        }
    }

    @Test
    void batchesAnsweredOutOfOrderAreAskedAgainOneByOne() throws Exception {
        try (NodeProxy single = new NodeProxy(anvilUrl, Set.of(), UnaryOperator.identity());
             NodeProxy reversing = new NodeProxy(anvilUrl, Set.of(), UnaryOperator.identity())) {
            reversing.reverseBatches = true;
            String expected = ingest("single", 1, single);
            assertEquals(expected, ingest("reversed", 8, reversing));
        }
    }

    @Test
    void aNodeWithoutBlockReceiptsOrBatchesIsServed() throws Exception {
        try (NodeProxy single = new NodeProxy(anvilUrl, Set.of(), UnaryOperator.identity());
             NodeProxy noBlockReceipts = new NodeProxy(anvilUrl, Set.of("eth_getBlockReceipts"), UnaryOperator.identity());
             NodeProxy noBatches = new NodeProxy(anvilUrl, Set.of(), body -> body.startsWith("[")
                     ? "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,\"message\":\"batch requests are not supported\"}}"
                     : body)) {
            String expected = ingest("single", 1, single);
            assertEquals(expected, ingest("no-block-receipts", 8, noBlockReceipts));
            assertTrue(noBlockReceipts.calls.getOrDefault("eth_getTransactionReceipt", 0) > 20,
                    "receipts asked per transaction: " + noBlockReceipts.calls);
            assertEquals(expected, ingest("no-batches", 8, noBatches));
            assertTrue(noBatches.calls.getOrDefault("eth_getBlockByNumber", 0) > head, "blocks asked again one by one");
        }
    }
}
