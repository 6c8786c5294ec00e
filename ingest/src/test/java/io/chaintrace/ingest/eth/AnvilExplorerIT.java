package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.account.AccountBackwardTracer;
import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.account.AccountTracer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.TransferKind;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TihoPolicy;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.loopback.EtherscanServer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The theft scenario on a real Anvil node, served by the Etherscan account API on loopback from the
 * node's own blocks, receipts and traces: internal transfers (a pool's payouts, a forwarder), a
 * failed inner call, a reverted deposit and an ERC-20. {@code fetch eth --explorer} stores, for every
 * address it asked about, what the node path (a range ingest of the same node) stores for it; and
 * traces over the fetched store give the node path's flows within the hops fetched, under every
 * policy, forward and backward, with "not fetched" where the node path's trace goes on past them.
 */
@ExtendWith(AnvilExtension.class)
class AnvilExplorerIT {
    static final int HOPS = 3;
    static TheftScenario scenario;
    static EtherscanServer explorer;

    @TempDir
    static Path dir;

    @BeforeAll
    static void play(AnvilExtension.Anvil anvil) throws Exception {
        scenario = TheftScenario.play(anvil.url());
        explorer = EtherscanServer.fromNode(anvil.url());
    }

    @AfterAll
    static void stop() {
        explorer.close();
    }

    private static ChainStore nodePath(AnvilExtension.Anvil anvil, Path at) {
        ChainStore store = ChainStore.open(at);
        try (EthRpcClient client = new EthRpcClient(anvil.url(), EthRpcClient.Settings.DEFAULT)) {
            new EthRpcSource(store, client, new EthRpcSource.Settings(0, 4, false), 0, Long.MAX_VALUE).run(IngestListener.NONE);
        }
        return store;
    }

    private static ExplorerFetch.Summary fetch(ChainStore store, String seed, boolean forward) {
        try (ExplorerApi api = new ExplorerApi(explorer.url(), Optional.empty(), ExplorerFetchTest.FAST, 1000)) {
            return new ExplorerFetch(api, store).run(Address.parse(seed), new ExplorerFetch.Settings(HOPS, forward, !forward, 0,
                    Optional.empty(), 0, Long.MAX_VALUE, Long.MAX_VALUE), p -> { });
        }
    }

    @Test
    void theFetchedNeighbourhoodHoldsTheNodePathsTransfersAndTracesAlike(AnvilExtension.Anvil anvil) {
        String attacker = TheftScenario.addr(scenario.attacker);
        try (ChainStore node = nodePath(anvil, dir.resolve("node")); ChainStore fetched = ChainStore.open(dir.resolve("forward"))) {
            ExplorerFetch.Summary s = fetch(fetched, attacker, true);
            assertTrue(s.asked() >= 10, s.describe());
            long internal = 0;
            for (String a : explorer.addresses()) {
                if (fetched.ethFetchedRange(a).isEmpty()) {
                    continue;
                }
                Address address = Address.parse(a);
                assertEquals(ExplorerFetchTest.keys(node.transfersOf(address)), ExplorerFetchTest.keys(fetched.transfersOf(address)), a);
                internal += fetched.transfersOf(address).stream().filter(t -> t.kind() == TransferKind.INTERNAL).count();
            }
            assertTrue(internal > 0, "the pool's payouts and the forwarder's pass-on are internal transfers");
            for (String failed : scenario.failedInnerCallTxs) {
                assertTrue(fetched.ethTransfers(0, Long.MAX_VALUE).stream().noneMatch(t -> ("0x" + t.txHash().hex()).equals(failed)
                        && t.to().text().equalsIgnoreCase(scenario.sink)), "the failed inner call moves nothing");
            }
            for (TaintPolicy policy : TaintPolicy.ALL) {
                AccountTrace.Request q = request(attacker, policy);
                List<AccountTrace.AssetResult> byNode = new AccountTracer(node).trace(q).assets();
                List<AccountTrace.AssetResult> byFetch = new AccountTracer(fetched).trace(q).assets();
                assertEquals(byNode.size(), byFetch.size(), policy.name());
                for (int i = 0; i < byNode.size(); i++) {
                    compare(policy.name() + " forward " + byNode.get(i).asset().symbol(), byNode.get(i), byFetch.get(i));
                }
            }
        }
    }

    @Test
    void backwardFromAnExchangeDepositAlike(AnvilExtension.Anvil anvil) {
        String deposit = TheftScenario.addr(scenario.exchangeDeposit1);
        try (ChainStore node = nodePath(anvil, dir.resolve("node-b")); ChainStore fetched = ChainStore.open(dir.resolve("backward"))) {
            fetch(fetched, deposit, false);
            for (TaintPolicy policy : TaintPolicy.ALL) {
                if (policy instanceof TihoPolicy) {
                    continue; // no backward rule on accounts
                }
                AccountTrace.Request q = request(deposit, policy);
                List<AccountTrace.AssetResult> byNode = new AccountBackwardTracer(node).trace(q).assets();
                List<AccountTrace.AssetResult> byFetch = new AccountBackwardTracer(fetched).trace(q).assets();
                for (int i = 0; i < byNode.size(); i++) {
                    AccountTrace.AssetResult n = byNode.get(i);
                    AccountTrace.AssetResult f = byFetch.get(i);
                    String what = policy.name() + " backward";
                    assertEquals(flows(n), flows(f), what);
                    assertEquals(n.account().seeded(), f.account().seeded(), what);
                    assertEquals(n.account().endpoints(), f.account().endpoints(), what);
                    // Past the senders asked about the node path reads on; the fetch says it did not.
                    assertEquals(n.account().held().add(n.account().cutByHops()),
                            f.account().held().add(f.account().cutByHops()).add(f.account().cutNotFetched()), what);
                }
            }
        }
    }

    private static AccountTrace.Request request(String seed, TaintPolicy policy) {
        return new AccountTrace.Request(List.of(new AccountTrace.Seed(Address.parse(seed), Optional.empty())), policy,
                new Limits(HOPS, 0, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE), Set.of(), false);
    }

    private static void compare(String what, AccountTrace.AssetResult n, AccountTrace.AssetResult f) {
        assertEquals(flows(n), flows(f), what);
        AccountTrace.Account a = n.account();
        AccountTrace.Account b = f.account();
        assertEquals(a.seeded(), b.seeded(), what);
        assertEquals(a.endpoints(), b.endpoints(), what);
        assertEquals(a.dust(), b.dust(), what);
        // The addresses at the last hop were reached, not asked about: what the node path cuts by hops or finds held there,
        // the fetch reports as not fetched. Never held where the fetch cannot know.
        assertEquals(a.held().add(a.cutByHops()), b.held().add(b.cutByHops()).add(b.cutNotFetched()), what);
        if (a.cutByHops().signum() > 0) {
            assertTrue(b.cutNotFetched().signum() > 0, what + ": taint went on past the hops fetched");
        }
        assertEquals(BigInteger.ZERO, a.cutNotFetched(), what + ": whole blocks know every address");
    }

    private static Set<String> flows(AccountTrace.AssetResult r) {
        return r.flows().stream().map(f -> ExplorerFetchTest.key(f.transfer()) + "|" + f.taint() + "|" + f.hop()).collect(Collectors.toSet());
    }
}
