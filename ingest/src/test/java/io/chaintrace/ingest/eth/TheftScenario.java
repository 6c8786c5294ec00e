package io.chaintrace.ingest.eth;

import io.chaintrace.core.model.TransferKind;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays an exchange theft on a real Anvil node and records every value transfer it makes, with
 * the exact amount, so that what an ingest stores can be checked against what was sent.
 *
 * <p>Before the theft the attacker gets 2 ETH from a bystander and sends 0.5 ETH back (an outflow
 * that carries no stolen value). Then: the exchange's hot wallet is drained of 1,000 ETH and
 * 250,000 STK (an ERC-20 it deployed); the attacker splits 555 ETH over ten fresh addresses and
 * passes 100,000 STK on; three of them deposit into a fixed-denomination pool (10 ETH), whose
 * operator pays three fresh addresses (internal transfers); one deposit with the wrong amount
 * reverts; a forwarder contract passes 5 ETH on internally, and its forward to a contract that
 * refuses payment fails inside a successful transaction (that inner call moves nothing; the
 * forwarder refunds the sender); and split and pool money lands in two labelled exchange deposit
 * addresses.
 */
public final class TheftScenario {
    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    static final BigInteger GAS_LIMIT = BigInteger.valueOf(500_000);
    static final BigInteger DEPLOY_GAS = BigInteger.valueOf(3_000_000);
    // Anvil's development keys (accounts 1 and 2 of its test mnemonic), funded at start.
    static final Credentials OPERATOR = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    static final Credentials BYSTANDER = Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    /** A transfer the scenario made; {@code token} is empty for ETH. Addresses lower-case. */
    public record Sent(String txHash, TransferKind kind, String from, String to, BigInteger amount, String token) {
    }

    public final List<Sent> sent = new ArrayList<>();
    public final List<String> revertedTxs = new ArrayList<>();
    public final List<String> failedInnerCallTxs = new ArrayList<>();
    /** The exchange's hot wallet: a fresh key given 10,000 ETH with anvil_setBalance. */
    public final Credentials hotWallet = fresh();
    public final Credentials attacker = fresh();
    public final List<Credentials> splits = new ArrayList<>();
    public final List<Credentials> withdrawals = new ArrayList<>();
    public final Credentials exchangeDeposit1 = fresh();
    public final Credentials exchangeDeposit2 = fresh();
    public String token;
    public String pool;
    public String forwarder;
    public String sink;
    public long theftBlock;
    public String theftTx;
    public String tokenTheftTx;

    private final Web3j web3;
    private final BigInteger gasPrice;

    private final String url;

    private TheftScenario(String url) throws IOException {
        this.url = url;
        this.web3 = Web3j.build(new HttpService(url));
        this.gasPrice = web3.ethGasPrice().send().getGasPrice();
    }

    /** Plays the whole scenario on the node at {@code url}. */
    public static TheftScenario play(String url) throws Exception {
        TheftScenario s = new TheftScenario(url);
        try {
            s.run();
        } finally {
            s.web3.shutdown();
        }
        return s;
    }

    static Credentials fresh() {
        try {
            return Credentials.create(Keys.createEcKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String addr(Credentials c) {
        return c.getAddress().toLowerCase(Locale.ROOT);
    }

    private void run() throws Exception {
        JsonNode contracts = compile();
        new org.web3j.protocol.core.Request<>("anvil_setBalance", List.of(addr(hotWallet), "0x" + ETHER.multiply(BigInteger.valueOf(10_000)).toString(16)),
                new HttpService(url), org.web3j.protocol.core.methods.response.VoidResponse.class).send();
        // Before the theft: the attacker's address has a small, clean history.
        pay(BYSTANDER, addr(attacker), ETHER.multiply(BigInteger.TWO));
        pay(attacker, addr(BYSTANDER), ETHER.divide(BigInteger.TWO));
        token = deploy(hotWallet, contracts.path("StolenToken"), new Uint256(BigInteger.valueOf(1_000_000_000_000L)));
        sent.add(new Sent(lastTx, TransferKind.TOKEN, "0x0000000000000000000000000000000000000000", addr(hotWallet),
                BigInteger.valueOf(1_000_000_000_000L), token)); // the mint
        pool = deploy(OPERATOR, contracts.path("FixedPool"), new Uint256(ETHER.multiply(BigInteger.TEN)));
        forwarder = deploy(OPERATOR, contracts.path("Forwarder"));
        sink = deploy(OPERATOR, contracts.path("RefusingSink"));

        // The theft.
        theftTx = pay(hotWallet, addr(attacker), ETHER.multiply(BigInteger.valueOf(1000)));
        theftBlock = receipt(theftTx).getBlockNumber().longValueExact();
        tokenTransfer(hotWallet, addr(attacker), BigInteger.valueOf(250_000_000_000L));
        tokenTheftTx = lastTx;

        // Split.
        for (int i = 1; i <= 10; i++) {
            Credentials c = fresh();
            splits.add(c);
            pay(attacker, addr(c), ETHER.multiply(BigInteger.valueOf(50 + i)));
        }
        tokenTransfer(attacker, addr(splits.get(0)), BigInteger.valueOf(100_000_000_000L));

        // The pool: three deposits, one reverted deposit, three withdrawals to fresh addresses.
        for (int i = 0; i < 3; i++) {
            call(splits.get(i), pool, fn("deposit"), ETHER.multiply(BigInteger.TEN), true);
            sent.add(new Sent(lastTx, TransferKind.NATIVE, addr(splits.get(i)), pool, ETHER.multiply(BigInteger.TEN), ""));
        }
        revertedTxs.add(call(splits.get(3), pool, fn("deposit"), ETHER.multiply(BigInteger.valueOf(7)), false));
        for (int i = 0; i < 3; i++) {
            Credentials w = fresh();
            withdrawals.add(w);
            call(OPERATOR, pool, fn("withdraw", new org.web3j.abi.datatypes.Address(addr(w))), BigInteger.ZERO, true);
            sent.add(new Sent(lastTx, TransferKind.INTERNAL, pool, addr(w), ETHER.multiply(BigInteger.TEN), ""));
        }

        // The forwarder: one forward that arrives, one whose inner call fails inside a successful transaction.
        BigInteger five = ETHER.multiply(BigInteger.valueOf(5));
        call(splits.get(4), forwarder, fn("forward", new org.web3j.abi.datatypes.Address(addr(exchangeDeposit1))), five, true);
        sent.add(new Sent(lastTx, TransferKind.NATIVE, addr(splits.get(4)), forwarder, five, ""));
        sent.add(new Sent(lastTx, TransferKind.INTERNAL, forwarder, addr(exchangeDeposit1), five, ""));
        BigInteger three = ETHER.multiply(BigInteger.valueOf(3));
        String refused = call(splits.get(5), forwarder, fn("forward", new org.web3j.abi.datatypes.Address(sink)), three, true);
        failedInnerCallTxs.add(refused);
        sent.add(new Sent(refused, TransferKind.NATIVE, addr(splits.get(5)), forwarder, three, ""));
        sent.add(new Sent(refused, TransferKind.INTERNAL, forwarder, addr(splits.get(5)), three, "")); // the refund

        // Cash-out to exchange deposit addresses.
        pay(splits.get(6), addr(exchangeDeposit1), ETHER.multiply(BigInteger.valueOf(20)));
        pay(splits.get(7), addr(exchangeDeposit2), ETHER.multiply(BigInteger.valueOf(30)));
        pay(withdrawals.get(0), addr(exchangeDeposit2), ETHER.multiply(BigInteger.valueOf(9)));
        tokenTransfer(splits.get(0), addr(exchangeDeposit1), BigInteger.valueOf(50_000_000_000L));
    }

    private String lastTx;

    private String pay(Credentials from, String to, BigInteger value) throws Exception {
        String tx = send(from, to, "", value, false, true);
        sent.add(new Sent(tx, TransferKind.NATIVE, addr(from), to, value, ""));
        return tx;
    }

    private void tokenTransfer(Credentials from, String to, BigInteger amount) throws Exception {
        String tx = call(from, token, fn("transfer", new org.web3j.abi.datatypes.Address(to), new Uint256(amount)), BigInteger.ZERO, true);
        sent.add(new Sent(tx, TransferKind.TOKEN, addr(from), to, amount, token));
    }

    private String call(Credentials from, String to, Function f, BigInteger value, boolean mustSucceed) throws Exception {
        return send(from, to, FunctionEncoder.encode(f), value, false, mustSucceed);
    }

    private String deploy(Credentials from, JsonNode contract, org.web3j.abi.datatypes.Type<?>... args) throws Exception {
        String data = contract.path("bytecode").asString() + FunctionEncoder.encodeConstructor(List.of(args));
        String tx = send(from, null, data, BigInteger.ZERO, true, true);
        return receipt(tx).getContractAddress().toLowerCase(Locale.ROOT);
    }

    private String send(Credentials from, String to, String data, BigInteger value, boolean create, boolean mustSucceed) throws Exception {
        RawTransactionManager tm = new RawTransactionManager(web3, from, 31337L);
        EthSendTransaction r = tm.sendTransaction(gasPrice, create ? DEPLOY_GAS : GAS_LIMIT, to, data, value, create);
        if (r.hasError()) {
            throw new IllegalStateException("Anvil refused a transaction from " + from.getAddress() + " of " + value + " wei (gas price " + gasPrice + "): " + r.getError().getMessage());
        }
        String hash = r.getTransactionHash().toLowerCase(Locale.ROOT);
        TransactionReceipt receipt = receipt(hash);
        if (receipt.isStatusOK() != mustSucceed) {
            throw new IllegalStateException("transaction " + hash + " status " + receipt.getStatus() + ", expected "
                    + (mustSucceed ? "success" : "revert"));
        }
        lastTx = hash;
        return hash;
    }

    /** Anvil mines each transaction as it arrives, but the receipt may trail the answer by a moment. */
    private TransactionReceipt receipt(String hash) throws Exception {
        for (int i = 0; i < 200; i++) {
            var r = web3.ethGetTransactionReceipt(hash).send().getTransactionReceipt();
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(25);
        }
        throw new IllegalStateException("not mined within 5 s: " + hash);
    }

    private static Function fn(String name, org.web3j.abi.datatypes.Type<?>... args) {
        return new Function(name, List.of(args), List.of());
    }

    private static JsonNode compile() throws Exception {
        return compile("TheftScenario.sol");
    }

    /** Compiles one of src/test/solidity with solc (tools/compile-contracts.js): contract name to ABI and bytecode. */
    static JsonNode compile(String file) throws Exception {
        Path out = Files.createTempFile("contracts", ".json");
        Path source = Path.of(System.getProperty("chaintrace.solidity", "src/test/solidity")).resolve(file);
        Process p = new ProcessBuilder("node", AnvilExtension.tools().resolve("compile-contracts.js").toString(), out.toString(),
                source.toAbsolutePath().toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("solc failed: " + output);
        }
        try {
            return JsonMapper.builder().build().readTree(out.toFile());
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
