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
import io.chaintrace.ingest.CorruptAnswerException;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.ServiceException;
import io.chaintrace.ingest.remote.HttpService;
import io.chaintrace.loopback.BitcoinCoreServer;
import io.chaintrace.loopback.EsploraServer;
import io.chaintrace.loopback.Faults;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.bitcoinj.base.BitcoinNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch btc --esplora} against Esplora's API on loopback, serving the real blocks 0-589: traces
 * over the fetched neighbourhoods equal traces over the whole blocks, for every policy, both ways,
 * within the hops fetched; beyond them they cut ("not fetched"), never "unspent".
 */
class EsploraFetchTest {
    static final int HOPS = 3;
    static final HttpService.Settings FAST = new HttpService.Settings(Duration.ofSeconds(2), 4, Duration.ofMillis(10), 0);

    @TempDir
    static Path dir;
    static ChainStore whole;
    static EsploraServer esplora;
    static List<Seed> seeds;

    @BeforeAll
    static void setUp() throws IOException {
        whole = FirstBlocks.store(dir);
        esplora = new EsploraServer(BitcoinNetwork.MAINNET,
                BitcoinCoreServer.inChainOrder(BlockFileBytes.blocks(SharedData.blk("firstblocks.blk"))), 0);
        // Ten seeds: block 9's coinbase (six hops to block 496), the first outputs of the first spending transactions of
        // 2009, and Hal Finney's address.
        seeds = new ArrayList<>(List.of(Seed.parse(FirstTraceTest.SEED)));
        for (int h = 1; h < 590 && seeds.size() < 9; h++) {
            List<Hash256> txs = whole.transactionIds(h);
            for (Hash256 txid : txs.subList(1, txs.size())) {
                if (seeds.size() < 9) {
                    seeds.add(Seed.parse(txid.hex() + ":0"));
                }
            }
        }
        seeds.add(Seed.parse("1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3"));
    }

    @AfterAll
    static void tearDown() {
        whole.close();
        esplora.close();
    }

    private static NeighbourhoodFetch.Summary fetch(ChainStore into, Seed seed, int hops, boolean forward, boolean backward) {
        try (EsploraApi api = new EsploraApi(esplora.url(), BitcoinNetwork.MAINNET, FAST)) {
            return new NeighbourhoodFetch(api, into, "esplora").run(seed, new NeighbourhoodFetch.Settings(hops, forward, backward,
                    Long.MAX_VALUE, Long.MAX_VALUE), p -> { });
        }
    }

    private static TraceResult trace(ChainStore store, Seed seed, TaintPolicy p, Direction d, int hops) {
        return new UtxoTracer(store).trace(new TraceRequest(List.of(seed), p, d, Limits.DEFAULT.withHops(hops), TraceRequest.SERVICES, false));
    }

    /** What must agree: each output's hop, value, taint and state, the cuts and the account. */
    private static String view(TraceResult r) {
        String outputs = r.outputs().stream().map(o -> o.outpoint() + " hop " + o.hop() + " value " + o.value() + " taint " + o.taint().amount()
                + " " + o.state() + " " + o.owner().map(a -> a.shown()).orElse("-")).collect(Collectors.joining("\n"));
        return outputs + "\naccount " + r.account() + "\ncuts " + r.cuts().size() + "\nendpoints " + r.byEntity();
    }

    @Test
    void tracesOverFetchedNeighbourhoodsEqualTracesOverWholeBlocks() {
        for (Direction d : Direction.values()) {
            try (ChainStore fetched = ChainStore.open(dir.resolve("fetched-" + d))) {
                for (Seed seed : seeds) {
                    fetch(fetched, seed, HOPS, d == Direction.FORWARD, d == Direction.BACKWARD);
                }
                assertTrue(fetched.stats().fetchedTxs() > 0);
                assertEquals(0, fetched.stats().blocks(), "a fetch stores transactions, not blocks");
                for (Seed seed : seeds) {
                    for (TaintPolicy p : TaintPolicy.ALL) {
                        if (d == Direction.BACKWARD && p.name().equals("tiho")) {
                            continue; // TIHO has no backward rule
                        }
                        for (int hops = 0; hops <= HOPS; hops++) {
                            assertEquals(view(trace(whole, seed, p, d, hops)), view(trace(fetched, seed, p, d, hops)),
                                    seed + " " + p.name() + " " + d + " " + hops + " hops");
                        }
                        // Beyond the hops fetched: cuts, never an output called unspent that whole blocks show spent.
                        TraceResult far = trace(fetched, seed, p, d, HOPS + 4);
                        TraceResult truth = trace(whole, seed, p, d, HOPS + 4);
                        Map<String, TraceResult.OutputState> real = truth.outputs().stream().collect(Collectors.toMap(o -> o.outpoint().toString(),
                                TraceResult.TaintedOutput::state));
                        for (TraceResult.TaintedOutput o : far.outputs()) {
                            if (o.state() == TraceResult.OutputState.UNSPENT) {
                                assertEquals(TraceResult.OutputState.UNSPENT, real.get(o.outpoint().toString()), seed + " " + o.outpoint());
                            }
                        }
                        if (p.conserving()) {
                            assertEquals(far.seeded(), far.account().accounted(), "conserved: " + seed + " " + p.name());
                        }
                    }
                }
            }
        }
    }

    /** Both ways into one store: what one direction fetched does not stop the other from following it. */
    @Test
    void aFetchBothWaysServesTracesBothWays() {
        try (ChainStore fetched = ChainStore.open(dir.resolve("both"))) {
            for (Seed seed : seeds) {
                fetch(fetched, seed, HOPS, true, true);
            }
            for (Seed seed : seeds) {
                for (TaintPolicy p : List.of(TaintPolicy.named("haircut"), TaintPolicy.named("fifo"), TaintPolicy.named("lifo"))) {
                    for (Direction d : Direction.values()) {
                        assertEquals(view(trace(whole, seed, p, d, HOPS)), view(trace(fetched, seed, p, d, HOPS)), seed + " " + p.name() + " " + d);
                    }
                }
            }
        }
    }

    /** The 2019 block alone: what the served data cannot say (the funding of its inputs) is unresolved on both sides. */
    @Test
    void theBlockOf2019FetchedEqualsTheBlockIngested() throws IOException {
        try (ChainStore block = ChainStore.open(dir.resolve("2019-whole")); ChainStore fetched = ChainStore.open(dir.resolve("2019-fetched"))) {
            new BlockFileSource(block, List.of(SharedData.blk("block2019Jan.blk"))).run(IngestListener.NONE);
            int height = block.tip().orElseThrow().ref().height();
            List<Hash256> txs = block.transactionIds(height);
            List<Seed> seeds2019 = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                seeds2019.add(Seed.parse(txs.get(i * 97).hex() + ":0"));
            }
            try (EsploraServer server = new EsploraServer(BitcoinNetwork.MAINNET, BlockFileBytes.blocks(SharedData.blk("block2019Jan.blk")),
                    height); EsploraApi api = new EsploraApi(server.url(), BitcoinNetwork.MAINNET, FAST)) {
                for (Seed seed : seeds2019) {
                    new NeighbourhoodFetch(api, fetched, "esplora").run(seed, new NeighbourhoodFetch.Settings(2, true, true, Long.MAX_VALUE,
                            Long.MAX_VALUE), p -> { });
                }
            }
            for (Seed seed : seeds2019) {
                for (TaintPolicy p : TaintPolicy.ALL) {
                    for (Direction d : Direction.values()) {
                        if (d == Direction.BACKWARD && p.name().equals("tiho")) {
                            continue;
                        }
                        assertEquals(view(trace(block, seed, p, d, 2)), view(trace(fetched, seed, p, d, 2)), seed + " " + p.name() + " " + d);
                    }
                }
            }
        }
    }

    /** An address history longer than a page (25) is read page by page through /txs/chain/:last_seen_txid, whole. */
    @Test
    void longHistoriesArePaged() throws IOException {
        try (ChainStore block = ChainStore.open(dir.resolve("2019-paging"))) {
            new BlockFileSource(block, List.of(SharedData.blk("block2019Jan.blk"))).run(IngestListener.NONE);
            int height = block.tip().orElseThrow().ref().height();
            // The address with the longest history in the block.
            java.util.Map<String, Integer> counts = new java.util.HashMap<>();
            for (Hash256 txid : block.transactionIds(height)) {
                block.transaction(txid).orElseThrow().outputs().forEach(o -> o.owner()
                        .filter(a -> a.kind().hasStandardAddress()).ifPresent(a -> counts.merge(a.text(), 1, Integer::sum)));
            }
            String busiest = counts.entrySet().stream().max(java.util.Map.Entry.comparingByValue()).orElseThrow().getKey();
            List<Hash256> expected = block.transactionsOf(io.chaintrace.core.model.Address.parse(busiest));
            assertTrue(expected.size() > 25, busiest + ": " + expected.size());
            try (EsploraServer server = new EsploraServer(BitcoinNetwork.MAINNET, BlockFileBytes.blocks(SharedData.blk("block2019Jan.blk")),
                    height); EsploraApi api = new EsploraApi(server.url(), BitcoinNetwork.MAINNET, FAST)) {
                List<Hash256> paged = api.addressTransactions(busiest);
                assertEquals(new java.util.HashSet<>(expected), new java.util.HashSet<>(paged));
                assertEquals(expected.size(), paged.size(), "each once");
                assertEquals((expected.size() + 24) / 25 + (expected.size() % 25 == 0 ? 1 : 0), server.requests(), "one request a page");
            }
        }
    }

    @Test
    void aFetchStoppedByItsBudgetSaysSoAndTracesCutWhereItStopped() {
        Seed seed = Seed.parse(FirstTraceTest.SEED); // block 9's coinbase: six hops to block 496
        try (ChainStore fetched = ChainStore.open(dir.resolve("budget"))) {
            NeighbourhoodFetch.Summary s;
            try (EsploraApi api = new EsploraApi(esplora.url(), BitcoinNetwork.MAINNET, FAST)) {
                s = new NeighbourhoodFetch(api, fetched, "esplora").run(seed, new NeighbourhoodFetch.Settings(5, true, false, 8, Long.MAX_VALUE),
                        p -> { });
            }
            assertTrue(s.stoppedBy().orElseThrow().contains("--max-requests 8"), s.describe());
            TraceResult r = trace(fetched, seed, TaintPolicy.named("haircut"), Direction.FORWARD, 5);
            assertTrue(r.account().cutNotFetched() > 0, view(r));
            assertEquals(r.seeded(), r.account().accounted());
        }
        try (ChainStore fetched = ChainStore.open(dir.resolve("budget-txs"))) {
            NeighbourhoodFetch.Summary s;
            try (EsploraApi api = new EsploraApi(esplora.url(), BitcoinNetwork.MAINNET, FAST)) {
                s = new NeighbourhoodFetch(api, fetched, "esplora").run(seed, new NeighbourhoodFetch.Settings(5, true, false, Long.MAX_VALUE, 3),
                        p -> { });
            }
            assertTrue(s.stoppedBy().orElseThrow().contains("--max-transactions 3"), s.describe());
            assertEquals(3, fetched.stats().fetchedTxs());
            TraceResult r = trace(fetched, seed, TaintPolicy.named("fifo"), Direction.FORWARD, 5);
            assertTrue(r.account().cutNotFetched() > 0, view(r));
            assertTrue(r.account().unspent() <= trace(whole, seed, TaintPolicy.named("fifo"), Direction.FORWARD, 5).account().unspent(),
                    "no more called unspent than whole blocks show: " + view(r));
            assertEquals(r.seeded(), r.account().accounted());
        }
    }

    @Test
    void theKeysAddressFindsItsBareKeyCoinsOnceAFetchHasSeenTheKey() {
        try (ChainStore fetched = ChainStore.open(dir.resolve("key"))) {
            // Block 9's coinbase paid Satoshi's key directly; fetching it shows the key.
            fetch(fetched, Seed.parse(FirstTraceTest.SEED), 1, true, false);
            Seed address = Seed.parse("12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S");
            fetch(fetched, address, HOPS, true, false);
            for (TaintPolicy p : TaintPolicy.ALL) {
                assertEquals(view(trace(whole, address, p, Direction.FORWARD, HOPS)), view(trace(fetched, address, p, Direction.FORWARD, HOPS)),
                        p.name());
            }
        }
    }

    @Test
    void faultsAreRetriedOrOneClearError() throws IOException {
        Seed seed = seeds.getFirst();
        try (ChainStore fetched = ChainStore.open(dir.resolve("faults"))) {
            esplora.faults().add(Faults.Fault.RATE_LIMITED, 1).add(Faults.Fault.SERVER_ERROR, 1).add(Faults.Fault.MALFORMED, 1)
                    .stall(3_000).add(Faults.Fault.TIMEOUT, 1);
            fetch(fetched, seed, 1, true, false); // four faults, five attempts: retried through
            esplora.faults().clear();
            String digest = fetched.digest();
            esplora.faults().always(Faults.Fault.SERVER_ERROR);
            try (ChainStore other = ChainStore.open(dir.resolve("faults-2"))) {
                ServiceException e = assertThrows(ServiceException.class, () -> fetch(other, seeds.get(1), 1, true, false));
                assertTrue(e.getMessage().startsWith("Esplora API at " + esplora.url()), e.getMessage());
                assertEquals(0, other.stats().txs(), "nothing half-written");
            }
            esplora.faults().clear();
            esplora.faults().always(Faults.Fault.CORRUPT);
            try (ChainStore other = ChainStore.open(dir.resolve("faults-3"))) {
                CorruptAnswerException e = assertThrows(CorruptAnswerException.class, () -> fetch(other, seed, 1, true, false));
                assertTrue(e.getMessage().contains("sent transaction " + ((Seed.OutpointSeed) seed).outpoint().txid()), e.getMessage());
                assertEquals(0, other.stats().txs(), "nothing of it stored");
            } finally {
                esplora.faults().clear();
            }
            assertEquals(digest, fetched.digest());
        }
    }

    @Test
    void wholeBlocksAreRefusedInAStoreThatHoldsFetchedTransactions() {
        try (ChainStore fetched = ChainStore.open(dir.resolve("mixed"))) {
            fetch(fetched, seeds.getFirst(), 1, true, false);
            String digest = fetched.digest();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new BlockFileSource(fetched, List.of(SharedData.blk("firstblocks.blk"))).run(IngestListener.NONE));
            assertTrue(e.getMessage().contains("holds transactions a fetch brought in"), e.getMessage());
            assertEquals(digest, fetched.digest());
        }
    }
}
