package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.account.AccountTracer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.TransferKind;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.SwapDetector;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import tools.jackson.databind.JsonNode;

/**
 * A theft laundered through a swap, on a real Anvil node: a constant-product pool of a token and ETH
 * (SwapScenario.sol, compiled with solc here) holds liquidity and has served another trader; a thief
 * steals 250,000 tokens from a hot wallet, sells them all to the pool in one transaction (tokens in
 * by {@code transferFrom}, ETH out as an internal transfer), and, holding 2 ETH of clean money from
 * before, pays the swap's ETH on to a fresh address, which pays it all to an exchange.
 *
 * <p>The swap is flagged. With {@code followSwaps} the trace goes on in ETH with exactly what the
 * swap paid, under every policy; the pool takes no taint; the accounts balance per asset. Without it
 * the pool, labelled a DEX, is where the trace ends.
 */
@ExtendWith(AnvilExtension.class)
class AnvilSwapIT {
    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    static final BigInteger TOKEN = BigInteger.TEN.pow(18);
    static final BigInteger STOLEN = TOKEN.multiply(BigInteger.valueOf(250_000));
    static final Credentials LP = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    static final Credentials BYSTANDER = Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    static Web3j web3;
    static BigInteger gasPrice;
    static String token;
    static String pool;
    static final Credentials HOT = fresh();
    static final Credentials THIEF = fresh();
    static final Credentials TRADER = fresh();
    static final Credentials NEXT = fresh();
    static final Credentials EXCHANGE = fresh();
    static String theftTx;
    static String swapTx;
    static ChainStore store;

    @TempDir
    static Path dir;

    @BeforeAll
    static void play(AnvilExtension.Anvil anvil) throws Exception {
        web3 = Web3j.build(new HttpService(anvil.url()));
        gasPrice = web3.ethGasPrice().send().getGasPrice();
        JsonNode contracts = TheftScenario.compile("SwapScenario.sol");
        for (Credentials c : List.of(HOT, THIEF, TRADER, NEXT)) {
            setBalance(anvil.url(), c, ETHER); // gas money, set outside any transfer
        }
        token = deploy(LP, contracts.path("SwapToken"), BigInteger.ZERO, new Uint256(TOKEN.multiply(BigInteger.valueOf(10_000_000))));
        pool = deploy(LP, contracts.path("SwapPool"), ETHER.multiply(BigInteger.valueOf(100)), new org.web3j.abi.datatypes.Address(token));
        call(LP, token, fn("transfer", new org.web3j.abi.datatypes.Address(pool), new Uint256(TOKEN.multiply(BigInteger.valueOf(1_000_000)))),
                BigInteger.ZERO);
        call(LP, token, fn("transfer", new org.web3j.abi.datatypes.Address(addr(HOT)), new Uint256(TOKEN.multiply(BigInteger.valueOf(400_000)))),
                BigInteger.ZERO);
        // Another trader uses the pool first: its history is not the thief's alone.
        call(LP, token, fn("transfer", new org.web3j.abi.datatypes.Address(addr(TRADER)), new Uint256(TOKEN.multiply(BigInteger.valueOf(10_000)))),
                BigInteger.ZERO);
        sell(TRADER, TOKEN.multiply(BigInteger.valueOf(10_000)));
        // The thief's clean money from before.
        pay(BYSTANDER, addr(THIEF), ETHER.multiply(BigInteger.TWO));
        theftTx = call(HOT, token, fn("transfer", new org.web3j.abi.datatypes.Address(addr(THIEF)), new Uint256(STOLEN)), BigInteger.ZERO);
        swapTx = sell(THIEF, STOLEN);
        store = ChainStore.open(dir.resolve("store"));
        try (EthRpcClient client = new EthRpcClient(anvil.url(), EthRpcClient.Settings.DEFAULT)) {
            new EthRpcSource(store, client, new EthRpcSource.Settings(0, 4, false), 0, Long.MAX_VALUE).run(IngestListener.NONE);
        }
        BigInteger bought = swapOut();
        pay(THIEF, addr(NEXT), bought);
        pay(NEXT, addr(EXCHANGE), bought); // its own gas money (set, not paid) covers the fee
        try (EthRpcClient client = new EthRpcClient(anvil.url(), EthRpcClient.Settings.DEFAULT)) {
            new EthRpcSource(store, client, new EthRpcSource.Settings(0, 4, false), 0, Long.MAX_VALUE).run(IngestListener.NONE);
        }
        store.putLabels(Address.parse(pool), List.of(new Label(Address.parse(pool), "SwapPool", LabelCategory.DEX, "test", 1.0)));
        store.putLabels(Address.parse(addr(EXCHANGE)), List.of(new Label(Address.parse(addr(EXCHANGE)), "Exchange", LabelCategory.EXCHANGE,
                "test", 1.0)));
        web3.shutdown();
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    /** The ETH the pool paid the thief in the swap, as the node path stored it (an internal transfer). */
    static BigInteger swapOut() {
        return store.transfersOf(Address.parse(addr(THIEF))).stream()
                .filter(t -> t.txHash().equals(Hash256.fromHex(swapTx)) && t.kind() == TransferKind.INTERNAL).findFirst().orElseThrow()
                .amount().units();
    }

    private static AccountTrace.Result trace(TaintPolicy p, boolean follow) {
        return new AccountTracer(store).trace(new AccountTrace.Request(
                List.of(new AccountTrace.Seed(Address.parse(addr(THIEF)), Optional.of(Hash256.fromHex(theftTx)))), p,
                Limits.DEFAULT.withHops(6), TraceRequest.SERVICES, false, follow));
    }

    @Test
    void theSwapIsFlaggedWithTheThiefAsTheSwapper() {
        List<Alert> found = new ArrayList<>();
        SwapDetector d = new SwapDetector();
        store.forEachEthTransfer(0, Long.MAX_VALUE, t -> d.accept(t, store, found::add));
        d.finish(found::add);
        assertEquals(2, found.size(), "the trader's swap and the thief's: " + found);
        Alert thief = found.stream().filter(a -> a.transactions().getFirst().equals(Hash256.fromHex(swapTx))).findFirst().orElseThrow();
        assertEquals(addr(THIEF), thief.addresses().getFirst().text().toLowerCase(Locale.ROOT));
        assertEquals(List.of(STOLEN, swapOut()), thief.amounts());
        assertEquals(Map.of("paid", Address.parse(token).text(), "received", "ETH"), thief.parameters());
    }

    @Test
    void followedTheTaintGoesOnInEthExactlyUnderEveryPolicy() {
        BigInteger bought = swapOut();
        BigInteger clean = ETHER.multiply(BigInteger.TWO);
        for (TaintPolicy p : TaintPolicy.ALL) {
            AccountTrace.Result r = trace(p, true);
            AccountTrace.AssetResult tokens = r.assets().stream().filter(a -> a.asset().contract().isPresent()).findFirst().orElseThrow();
            AccountTrace.AssetResult eth = r.asset("ETH").orElseThrow(() -> new AssertionError(p.name() + ": no ETH leg"));
            assertEquals(STOLEN, tokens.account().seeded(), p.name());
            assertEquals(STOLEN, tokens.account().swappedOut(), p.name() + ": every stolen token went into the swap");
            assertEquals(BigInteger.ZERO, tokens.account().endpoints(), p.name() + ": the pool is not where it ends");
            assertTrue(tokens.addresses().stream().noneMatch(a -> a.address().text().equalsIgnoreCase(pool) && a.received().signum() > 0),
                    p.name() + ": the pool takes no taint: " + tokens.addresses() + " " + tokens.flows());
            assertEquals(BigInteger.ZERO, eth.account().seeded(), p.name());
            assertEquals(bought, eth.account().swappedIn(), p.name() + ": the swap paid this much ETH for stolen tokens only");
            // What the thief paid on carries, by the policy's own rule, a part of the bought ETH; all of it reaches the exchange.
            BigInteger expected = switch (p.name()) {
                case "fifo" -> bought.subtract(clean); // the 2 clean ETH arrived first and leave first
                case "haircut" -> bought.multiply(bought).divide(bought.add(clean)); // the pool's tainted share
                default -> bought; // lifo (newest first), tiho (taint first), poison (all of it)
            };
            BigInteger atExchange = eth.endpoints().stream().map(AccountTrace.Hit::amount).reduce(BigInteger.ZERO, BigInteger::add);
            assertTrue(atExchange.subtract(expected).abs().compareTo(BigInteger.ONE) <= 0, p.name() + ": " + atExchange + " vs " + expected
                    + "; " + eth.account() + " " + eth.flows() + " " + eth.addresses());
            if (p.conserving()) {
                assertTrue(tokens.account().balanced(), p.name() + " " + tokens.account());
                assertTrue(eth.account().balanced(), p.name() + " " + eth.account());
            }
        }
    }

    @Test
    void notFollowedThePoolIsADexEndpoint() {
        for (TaintPolicy p : TaintPolicy.ALL) {
            AccountTrace.Result r = trace(p, false);
            assertEquals(1, r.assets().size(), p.name() + ": the token only");
            AccountTrace.AssetResult tokens = r.assets().getFirst();
            assertEquals(STOLEN, tokens.account().endpoints(), p.name());
            assertEquals(Map.of("SwapPool", STOLEN), tokens.byEntity(), p.name());
            assertEquals(BigInteger.ZERO, tokens.account().swappedOut(), p.name());
        }
    }

    // --- the node, as the scenario drives it ---

    private static Credentials fresh() {
        return TheftScenario.fresh();
    }

    static String addr(Credentials c) {
        return TheftScenario.addr(c);
    }

    private static void setBalance(String url, Credentials c, BigInteger wei) throws Exception {
        new org.web3j.protocol.core.Request<>("anvil_setBalance", List.of(addr(c), "0x" + wei.toString(16)), new HttpService(url),
                org.web3j.protocol.core.methods.response.VoidResponse.class).send();
    }

    private static String sell(Credentials who, BigInteger amount) throws Exception {
        call(who, token, fn("approve", new org.web3j.abi.datatypes.Address(pool), new Uint256(amount)), BigInteger.ZERO);
        return call(who, pool, fn("sellTokens", new Uint256(amount)), BigInteger.ZERO);
    }

    private static Function fn(String name, org.web3j.abi.datatypes.Type<?>... args) {
        return new Function(name, List.of(args), List.of());
    }

    private static String pay(Credentials from, String to, BigInteger value) throws Exception {
        return send(from, to, "", value, false);
    }

    private static String call(Credentials from, String to, Function f, BigInteger value) throws Exception {
        return send(from, to, FunctionEncoder.encode(f), value, false);
    }

    private static String deploy(Credentials from, JsonNode contract, BigInteger value, org.web3j.abi.datatypes.Type<?>... args) throws Exception {
        String tx = send(from, null, contract.path("bytecode").asString() + FunctionEncoder.encodeConstructor(List.of(args)), value, true);
        return receipt(tx).getContractAddress().toLowerCase(Locale.ROOT);
    }

    private static String send(Credentials from, String to, String data, BigInteger value, boolean create) throws Exception {
        RawTransactionManager tm = new RawTransactionManager(web3, from, 31337L);
        EthSendTransaction r = tm.sendTransaction(gasPrice, BigInteger.valueOf(create ? 3_000_000 : 500_000), to, data, value, create);
        if (r.hasError()) {
            throw new IllegalStateException("Anvil refused: " + r.getError().getMessage());
        }
        TransactionReceipt receipt = receipt(r.getTransactionHash());
        if (!receipt.isStatusOK()) {
            throw new IllegalStateException("transaction " + r.getTransactionHash() + " reverted");
        }
        return r.getTransactionHash().toLowerCase(Locale.ROOT);
    }

    private static TransactionReceipt receipt(String hash) throws Exception {
        for (int i = 0; i < 200; i++) {
            var r = web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException("not mined within 5 s: " + hash);
    }
}
