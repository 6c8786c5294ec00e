package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;

/** The node replaces stored blocks (Anvil snapshot and revert): the next ingest rolls them back and continues. */
@ExtendWith(AnvilExtension.class)
class EthReorgIT {
    /** JSON-RPC answer kept as a tree. */
    public static final class Answer extends org.web3j.protocol.core.Response<JsonNode> {
    }

    static JsonNode rpc(String url, String method, Object... params) throws Exception {
        return new Request<>(method, List.of(params), new HttpService(url), Answer.class).send().getResult();
    }

    @Test
    void replacedBlocksAreRolledBackAndReplaced(AnvilExtension.Anvil anvil, @TempDir Path dir) throws Exception {
        rpc(anvil.url(), "anvil_mine", "0x5");
        String snapshot = rpc(anvil.url(), "evm_snapshot").asString();
        rpc(anvil.url(), "anvil_mine", "0x5");
        EthRpcClient.Settings quick = new EthRpcClient.Settings(java.time.Duration.ofSeconds(5), 3, java.time.Duration.ofMillis(20));
        EthRpcSource.Settings none = new EthRpcSource.Settings(0, 2, false);
        try (ChainStore store = ChainStore.open(dir.resolve("s")); EthRpcClient client = new EthRpcClient(anvil.url(), quick)) {
            new EthRpcSource(store, client, none, 0, Long.MAX_VALUE).run(IngestListener.NONE);
            Hash256 before = store.ethBlock(8).orElseThrow().hash();
            // The chain forks at block 6: revert, move time on so the new blocks differ, mine a longer branch.
            rpc(anvil.url(), "evm_revert", snapshot);
            rpc(anvil.url(), "evm_increaseTime", "0x3c");
            rpc(anvil.url(), "anvil_mine", "0x7");
            EthRpcSource.Summary s = new EthRpcSource(store, client, none, 0, Long.MAX_VALUE).run(IngestListener.NONE);
            assertEquals(5, s.rolledBack(), "blocks 6-10 of the old branch");
            assertEquals(7, s.blocks(), "blocks 6-12 of the new branch");
            assertNotEquals(before, store.ethBlock(8).orElseThrow().hash());
            for (long n = 0; n <= 12; n++) {
                assertEquals(client.block(n).hash(), store.ethBlock(n).orElseThrow().hash(), "block " + n);
            }
            assertEquals(13, store.ethStats().blocks());
        }
    }
}
