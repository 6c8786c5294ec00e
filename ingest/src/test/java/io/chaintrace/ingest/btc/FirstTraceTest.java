package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.TraceResult.TaintedOutput;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first real trace: mainnet blocks 0-589, seeded at block 9's coinbase (50 BTC), which
 * Satoshi spent in block 170 (f4184fc5...: 10 BTC to Hal Finney, 40 BTC back as change).
 */
class FirstTraceTest {
    static final long BTC = 100_000_000L;
    static final String SEED = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0";
    static final String BLOCK_170 = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
    static final String TARGET = "a3b0e9e7cddbbe78270fa4182a7675ff00b92872d8df7d14265a2b1e379a9d33";

    @TempDir
    static Path dir;
    static ChainStore store;

    @BeforeAll
    static void ingest() {
        store = FirstBlocks.store(dir);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static TraceResult trace(String policy, int hops) {
        return new UtxoTracer(store).trace(new TraceRequest(List.of(Seed.parse(SEED)), TaintPolicy.named(policy), hops));
    }

    private static TaintedOutput output(TraceResult r, String txid, int vout) {
        return r.output(new Outpoint(io.chaintrace.core.model.Hash256.fromHex(txid), vout))
                .orElseThrow(() -> new AssertionError(txid + ":" + vout + " not reached"));
    }

    @Test
    void haircutCarriesElevenOfSixtyOneBitcoinSixTransactionsLater() {
        TraceResult r = trace("haircut", 6);
        assertEquals(50 * BTC, r.seeded());
        // Block 170 splits the whole 50 BTC: 10 to Hal Finney, 40 change, both fully tainted.
        assertEquals(10 * BTC, output(r, BLOCK_170, 0).taint().amount());
        assertEquals(40 * BTC, output(r, BLOCK_170, 1).taint().amount());
        assertEquals(1, output(r, BLOCK_170, 0).hop());
        TaintedOutput target = output(r, TARGET, 0);
        assertEquals(496, target.height());
        assertEquals(6, target.hop());
        assertEquals(61 * BTC, target.value());
        assertEquals(11 * BTC, target.taint().amount());
        assertTrue(r.balanced(), "seeded = unspent + fees + cut, to the satoshi");
        assertEquals(r.seeded(), r.account().accounted());
    }

    @Test
    void poisonMarksAllSixtyOneBitcoin() {
        TraceResult r = trace("poison", 6);
        TaintedOutput target = output(r, TARGET, 0);
        assertEquals(6, target.hop());
        assertEquals(61 * BTC, target.taint().amount());
        assertTrue(r.outputs().stream().allMatch(o -> o.taint().amount() == o.value()), "poison taints whole outputs");
    }

    @Test
    void hopLimitCutsTheTraceAndSaysWhere() {
        TraceResult r = trace("haircut", 5);
        assertTrue(r.outputs().stream().noneMatch(o -> o.hop() > 5));
        assertTrue(r.account().cutByHops() > 0, "the hop-6 transaction is beyond the limit");
        assertTrue(r.outputs().stream().anyMatch(o -> o.state() == TraceResult.OutputState.CUT_BY_HOPS));
        assertTrue(r.balanced());
    }

    /**
     * Block 9's coinbase paid Satoshi's key 0411db93...12a3 directly (P2PK); explorers list those coins under
     * the key's P2PKH address 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S, and so does Chaintrace: an address seed finds
     * them, and the output shows that address with its kind, p2pk.
     */
    @Test
    void theKeysP2pkhAddressFindsItsBareKeyCoins() {
        String satoshi = "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S";
        assertTrue(store.knows(io.chaintrace.core.model.Address.parse(satoshi)));
        TraceResult r = new UtxoTracer(store).trace(new TraceRequest(List.of(Seed.parse(satoshi)), TaintPolicy.named("haircut"), 1));
        assertEquals(50 * BTC, r.seeded(), "block 9's coinbase; its own change in block 170 is followed, not seeded again");
        TaintedOutput coinbase = output(r, SEED.substring(0, 64), 0);
        assertEquals(0, coinbase.hop());
        assertEquals(io.chaintrace.core.model.ScriptKind.P2PK, coinbase.kind());
        assertEquals(satoshi, coinbase.owner().orElseThrow().shown());
        assertTrue(coinbase.owner().orElseThrow().text().startsWith("pubkey:0411db93"), coinbase.owner().orElseThrow().text());
        assertEquals("1Q2TWHE3GMdB6BZKafqwxXtWAWgFt5Jvm3", output(r, BLOCK_170, 0).owner().orElseThrow().shown(), "Hal Finney's");
        // The key itself as a seed gives the same.
        String key = coinbase.owner().orElseThrow().text();
        assertEquals(r.seeded(), new UtxoTracer(store).trace(new TraceRequest(List.of(Seed.parse(key)), TaintPolicy.named("haircut"), 1))
                .seeded());
    }

    /**
     * "What this address paid from time T". The key of block 9 paid Hal Finney 10 BTC in block 170 and took 40 back as
     * change, which it spent on in turn. {@code outflows:12cb...} seeds what it paid to others along that chain of change,
     * found here by following each change output to its spender (not through the address's history, as the seed does):
     * the same account under every policy as seeding those outputs by hand. From a time after its last payment it paid
     * nothing, said in one line.
     */
    @Test
    void outflowsOfTheKeysAddressSeedWhatItPaidAlongItsChangeChain() {
        io.chaintrace.core.model.Address satoshi = io.chaintrace.core.model.Address.parse("12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S");
        List<Seed> byHand = new java.util.ArrayList<>();
        io.chaintrace.core.model.UtxoTransaction tx = store.transaction(io.chaintrace.core.model.Hash256.fromHex(BLOCK_170)).orElseThrow();
        long lastTime = 0;
        while (true) {
            lastTime = tx.block().time();
            java.util.Optional<io.chaintrace.core.model.TxOutput> change = java.util.Optional.empty();
            for (io.chaintrace.core.model.TxOutput o : tx.outputs()) {
                if (o.owner().map(satoshi::samePayee).orElse(false)) {
                    change = java.util.Optional.of(o);
                } else {
                    byHand.add(Seed.parse(tx.txid().hex() + ":" + o.index()));
                }
            }
            io.chaintrace.core.model.Hash256 id = tx.txid();
            java.util.Optional<io.chaintrace.core.trace.UtxoLedger.Spend> next = change.flatMap(c -> store.spenderOf(
                    new io.chaintrace.core.model.Outpoint(id, c.index())));
            if (next.isEmpty()) {
                break;
            }
            tx = store.transaction(next.get().spendingTx()).orElseThrow();
        }
        assertTrue(byHand.size() >= 2, "the change was spent on: " + byHand);
        for (String policy : List.of("poison", "haircut", "fifo", "lifo", "tiho")) {
            TraceResult out = new UtxoTracer(store).trace(new TraceRequest(List.of(Seed.parse("outflows:" + satoshi.text())),
                    TaintPolicy.named(policy), 4));
            TraceResult hand = new UtxoTracer(store).trace(new TraceRequest(byHand, TaintPolicy.named(policy), 4));
            assertEquals(hand.account(), out.account(), policy);
        }
        long block170 = store.transaction(io.chaintrace.core.model.Hash256.fromHex(BLOCK_170)).orElseThrow().block().time();
        assertEquals(10 * BTC, new UtxoTracer(store).trace(new TraceRequest(List.of(Seed.parse(BLOCK_170 + ":0")),
                TaintPolicy.named("haircut"), 1)).seeded(), "Hal Finney's 10 BTC");
        assertTrue(new UtxoTracer(store).trace(new TraceRequest(List.of(Seed.parse("outflows:" + satoshi.text() + "@" + (block170 + 1))),
                TaintPolicy.named("haircut"), 1)).seeded() < new UtxoTracer(store).trace(new TraceRequest(
                List.of(Seed.parse("outflows:" + satoshi.text() + "@" + block170)), TaintPolicy.named("haircut"), 1)).seeded(),
                "from after block 170, its payment to Hal Finney is left out");
        long after = lastTime + 1;
        io.chaintrace.core.trace.UtxoTracer.SeedNotFoundException none = org.junit.jupiter.api.Assertions.assertThrows(
                io.chaintrace.core.trace.UtxoTracer.SeedNotFoundException.class, () -> new UtxoTracer(store).trace(new TraceRequest(
                        List.of(Seed.parse("outflows:" + satoshi.text() + "@" + after)), TaintPolicy.named("haircut"), 1)));
        assertTrue(none.getMessage().contains("paid nothing from time " + after), none.getMessage());
    }
}
