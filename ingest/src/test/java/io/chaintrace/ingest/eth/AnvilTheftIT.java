package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The theft scenario on a real Anvil node, ingested by block range: every transfer, exact. */
@ExtendWith(AnvilExtension.class)
class AnvilTheftIT {
    static TheftScenario scenario;

    @BeforeAll
    static void play(AnvilExtension.Anvil anvil) throws Exception {
        scenario = TheftScenario.play(anvil.url());
    }

    static TheftScenario.Sent sent(AccountTransfer t) {
        return new TheftScenario.Sent(t.txHash().hex().toLowerCase(Locale.ROOT).replaceFirst("^", "0x"), t.kind(),
                t.from().text().toLowerCase(Locale.ROOT), t.to().text().toLowerCase(Locale.ROOT), t.amount().units(),
                t.amount().asset().contract().map(a -> a.text().toLowerCase(Locale.ROOT)).orElse(""));
    }

    @Test
    void rangeIngestStoresEveryTransferThatWasSentAndNothingElse(AnvilExtension.Anvil anvil, @TempDir Path dir) {
        try (ChainStore store = ChainStore.open(dir.resolve("store"));
             EthRpcClient client = new EthRpcClient(anvil.url(), EthRpcClient.Settings.DEFAULT)) {
            EthRpcSource.Summary s = new EthRpcSource(store, client, new EthRpcSource.Settings(0, 4, false), 0, Long.MAX_VALUE).run(IngestListener.NONE);
            assertEquals(TraceFormat.PARITY, s.traces());
            List<AccountTransfer> stored = store.ethTransfers(0, s.lastBlock());
            Set<TheftScenario.Sent> actual = stored.stream().map(AnvilTheftIT::sent).collect(Collectors.toSet());
            assertEquals(stored.size(), actual.size(), "no transfer stored twice");
            assertEquals(new HashSet<>(scenario.sent), actual);
            for (String failedInner : scenario.failedInnerCallTxs) {
                assertTrue(actual.stream().noneMatch(t -> t.txHash().equals(failedInner) && t.to().equals(scenario.sink)),
                        "the failed inner call to the refusing contract moves nothing");
            }
            for (String reverted : scenario.revertedTxs) {
                assertTrue(actual.stream().noneMatch(t -> t.txHash().equals(reverted)), "a reverted transaction moves nothing");
            }
            // The token's symbol and decimals come from the contract itself.
            AccountTransfer token = stored.stream().filter(t -> t.amount().asset().contract().isPresent()).findFirst().orElseThrow();
            assertEquals("STK", token.amount().asset().symbol());
            assertEquals(6, token.amount().asset().decimals().getAsInt());
            // Address history in chain order.
            List<AccountTransfer> attacker = store.transfersOf(io.chaintrace.core.model.Address.parse(TheftScenario.addr(scenario.attacker)));
            assertEquals(2 + 1 + 1 + 10 + 1, attacker.size()); // 2 ETH in, 0.5 out, theft ETH + STK in, 10 splits, STK out
            for (int i = 1; i < attacker.size(); i++) {
                assertTrue(attacker.get(i - 1).block().height() <= attacker.get(i).block().height());
            }
        }
    }

    @Test
    void seedDrivenFetchPullsTheAttackersNeighbourhoodOnly(AnvilExtension.Anvil anvil, @TempDir Path dir) {
        int hops = 3;
        // What lies within three hops of the attacker, by the transfers the scenario made.
        Set<String> reach = new HashSet<>(Set.of(TheftScenario.addr(scenario.attacker)));
        Set<TheftScenario.Sent> expected = new HashSet<>();
        scenario.sent.stream().filter(t -> reach.contains(t.to())).forEach(expected::add); // how it got there
        Set<String> frontier = new HashSet<>(reach);
        for (int hop = 1; hop <= hops; hop++) {
            Set<String> next = new HashSet<>();
            for (TheftScenario.Sent t : scenario.sent) {
                if (frontier.contains(t.from())) {
                    expected.add(t);
                    next.add(t.to());
                }
            }
            next.removeAll(reach);
            reach.addAll(next);
            frontier = next;
        }
        try (ChainStore store = ChainStore.open(dir.resolve("store"));
             EthRpcClient client = new EthRpcClient(anvil.url(), EthRpcClient.Settings.DEFAULT)) {
            EthSeedFetcher.Summary s = new EthSeedFetcher(store, client, IngestListener.NONE)
                    .fetch(io.chaintrace.core.model.Address.parse(TheftScenario.addr(scenario.attacker)), hops, 0, Long.MAX_VALUE);
            Set<TheftScenario.Sent> stored = store.ethTransfers(0, Long.MAX_VALUE).stream().map(AnvilTheftIT::sent)
                    .collect(Collectors.toSet());
            assertTrue(stored.containsAll(expected), "missing: " + expected.stream().filter(t -> !stored.contains(t)).toList());
            // One transaction per block on Anvil: nothing beyond the neighbourhood is stored.
            assertEquals(expected, stored);
            // The pool withdrawal paid on to an exchange is four hops out: not fetched.
            assertTrue(stored.stream().noneMatch(t -> t.from().equals(TheftScenario.addr(scenario.withdrawals.get(0)))));
            assertEquals(s.blocks().size(), store.ethStats().blocks());
        }
    }

    /**
     * "Our hot wallet was drained": {@code outflows:HOT_WALLET} seeds every payment the wallet made, which here are the
     * two theft transfers; it gives, under every policy and per asset, exactly what seeding the theft transactions one by
     * one gives. From a time after the theft it paid nothing.
     */
    @Test
    void outflowsOfTheHotWalletGiveWhatTheTheftTransactionsGive(AnvilExtension.Anvil anvil, @TempDir Path dir) {
        try (ChainStore store = ChainStore.open(dir.resolve("store"));
             EthRpcClient client = new EthRpcClient(anvil.url(), EthRpcClient.Settings.DEFAULT)) {
            new EthRpcSource(store, client, new EthRpcSource.Settings(0, 4, false), 0, Long.MAX_VALUE).run(IngestListener.NONE);
            io.chaintrace.core.model.Address hot = io.chaintrace.core.model.Address.parse(TheftScenario.addr(scenario.hotWallet));
            io.chaintrace.core.model.Address attacker = io.chaintrace.core.model.Address.parse(TheftScenario.addr(scenario.attacker));
            List<io.chaintrace.core.account.AccountTrace.Seed> byHand = List.of(
                    new io.chaintrace.core.account.AccountTrace.Seed(attacker, java.util.Optional.of(io.chaintrace.core.model.Hash256.fromHex(scenario.theftTx))),
                    new io.chaintrace.core.account.AccountTrace.Seed(attacker, java.util.Optional.of(io.chaintrace.core.model.Hash256.fromHex(scenario.tokenTheftTx))));
            List<io.chaintrace.core.account.AccountTrace.Seed> outflows = List.of(io.chaintrace.core.account.AccountTrace.Seed.outflowsOf(hot, Long.MIN_VALUE));
            for (io.chaintrace.core.trace.TaintPolicy p : io.chaintrace.core.trace.TaintPolicy.ALL) {
                List<io.chaintrace.core.account.AccountTrace.AssetResult> a = trace(store, byHand, p);
                List<io.chaintrace.core.account.AccountTrace.AssetResult> b = trace(store, outflows, p);
                assertEquals(2, a.size(), p.name() + ": ETH and STK");
                assertEquals(a.size(), b.size(), p.name());
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(a.get(i).asset(), b.get(i).asset(), p.name());
                    assertEquals(a.get(i).account(), b.get(i).account(), p.name() + " " + a.get(i).asset().symbol());
                    assertEquals(a.get(i).byEntity(), b.get(i).byEntity(), p.name());
                }
            }
            long theftTime = store.transfersOf(hot).stream().filter(t -> ("0x" + t.txHash().hex()).equals(scenario.theftTx))
                    .findFirst().orElseThrow().block().time();
            assertEquals(2, trace(store, List.of(io.chaintrace.core.account.AccountTrace.Seed.outflowsOf(hot, theftTime)),
                    io.chaintrace.core.trace.TaintPolicy.named("haircut")).size());
            org.junit.jupiter.api.Assertions.assertThrows(io.chaintrace.core.account.AccountTracer.SeedNotFoundException.class,
                    () -> trace(store, List.of(io.chaintrace.core.account.AccountTrace.Seed.outflowsOf(hot, Long.MAX_VALUE)),
                            io.chaintrace.core.trace.TaintPolicy.named("haircut")));
        }
    }

    private static List<io.chaintrace.core.account.AccountTrace.AssetResult> trace(ChainStore store,
            List<io.chaintrace.core.account.AccountTrace.Seed> seeds, io.chaintrace.core.trace.TaintPolicy policy) {
        return new io.chaintrace.core.account.AccountTracer(store).trace(new io.chaintrace.core.account.AccountTrace.Request(seeds, policy,
                io.chaintrace.core.trace.Limits.DEFAULT, io.chaintrace.core.trace.TraceRequest.SERVICES, false)).assets();
    }
}
