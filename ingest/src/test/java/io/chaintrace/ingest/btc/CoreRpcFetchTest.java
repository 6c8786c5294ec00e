package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.remote.HttpService;
import io.chaintrace.loopback.BitcoinCoreServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bitcoinj.base.BitcoinNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch btc --rpc}: backward over Bitcoin Core's {@code getrawtransaction} (with -txindex), on
 * loopback serving the real blocks 0-589, equals traces over whole blocks; forward and address seeds
 * are refused with what to use instead, since Core keeps no index of spends or addresses.
 */
class CoreRpcFetchTest {
    static final HttpService.Settings FAST = new HttpService.Settings(Duration.ofSeconds(2), 4, Duration.ofMillis(10), 0);

    @TempDir
    Path dir;

    @Test
    void backwardFromTheNodeEqualsWholeBlocksAndForwardIsRefused() throws IOException {
        try (ChainStore whole = FirstBlocks.store(dir); ChainStore fetched = ChainStore.open(dir.resolve("fetched"));
             BitcoinCoreServer node = new BitcoinCoreServer("main",
                     BitcoinCoreServer.inChainOrder(BlockFileBytes.blocks(SharedData.blk("firstblocks.blk"))), "u", "p4ssword");
             CoreRpcTransactions rpc = new CoreRpcTransactions(new BitcoinCoreRpc(node.url(),
                     Optional.of(new BitcoinCoreRpc.Credentials("u", "p4ssword")), FAST), BitcoinNetwork.MAINNET)) {
            List<Seed> seeds = new ArrayList<>();
            for (int h = 1; h < 590 && seeds.size() < 10; h++) {
                List<Hash256> txs = whole.transactionIds(h);
                for (Hash256 txid : txs.subList(1, txs.size())) {
                    if (seeds.size() < 10) {
                        seeds.add(Seed.parse(txid.hex() + ":0"));
                    }
                }
            }
            NeighbourhoodFetch fetch = new NeighbourhoodFetch(rpc, fetched, "rpc");
            for (Seed seed : seeds) {
                fetch.run(seed, new NeighbourhoodFetch.Settings(3, false, true, Long.MAX_VALUE, Long.MAX_VALUE), p -> { });
            }
            for (Seed seed : seeds) {
                for (TaintPolicy p : TaintPolicy.ALL) {
                    if (p.name().equals("tiho")) {
                        continue; // no backward rule
                    }
                    for (int hops = 0; hops <= 3; hops++) {
                        TraceRequest q = new TraceRequest(List.of(seed), p, Direction.BACKWARD, Limits.DEFAULT.withHops(hops), TraceRequest.SERVICES,
                                false);
                        TraceResult a = new UtxoTracer(whole).trace(q);
                        TraceResult b = new UtxoTracer(fetched).trace(q);
                        assertEquals(a.outputs(), b.outputs(), seed + " " + p.name() + " " + hops);
                        assertEquals(a.account(), b.account(), seed + " " + p.name() + " " + hops);
                    }
                }
            }
            IllegalArgumentException forward = assertThrows(IllegalArgumentException.class, () -> fetch.run(seeds.getFirst(),
                    new NeighbourhoodFetch.Settings(2, true, false, Long.MAX_VALUE, Long.MAX_VALUE), p -> { }));
            assertTrue(forward.getMessage().contains("has no index of spends"), forward.getMessage());
            IllegalArgumentException address = assertThrows(IllegalArgumentException.class, () -> fetch.run(
                    Seed.parse("1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3"), new NeighbourhoodFetch.Settings(2, false, true, Long.MAX_VALUE,
                            Long.MAX_VALUE), p -> { }));
            assertTrue(address.getMessage().contains("no address index"), address.getMessage());
        }
    }
}
