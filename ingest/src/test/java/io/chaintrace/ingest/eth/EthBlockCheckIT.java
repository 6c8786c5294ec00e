package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.CorruptAnswerException;
import io.chaintrace.ingest.IngestListener;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.crypto.AccessListObject;
import org.web3j.crypto.Blob;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Blocks from a real Anvil node (today's header, with every field up to Prague's requests hash) holding every kind of
 * transaction Ethereum defines (legacy with EIP-155, EIP-2930 with an access list, EIP-1559, a contract creation, an
 * EIP-4844 blob transaction, EIP-7702 with an authorization), a block of 130 transactions (keys of two bytes in the trie), and a receipt
 * with a log: each held to its hash by the ingest. Then the same blocks through a proxy that changes one thing in the
 * node's answer: each change refused, naming the block and what differs, with nothing of that block stored; the
 * ingest run again against the node itself completes.
 */
@ExtendWith(AnvilExtension.class)
class EthBlockCheckIT {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    static final Credentials SENDER = Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    static final Credentials AUTHORITY = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
    static final long CHAIN = 31337;
    static final String TO = "0x000000000000000000000000000000000000beef";
    /** Init code of a contract whose code logs 32 zero bytes (LOG0) whenever called: 60206000a000. */
    static final String LOGGER = "0x6560206000a0006000526006601af3";
    static final BigInteger GWEI = BigInteger.TEN.pow(9);

    static String url;
    static long typesBlock;
    static long logBlock;
    static long wideBlock;
    static long head;
    static long blobBlock;

    @TempDir
    Path dir;

    @BeforeAll
    static void mine(AnvilExtension.Anvil anvil) throws Exception {
        url = anvil.url();
        Web3j web3 = Web3j.build(new HttpService(url));
        try {
            rpc("evm_setAutomine", false);
            long nonce = 0;
            send(web3, TransactionEncoder.signMessage(RawTransaction.createEtherTransaction(BigInteger.valueOf(nonce++), GWEI.multiply(
                    BigInteger.TEN), BigInteger.valueOf(21_000), TO, BigInteger.ONE), CHAIN, SENDER));
            send(web3, TransactionEncoder.signMessage(RawTransaction.createTransaction(CHAIN, BigInteger.valueOf(nonce++), GWEI.multiply(
                    BigInteger.TEN), BigInteger.valueOf(30_000), TO, BigInteger.TWO, "0x", List.of(new AccessListObject(TO,
                    List.of("0x" + "00".repeat(31) + "01")))), SENDER));
            send(web3, TransactionEncoder.signMessage(RawTransaction.createEtherTransaction(CHAIN, BigInteger.valueOf(nonce++),
                    BigInteger.valueOf(21_000), TO, BigInteger.valueOf(3), GWEI, GWEI.multiply(BigInteger.TEN)), SENDER));
            long loggerNonce = nonce++;
            send(web3, TransactionEncoder.signMessage(RawTransaction.createTransaction(CHAIN, BigInteger.valueOf(loggerNonce),
                    BigInteger.valueOf(200_000), "", BigInteger.ZERO, LOGGER, GWEI, GWEI.multiply(BigInteger.TEN)), SENDER));
            String logger = org.web3j.crypto.ContractUtils.generateContractAddress(SENDER.getAddress(), BigInteger.valueOf(loggerNonce));
            send(web3, TransactionEncoder.signMessage(RawTransaction.createTransaction(CHAIN, BigInteger.valueOf(nonce++), GWEI,
                    GWEI.multiply(BigInteger.TEN), BigInteger.valueOf(100_000), AUTHORITY.getAddress(), BigInteger.ZERO, "0x", List.of(),
                    List.of(Sign.signAuthorization(CHAIN, logger, BigInteger.ZERO, AUTHORITY))), SENDER));
            rpc("evm_mine");
            typesBlock = web3.ethBlockNumber().send().getBlockNumber().longValueExact();

            send(web3, TransactionEncoder.signMessage(RawTransaction.createTransaction(CHAIN, BigInteger.valueOf(nonce++),
                    BigInteger.valueOf(50_000), logger, BigInteger.ZERO, "0x", GWEI, GWEI.multiply(BigInteger.TEN)), SENDER));
            rpc("evm_mine");
            logBlock = typesBlock + 1;

            for (int i = 0; i < 130; i++) {
                send(web3, TransactionEncoder.signMessage(RawTransaction.createEtherTransaction(BigInteger.valueOf(nonce++), GWEI.multiply(
                        BigInteger.TEN), BigInteger.valueOf(21_000), TO, BigInteger.valueOf(1000 + i)), CHAIN, SENDER));
            }
            rpc("evm_mine");
            wideBlock = logBlock + 1;
            head = web3.ethBlockNumber().send().getBlockNumber().longValueExact();

            // A blob of zeros, with its commitment and cell proofs (EIP-7594: Anvil's fork is past Osaka), in a block of its own.
            send(web3, TransactionEncoder.signMessage(RawTransaction.createEip7594Transaction(List.of(new Blob(new byte[131_072])), CHAIN,
                    BigInteger.valueOf(nonce++), GWEI, GWEI.multiply(BigInteger.TEN), BigInteger.valueOf(21_000), TO, BigInteger.valueOf(4),
                    "0x", GWEI), SENDER));
            rpc("evm_mine");
            blobBlock = head + 1;
        } finally {
            web3.shutdown();
        }
    }

    private static void send(Web3j web3, byte[] signed) throws IOException {
        EthSendTransaction r = web3.ethSendRawTransaction(Numeric.toHexString(signed)).send();
        if (r.hasError()) {
            throw new IllegalStateException("Anvil refused a transaction: " + r.getError().getMessage());
        }
    }

    static JsonNode rpc(String method, Object... params) throws IOException {
        return new Request<>(method, List.of(params), new HttpService(url), EthRpcClient.JsonResponse.class).send().getResult();
    }

    private EthRpcSource.Summary ingest(ChainStore store, String node, int batch) {
        try (EthRpcClient client = new EthRpcClient(node, EthBadInputIT.QUICK)) {
            return new EthRpcSource(store, client, new EthRpcSource.Settings(0, 2, false, batch), 0, head).run(IngestListener.NONE);
        }
    }

    @Test
    void blocksOfEveryKindOfTransactionHoldToTheirHashes() throws Exception {
        JsonNode types = rpc("eth_getBlockByNumber", Rpc.hex(typesBlock), true);
        Set<String> kinds = new TreeSet<>();
        boolean creation = false;
        for (JsonNode tx : types.get("transactions")) {
            kinds.add(tx.get("type").asString());
            creation |= tx.get("to") == null || tx.get("to").isNull();
        }
        assertEquals(Set.of("0x0", "0x1", "0x2", "0x4"), kinds, "the block holds each kind");
        assertTrue(creation, "and a contract creation");
        assertTrue(types.has("requestsHash") && types.has("parentBeaconBlockRoot") && types.has("withdrawalsRoot"),
                "a header of today's fields: " + types.propertyNames());
        assertEquals(130, rpc("eth_getBlockByNumber", Rpc.hex(wideBlock), false).get("transactions").size());
        assertFalse(rpc("eth_getBlockReceipts", Rpc.hex(logBlock)).get(0).get("logs").isEmpty(), "a receipt with a log");

        for (int batch : List.of(1, 8)) {
            try (ChainStore store = ChainStore.open(dir.resolve("batch" + batch))) {
                EthRpcSource.Summary s = ingest(store, url, batch);
                assertEquals(head + 1, s.blocks(), "batch " + batch);
                assertTrue(s.transfers() >= 133, "the ether moved: " + s.transfers());
            }
        }
    }

    /**
     * A blob transaction (EIP-4844) holds to its hash and its sender. The block holding it does not hold to its
     * transactions root on Anvil 1.7.1, which roots its transactions over the blob transaction as gossiped, sidecar and
     * all, rather than as a block body holds it (foundry-rs/foundry#15132, fixed after 1.7.1 by #15699): the root the
     * header gives is the root of that encoding, and the check refuses the block as any canonical node's header would.
     * With an Anvil that has the fix, the block holds.
     */
    @Test
    void aBlobTransactionHoldsToItsHash() throws Exception {
        JsonNode block = rpc("eth_getBlockByNumber", Rpc.hex(blobBlock), true);
        assertEquals(1, block.get("transactions").size());
        ObjectNode tx = (ObjectNode) block.get("transactions").get(0);
        assertEquals("0x3", tx.get("type").asString());
        assertEquals(1, tx.get("blobVersionedHashes").size());
        byte[] canonical = EthEncoding.transaction(tx);
        assertEquals(tx.get("hash").asString(), Numeric.toHexString(org.web3j.crypto.Hash.sha3(canonical)));
        assertEquals(java.util.Optional.empty(), BlockCheck.senderInvalidity(canonical, tx));

        byte[] asAnvilKeepsIt = Numeric.hexStringToByteArray(rpc("eth_getRawTransactionByHash", tx.get("hash").asString()).asString());
        if (java.util.Arrays.equals(asAnvilKeepsIt, canonical)) {
            assertEquals(java.util.Optional.empty(), BlockCheck.invalidity(block), "an Anvil with foundry-rs/foundry#15699");
        } else {
            assertTrue(asAnvilKeepsIt.length > 131_072, "the sidecar's blob: " + asAnvilKeepsIt.length + " bytes");
            assertEquals(block.get("transactionsRoot").asString(), Numeric.toHexString(TrieRoot.ofList(List.of(asAnvilKeepsIt))));
            assertEquals(java.util.Optional.of("its 1 transactions have the root " + Numeric.toHexString(TrieRoot.ofList(List.of(canonical)))
                    + ", not the header's " + block.get("transactionsRoot").asString() + ": transactions were left out, added or reordered"),
                    BlockCheck.invalidity(block));
        }

        ArrayNode hashes = (ArrayNode) tx.get("blobVersionedHashes");
        hashes.set(0, JSON.getNodeFactory().stringNode(BlockCheckTest.changed(hashes.get(0).asString())));
        assertTrue(BlockCheck.invalidity(block).orElseThrow().startsWith("transaction 0 hashes to 0x"));
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("a legacy transaction's value", block(() -> typesBlock, b -> tx(b, "0x0").put("value", "0x2")),
                        "transaction 0 hashes to 0x"),
                Arguments.of("an access list's storage key", block(() -> typesBlock, b -> {
                    ArrayNode keys = (ArrayNode) tx(b, "0x1").get("accessList").get(0).get("storageKeys");
                    keys.set(0, JSON.getNodeFactory().stringNode("0x" + "00".repeat(31) + "02"));
                }), "transaction 1 hashes to 0x"),
                Arguments.of("an EIP-1559 transaction's recipient", block(() -> typesBlock, b -> tx(b, "0x2").put("to",
                        "0x000000000000000000000000000000000000dead")), "transaction 2 hashes to 0x"),
                Arguments.of("an authorization's address", block(() -> typesBlock, b -> ((ObjectNode) tx(b, "0x4").get("authorizationList")
                        .get(0)).put("address", TO)), "hashes to 0x"),
                Arguments.of("an EIP-2930 transaction's sender", block(() -> typesBlock, b -> tx(b, "0x1").put("from",
                        AUTHORITY.getAddress().toLowerCase(java.util.Locale.ROOT))), "is signed by " + SENDER.getAddress()),
                Arguments.of("an EIP-1559 transaction's gas price (not in its hash)", block(() -> typesBlock, b -> tx(b, "0x2")
                        .put("gasPrice", "0x1")), "is given the gas price 1 where its fees and the block's base fee make "),
                Arguments.of("the header's blob gas used", block(() -> typesBlock, b -> b.put("blobGasUsed", "0x20000")),
                        "its header hashes to 0x"),
                Arguments.of("the header's timestamp", block(() -> typesBlock, b -> b.put("timestamp", "0x1")), "its header hashes to 0x"),
                Arguments.of("the header's requests hash", block(() -> typesBlock, b -> b.put("requestsHash", "0x" + "11".repeat(32))),
                        "its header hashes to 0x"),
                Arguments.of("the last of 130 transactions left out", block(() -> wideBlock, b -> ((ArrayNode) b.get("transactions"))
                        .remove(129)), "its 129 transactions have the root 0x"),
                Arguments.of("a log's data", receipts(() -> logBlock, r -> ((ObjectNode) r.get("logs").get(0)).put("data",
                        "0x" + "00".repeat(31) + "01")), "its receipts have the root 0x"),
                Arguments.of("a receipt's status", receipts(() -> logBlock, r -> r.put("status", "0x0")), "its receipts have the root 0x"),
                Arguments.of("a log moved to another transaction", receipts(() -> logBlock, r -> ((ObjectNode) r.get("logs").get(0))
                        .put("transactionHash", "0x" + "ab".repeat(32))), "log 0 of the block, in the receipt of transaction 0"),
                Arguments.of("a contract said to be created by a call", receipts(() -> logBlock, r -> r.put("contractAddress", TO)),
                        "says it created " + TO + ", which is no contract creation"));
    }

    /** One change to what the node answers, through a proxy; refused, with nothing of the changed block stored. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void aChangedAnswerIsRefused(String what, Change change, String expected) throws Exception {
        long changedBlock = change.block().get();
        for (Set<String> refused : List.of(Set.<String>of(), Set.of("eth_getBlockReceipts"))) {
            Path path = dir.resolve("s" + refused.size());
            try (NodeProxy proxy = new NodeProxy(url, refused, change.rewrite()); ChainStore store = ChainStore.open(path)) {
                CorruptAnswerException e = assertThrows(CorruptAnswerException.class, () -> ingest(store, proxy.url(), 4));
                assertTrue(e.getMessage().startsWith("node at " + proxy.url() + ": "), e.getMessage());
                assertTrue(e.getMessage().contains("block " + changedBlock + " ("), e.getMessage());
                assertTrue(e.getMessage().contains(expected), e.getMessage());
                assertTrue(e.getMessage().endsWith("was stored"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
                assertTrue(store.ethBlock(changedBlock).isEmpty(), "nothing of block " + changedBlock + " stored");
                assertTrue(store.ethStats().blocks() <= changedBlock, "only blocks before it");
                // The node itself answers what the chain holds: the ingest resumes and completes.
                ingest(store, url, 4);
                assertEquals(head + 1, store.ethStats().blocks());
            }
        }
    }

    interface BlockNumber {
        long get();
    }

    private static ObjectNode tx(ObjectNode block, String type) {
        for (JsonNode tx : block.get("transactions")) {
            if (tx.get("type").asString().equals(type)) {
                return (ObjectNode) tx;
            }
        }
        throw new IllegalStateException("no transaction of type " + type);
    }

    /** Changes the answers that are block {@code number} with its transactions. */
    /** A change to the node's answers, and the block it changes. */
    record Change(BlockNumber block, UnaryOperator<String> rewrite) {
        @Override
        public String toString() {
            return "a rewrite";
        }
    }

    private static Change block(BlockNumber number, Consumer<ObjectNode> edit) {
        return new Change(number, answers(r -> r.isObject() && r.has("transactions") && r.get("transactions").size() > 0
                && r.get("transactions").get(0).isObject() && Rpc.number(r.get("number")) == number.get(), r -> edit.accept((ObjectNode) r)));
    }

    /** Changes the first receipt of block {@code number}, whether answered in a block's receipts or on its own. */
    private static Change receipts(BlockNumber number, Consumer<ObjectNode> edit) {
        return new Change(number, answers(r -> {
            JsonNode first = r.isArray() && !r.isEmpty() ? r.get(0) : r;
            return first.isObject() && first.has("logs") && first.has("transactionIndex")
                    && Rpc.number(first.get("transactionIndex")) == 0 && Rpc.number(first.get("blockNumber")) == number.get();
        }, r -> edit.accept((ObjectNode) (r.isArray() ? r.get(0) : r))));
    }

    private static UnaryOperator<String> answers(java.util.function.Predicate<JsonNode> which, Consumer<JsonNode> edit) {
        return body -> {
            JsonNode all = JSON.readTree(body);
            boolean changed = false;
            for (JsonNode answer : all.isArray() ? all : JSON.createArrayNode().add(all)) {
                JsonNode result = answer.get("result");
                if (result != null && which.test(result)) {
                    edit.accept(result);
                    changed = true;
                }
            }
            return changed ? all.toString() : body;
        };
    }
}
