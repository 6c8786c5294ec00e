package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.account.AccountTracer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.labels.LabelImporter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Anvil theft, ingested and labelled, traced forward from the attacker under every policy:
 * the exact amount reaching each labelled exchange deposit address.
 *
 * <p>By hand. Before the theft the attacker holds 1.5 ETH, all clean (2 in, 0.5 back out). The
 * theft adds 1,000 tainted ETH. The ten splits pay 51..60 ETH. What reaches the exchanges:
 * E1 gets 5 ETH from split 5 through the forwarder contract and 20 ETH from split 7; E2 gets 30 ETH
 * from split 8 and 9 ETH from withdrawal address 1, which the pool contract paid 10 ETH out of the
 * 30 deposited by splits 1-3. Tokens: the attacker's 250,000 STK are all stolen; split 1 gets
 * 100,000 and pays 50,000 to E1.
 * <ul>
 *   <li>LIFO and TIHO: the splits take the newest (tainted) value first, so all of it is tainted:
 *       E1 = 25 ETH, E2 = 39 ETH.
 *   <li>FIFO: split 1 takes the 1.5 clean ETH first (its 51 ETH: 1.5 clean, then 49.5 tainted, in
 *       that order). Its deposit of 10 into the pool contract is its first 10: 1.5 clean, 8.5
 *       tainted. The pool pays its first 10 in (split 1's deposit) to withdrawal address 1, which
 *       pays its first 9 (1.5 clean, 7.5 tainted) to E2. E1 = 5 + 20 = 25, E2 = 30 + 7.5 = 37.5.
 *   <li>Haircut: every pool passes on its tainted share, floored to the wei, computed below step
 *       by step from the attacker's pool (1,001.5 ETH, 1,000 tainted).
 *   <li>Poison: everything after the theft is tainted: E1 = 25, E2 = 39.
 *   <li>Tokens, every policy: 50,000 STK reach E1.
 * </ul>
 */
@ExtendWith(AnvilExtension.class)
class AnvilTraceIT {
    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    static TheftScenario scenario;
    static ChainStore store;
    @TempDir
    static Path dir;

    @BeforeAll
    static void playIngestAndLabel(AnvilExtension.Anvil anvil) throws Exception {
        scenario = TheftScenario.play(anvil.url());
        store = ChainStore.open(dir.resolve("store"));
        try (EthRpcClient client = new EthRpcClient(anvil.url(), EthRpcClient.Settings.DEFAULT)) {
            new EthRpcSource(store, client, new EthRpcSource.Settings(0, 4, false), 0, Long.MAX_VALUE).run(IngestListener.NONE);
        }
        Path labels = dir.resolve("exchanges.csv");
        Files.writeString(labels, "chain,address,label,category,source\n"
                + "ethereum," + TheftScenario.addr(scenario.exchangeDeposit1) + ",Binance,deposit,test\n"
                + "ethereum," + TheftScenario.addr(scenario.exchangeDeposit2) + ",Kraken,deposit,test\n");
        new LabelImporter(store).importFile(labels);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    static AccountTrace.Result trace(TaintPolicy p) {
        List<AccountTrace.Seed> seeds = List.of(
                new AccountTrace.Seed(Address.parse(TheftScenario.addr(scenario.attacker)), Optional.of(Hash256.fromHex(scenario.theftTx))),
                new AccountTrace.Seed(Address.parse(TheftScenario.addr(scenario.attacker)), Optional.of(Hash256.fromHex(scenario.tokenTheftTx))));
        return new AccountTracer(store).trace(new AccountTrace.Request(seeds, p, Limits.DEFAULT.withHops(10), TraceRequest.SERVICES, false));
    }

    static BigInteger eth(String n) {
        return new java.math.BigDecimal(n).multiply(new java.math.BigDecimal(ETHER)).toBigIntegerExact();
    }

    /** Haircut by hand: a pool with {@code taint} of {@code balance} paying {@code amount} passes on floor(taint x amount / balance). */
    static BigInteger share(BigInteger taint, BigInteger amount, BigInteger balance) {
        return amount.equals(balance) ? taint : taint.multiply(amount).divide(balance);
    }

    static Map<String, BigInteger> haircutByHand() {
        // The attacker's pool: 1.5 clean, then 1,000 tainted. Splits 51..60 in order.
        BigInteger balance = eth("1001.5");
        BigInteger taint = eth("1000");
        BigInteger[] split = new BigInteger[11];
        for (int i = 1; i <= 10; i++) {
            BigInteger amount = eth(String.valueOf(50 + i));
            split[i] = share(taint, amount, balance);
            taint = taint.subtract(split[i]);
            balance = balance.subtract(amount);
        }
        // Each split address holds one inflow, so its first payment passes on (taint/amount) of it.
        BigInteger viaForwarder = share(split[5], eth("5"), eth("55")); // the forwarder passes it all on
        BigInteger fromSplit7 = share(split[7], eth("20"), eth("57"));
        BigInteger fromSplit8 = share(split[8], eth("30"), eth("58"));
        // The pool contract: deposits of 10 from splits 1, 2, 3; the first withdrawal pays 10 of 30.
        // Split 1 paid 100,000 STK earlier, which does not touch its ETH pool.
        BigInteger deposits = share(split[1], eth("10"), eth("51")).add(share(split[2], eth("10"), eth("52")))
                .add(share(split[3], eth("10"), eth("53")));
        BigInteger toW1 = share(deposits, eth("10"), eth("30"));
        BigInteger fromW1 = share(toW1, eth("9"), eth("10"));
        return Map.of("Binance", viaForwarder.add(fromSplit7), "Kraken", fromSplit8.add(fromW1));
    }

    @Test
    void exactAmountsReachingEachExchangePerPolicy() {
        Map<String, BigInteger> allTainted = Map.of("Binance", eth("25"), "Kraken", eth("39"));
        Map<String, Map<String, BigInteger>> expected = Map.of("poison", allTainted, "fifo", Map.of("Binance", eth("25"), "Kraken", eth("37.5")),
                "lifo", allTainted,
                "tiho", allTainted, "haircut", haircutByHand());
        for (TaintPolicy p : TaintPolicy.ALL) {
            AccountTrace.Result r = trace(p);
            AccountTrace.AssetResult eth = r.asset("ETH").orElseThrow();
            assertEquals(expected.get(p.name()), eth.byEntity(), p.name() + " ETH");
            AccountTrace.AssetResult stk = r.asset("STK").orElseThrow();
            assertEquals(Map.of("Binance", BigInteger.valueOf(50_000_000_000L)), stk.byEntity(), p.name() + " STK");
            if (p.conserving()) {
                assertTrue(eth.account().balanced(), p.name() + " " + eth.account());
                assertTrue(stk.account().balanced(), p.name() + " " + stk.account());
                assertEquals(eth("1000"), eth.account().seeded());
            }
        }
    }

    @Test
    void theOutflowBeforeTheTheftCarriesNoTaint() {
        String bystander = "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc";
        for (TaintPolicy p : TaintPolicy.ALL) {
            AccountTrace.AssetResult eth = trace(p).asset("ETH").orElseThrow();
            assertTrue(eth.addresses().stream().noneMatch(a -> a.address().text().equalsIgnoreCase(bystander)),
                    p.name() + ": the 0.5 ETH sent back before the theft is clean");
        }
    }

    /**
     * Backward from each exchange deposit, FIFO finds in the theft transfer exactly the amount the
     * forward FIFO trace delivered to that deposit: the trace runs both ways on real node data.
     */
    @Test
    void fifoBackwardFromEachDepositFindsTheTheft() {
        TaintPolicy fifo = TaintPolicy.named("fifo");
        List<AccountTrace.Hit> hits = trace(fifo).asset("ETH").orElseThrow().endpoints();
        assertTrue(hits.size() >= 3, "deposits reached: " + hits);
        for (AccountTrace.Hit hit : hits) {
            AccountTrace.AssetResult back = new io.chaintrace.core.account.AccountBackwardTracer(store).trace(new AccountTrace.Request(
                    List.of(new AccountTrace.Seed(hit.address(), Optional.of(hit.tx()))), fifo, Limits.DEFAULT.withHops(10),
                    TraceRequest.SERVICES, false)).assets().getFirst();
            BigInteger fromTheft = back.flows().stream()
                    .filter(f -> f.transfer().txHash().equals(Hash256.fromHex(scenario.theftTx)))
                    .map(AccountTrace.TaintedTransfer::taint).reduce(BigInteger.ZERO, BigInteger::add);
            assertEquals(hit.amount(), fromTheft, "deposit " + hit.tx().hex() + " to " + hit.entity());
            assertTrue(back.account().balanced(), back.account().toString());
        }
    }
}
