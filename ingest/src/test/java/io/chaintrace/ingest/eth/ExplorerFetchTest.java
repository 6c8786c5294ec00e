package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.TransferExtractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.account.AccountTracer;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.trace.HaircutPolicy;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.EthBlock;
import io.chaintrace.ingest.ServiceException;
import io.chaintrace.ingest.remote.HttpService;
import io.chaintrace.loopback.EtherscanServer;
import io.chaintrace.loopback.Faults;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetch eth --explorer} against the Etherscan account API on loopback, answering from the
 * mainnet node answers ethereum-etl recorded (../shared/data/eth/etl): it stores, for every address
 * it asks about, exactly the transfers the node path stores for that address from the same node
 * answers; it stops honestly where it did not ask; faults are one line and nothing half-written.
 */
class ExplorerFetchTest {
    static final HttpService.Settings FAST = new HttpService.Settings(Duration.ofSeconds(2), 3, Duration.ofMillis(10), 0);
    /** The blocks the recordings hold whole, with every receipt: what the node path can ingest from them. */
    static final long[] BLOCKS = {483920, 1755634, 1755635};
    static EtherscanServer explorer;

    @TempDir
    Path dir;

    @BeforeAll
    static void serve() throws IOException {
        explorer = EtherscanServer.fromRecordings(MainnetConformanceTest.etl());
    }

    @AfterAll
    static void stop() {
        explorer.close();
    }

    @AfterEach
    void clearFaults() {
        explorer.faults().clear();
        explorer.requireKey(null);
    }

    static List<Path> recordings() {
        Path etl = MainnetConformanceTest.etl();
        return List.of(etl.resolve("test_export_blocks_job/block_with_logs"), etl.resolve("test_export_receipts_job/receipts_with_logs"),
                etl.resolve("test_stream/blocks_1755634_1755635"));
    }

    /** The node path: each block fetched, extracted and stored by {@link EthRpcSource}'s own code, from the recorded answers. */
    static void nodePath(ChainStore store) throws IOException {
        try (RecordedNode node = new RecordedNode(recordings());
             EthRpcClient client = new EthRpcClient(node.url(), MainnetConformanceTest.FAST)) {
            EthRpcSource source = new EthRpcSource(store, client, new EthRpcSource.Settings(0, 1, true), 0, Long.MAX_VALUE);
            TransferExtractor extractor = new TransferExtractor(new TokenRegistry(client));
            for (long n : BLOCKS) {
                EthBlock b = source.fetch(n, extractor);
                store.appendEthBlock(b, new Checkpoint("test", b.hash(), (int) n, 1));
            }
        }
    }

    static String key(AccountTransfer t) {
        return String.join("|", t.txHash().hex(), String.valueOf(t.block().height()), t.block().hash().hex(), String.valueOf(t.txIndex()),
                t.kind().name(), String.valueOf(t.index()), t.from().text(), t.to().text(), t.amount().units().toString(),
                t.amount().asset().contract().map(Address::text).orElse("ETH"));
    }

    static Set<String> keys(List<AccountTransfer> ts) {
        return ts.stream().map(ExplorerFetchTest::key).collect(Collectors.toCollection(TreeSet::new));
    }

    static ExplorerFetch.Settings settings(int hops) {
        return new ExplorerFetch.Settings(hops, true, false, 0, Optional.empty(), 0, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    /** Up to the server's head, so that the head is not asked. */
    static ExplorerFetch.Settings fixed(int hops) {
        return new ExplorerFetch.Settings(hops, true, false, 0, Optional.of(explorer.head()), 0, Long.MAX_VALUE, Long.MAX_VALUE);
    }

    static ExplorerFetch.Summary fetch(ExplorerApi api, ChainStore store, String seed, ExplorerFetch.Settings s) {
        return new ExplorerFetch(api, store).run(Address.parse(seed), s, p -> { });
    }

    static final Consumer<ExplorerFetch.Progress> QUIET = p -> { };

    @Test
    void everyAddressAskedAboutHoldsWhatTheNodePathStoresForIt() throws IOException {
        List<String> addresses = explorer.addresses();
        assertTrue(addresses.size() >= 10, "the recorded blocks move value between " + addresses);
        try (ChainStore node = ChainStore.open(dir.resolve("node")); ChainStore fetched = ChainStore.open(dir.resolve("explorer"));
             ExplorerApi api = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1000)) {
            nodePath(node);
            for (String a : addresses) {
                fetch(api, fetched, a, settings(1));
            }
            long tokens = 0;
            for (String a : addresses) {
                Address address = Address.parse(a);
                List<AccountTransfer> expected = node.transfersOf(address);
                assertEquals(keys(expected), keys(fetched.transfersOf(address)), a);
                assertTrue(fetched.historyKnown(address), a + " was asked about");
                tokens += expected.stream().filter(t -> t.amount().asset().contract().isPresent()).count();
            }
            assertTrue(tokens > 0, "the recorded blocks hold token transfers");
            // Every stored transfer touches an address asked about here, so the stores hold the same transfers.
            assertEquals(keys(node.ethTransfers(0, Long.MAX_VALUE)), keys(fetched.ethTransfers(0, Long.MAX_VALUE)));
            assertEquals(fetched.ethStats().blocks(), fetched.ethStats().fetchedBlocks(), "a fetch fills blocks in part");
            // A reverted transaction and a zero-value one move nothing on either path; the node path leaves them out.
            assertEquals(node.ethStats().transfers(), fetched.ethStats().transfers());
            // The whole blocks replace the parts a fetch stored: nothing is counted twice.
            for (long n : BLOCKS) {
                io.chaintrace.graph.StoredEthBlock b = node.ethBlock(n).orElseThrow();
                List<AccountTransfer> whole = node.ethTransfers(n, n);
                assertTrue(fetched.appendEthBlock(new EthBlock(n, b.hash(), b.parent(), b.time(), whole), new Checkpoint("test", b.hash(), (int) n, 1)));
            }
            assertEquals(0, fetched.ethStats().fetchedBlocks());
            assertEquals(node.ethStats().transfers(), fetched.ethStats().transfers());
            assertEquals(keys(node.ethTransfers(0, Long.MAX_VALUE)), keys(fetched.ethTransfers(0, Long.MAX_VALUE)));
        }
    }

    @Test
    void aPageSizeOfOneGivesTheSameStore() throws IOException {
        String seed = explorer.addresses().getFirst();
        try (ChainStore a = ChainStore.open(dir.resolve("a")); ChainStore b = ChainStore.open(dir.resolve("b"));
             ExplorerApi big = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1000);
             ExplorerApi small = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1)) {
            for (String s : explorer.addresses()) {
                fetch(big, a, s, settings(1));
                fetch(small, b, s, settings(1));
            }
            assertEquals(keys(a.ethTransfers(0, Long.MAX_VALUE)), keys(b.ethTransfers(0, Long.MAX_VALUE)));
            assertTrue(small.requests() > big.requests(), "one row a page asks more: " + small.requests() + " vs " + big.requests()
                    + " from " + seed);
        }
    }

    @Test
    void beyondTheAddressesAskedATraceSaysNotFetchedNotHeld() {
        // Block 483920: 0x9df428... paid 0.01100044 ETH to 0x9e669f...; fetched one hop from the payer, the payee is reached, not asked.
        String payer = "0x9df428a91ff0f3635c8f0ce752933b9788926804";
        String payee = "0x9e669f970ec0f49bb735f20799a7e7c4a1c274e2";
        try (ChainStore store = ChainStore.open(dir.resolve("s"));
             ExplorerApi api = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1000)) {
            ExplorerFetch.Summary s = fetch(api, store, payer, settings(1));
            assertEquals(1, s.asked());
            assertEquals(1, s.reachedNotAsked());
            assertFalse(store.historyKnown(Address.parse(payee)));
            AccountTrace.Request q = new AccountTrace.Request(List.of(new AccountTrace.Seed(Address.parse(payee), Optional.empty())),
                    new HaircutPolicy(), new Limits(3, 0, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE), Set.of(), false);
            AccountTrace.Account before = new AccountTracer(store).trace(q).assets().getFirst().account();
            assertEquals(new BigInteger("11000440000000000"), before.seeded());
            assertEquals(before.seeded(), before.cutNotFetched(), "the payee was never asked about: where the value went is not known");
            assertEquals(BigInteger.ZERO, before.held());
            assertTrue(before.balanced());
            // Asked about, its history is whole: what it still has is held.
            fetch(api, store, payee, settings(1));
            AccountTrace.Account after = new AccountTracer(store).trace(q).assets().getFirst().account();
            assertEquals(BigInteger.ZERO, after.cutNotFetched());
            assertEquals(after.seeded(), after.held().add(after.endpoints()).add(after.cutByHops()));
        }
    }

    @Test
    void aRerunAsksOnlyTheHeadAndWithAFixedRangeNothing() {
        String seed = "0x2a65aca4d5fc5b5c859090a6c34d164135398226";
        try (ChainStore store = ChainStore.open(dir.resolve("s"));
             ExplorerApi api = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1000)) {
            ExplorerFetch.Summary first = fetch(api, store, seed, settings(2));
            assertTrue(first.stored() > 0);
            String digest = store.chainDigest();
            long before = explorer.requests();
            ExplorerFetch.Summary again = fetch(api, store, seed, settings(2));
            assertEquals(1, explorer.requests() - before, "only the head is asked again");
            assertEquals(0, again.stored());
            assertEquals(first.asked(), again.alreadyFetched());
            before = explorer.requests();
            fetch(api, store, seed, new ExplorerFetch.Settings(2, true, false, 0, Optional.of(explorer.head()), 0, Long.MAX_VALUE, Long.MAX_VALUE));
            assertEquals(0, explorer.requests() - before);
            assertEquals(digest, store.chainDigest());
        }
    }

    @Test
    void aFetchStoppedPartWayAndResumedEqualsOneThatRanThrough() {
        List<String> seeds = explorer.addresses();
        try (ChainStore whole = ChainStore.open(dir.resolve("whole")); ChainStore resumed = ChainStore.open(dir.resolve("resumed"));
             ExplorerApi api = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1000)) {
            String seed = "0x3763e6e1228bfeab94191c856412d1bb0a8e6996";
            fetch(api, whole, seed, new ExplorerFetch.Settings(3, true, true, 0, Optional.empty(), 0, Long.MAX_VALUE, Long.MAX_VALUE));
            // A budget stops it before the next address, as a kill would; the rerun goes on from what is stored.
            ExplorerApi budgeted = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1000);
            ExplorerFetch.Summary cut = new ExplorerFetch(budgeted, resumed).run(Address.parse(seed),
                    new ExplorerFetch.Settings(3, true, true, 0, Optional.empty(), 0, 3, Long.MAX_VALUE), QUIET);
            assertTrue(cut.cut() > 0, "the budget cut the fetch: " + cut.describe());
            budgeted.close();
            fetch(api, resumed, seed, new ExplorerFetch.Settings(3, true, true, 0, Optional.empty(), 0, Long.MAX_VALUE, Long.MAX_VALUE));
            assertEquals(whole.chainDigest(), resumed.chainDigest());
            assertTrue(seeds.contains(seed));
        }
    }

    @Test
    void eachFaultIsOneLineAndLeavesTheStoreAsItWas() {
        String seed = "0x2a65aca4d5fc5b5c859090a6c34d164135398226";
        try (ExplorerApi api = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1000)) {
            for (Faults.Fault f : List.of(Faults.Fault.SERVER_ERROR, Faults.Fault.MALFORMED, Faults.Fault.TIMEOUT,
                    Faults.Fault.RATE_LIMITED, Faults.Fault.RATE_LIMITED_IN_BODY)) {
                try (ChainStore store = ChainStore.open(dir.resolve(f.name()))) {
                    explorer.faults().clear();
                    fetch(api, store, "0x9df428a91ff0f3635c8f0ce752933b9788926804", fixed(1));
                    String digest = store.chainDigest();
                    // Three answers go through (the seed's lists), then every request meets the fault: part-way through its address.
                    explorer.faults().stall(3_000).after(3).always(f);
                    ServiceException e = assertThrows(ServiceException.class, () -> fetch(api, store, seed, fixed(2)), f.name());
                    assertFalse(e.getMessage().contains("\n"), e.getMessage());
                    assertTrue(e.getMessage().contains("explorer API at " + explorer.url()), e.getMessage());
                    assertEquals(digest, store.chainDigest(), f + ": nothing of the address being asked about is stored");
                    // The fault passes: the rerun completes from what was asked already.
                    explorer.faults().clear();
                    assertTrue(fetch(api, store, seed, fixed(2)).stored() > 0);
                }
            }
            // A passing fault is retried and the fetch completes.
            try (ChainStore store = ChainStore.open(dir.resolve("passing"))) {
                explorer.faults().clear();
                explorer.faults().add(Faults.Fault.RATE_LIMITED_IN_BODY, 1).add(Faults.Fault.MALFORMED, 1); // 3 attempts a request
                assertTrue(fetch(api, store, seed, fixed(2)).stored() > 0);
            }
        }
    }

    @Test
    void aRefusedKeyIsOneLineThatDoesNotShowTheKey() {
        explorer.requireKey("RightKey0123456789");
        try (ChainStore store = ChainStore.open(dir.resolve("s"));
             ExplorerApi wrong = new ExplorerApi(explorer.url(), Optional.of("WrongKey9876543210"), FAST, 1000);
             ExplorerApi right = new ExplorerApi(explorer.url(), Optional.of("RightKey0123456789"), FAST, 1000)) {
            ServiceException e = assertThrows(ServiceException.class,
                    () -> fetch(wrong, store, "0x9df428a91ff0f3635c8f0ce752933b9788926804", settings(1)));
            assertTrue(e.getMessage().contains("API key was refused") || e.getMessage().contains("Invalid API Key"), e.getMessage());
            assertFalse(e.getMessage().contains("WrongKey9876543210"), e.getMessage());
            assertEquals(1, wrong.requests(), "a refused key is not retried");
            assertTrue(fetch(right, store, "0x9df428a91ff0f3635c8f0ce752933b9788926804", settings(1)).stored() > 0);
            for (String v : store.ethFetchedBySource().keySet()) {
                assertFalse(v.contains("RightKey"), v);
            }
        }
    }

    /** A fetch up to a block, then one to the head: the second asks only the blocks since, and the store ends as one fetch's. */
    @Test
    void aLaterFetchAsksOnlyTheNewBlocksAndEndsAsOneFetchWould() {
        try (ChainStore once = ChainStore.open(dir.resolve("once")); ChainStore twice = ChainStore.open(dir.resolve("twice"));
             ExplorerApi api = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1000)) {
            for (String seed : explorer.addresses()) {
                fetch(api, once, seed, fixed(2));
                fetch(api, twice, seed, new ExplorerFetch.Settings(2, true, false, 0, Optional.of(1_000_000L), 0, Long.MAX_VALUE, Long.MAX_VALUE));
            }
            long before = explorer.requestsByAction().getOrDefault("txlist", 0L);
            for (String seed : explorer.addresses()) {
                fetch(api, twice, seed, fixed(2));
            }
            assertTrue(explorer.requestsByAction().getOrDefault("txlist", 0L) > before, "the new blocks are asked about");
            assertEquals(keys(once.ethTransfers(0, Long.MAX_VALUE)), keys(twice.ethTransfers(0, Long.MAX_VALUE)));
            for (String a : explorer.addresses()) {
                Optional<long[]> r1 = once.ethFetchedRange(a);
                Optional<long[]> r2 = twice.ethFetchedRange(a);
                assertEquals(r1.isPresent(), r2.isPresent(), a);
                r1.ifPresent(r -> assertEquals(List.of(r[0], r[1]), List.of(r2.get()[0], r2.get()[1]), a));
            }
        }
    }

    /** A receipt that is another transaction's: one line naming the transaction asked for, nothing of the address stored. */
    @Test
    void aReceiptOfAnotherTransactionStopsTheFetchNamingIt() {
        try (ChainStore store = ChainStore.open(dir.resolve("s"));
             ExplorerApi api = new ExplorerApi(explorer.url(), Optional.empty(), FAST, 1000)) {
            String digest = store.chainDigest();
            explorer.faults().after(3).always(Faults.Fault.CORRUPT); // the three lists, then every receipt is wrong
            io.chaintrace.ingest.CorruptAnswerException e = assertThrows(io.chaintrace.ingest.CorruptAnswerException.class,
                    () -> fetch(api, store, "0x2a65aca4d5fc5b5c859090a6c34d164135398226", fixed(1)));
            assertTrue(e.getMessage().startsWith("explorer API at " + explorer.url() + ": asked for the receipt of 0x"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
            assertEquals(digest, store.chainDigest());
        }
    }
}
