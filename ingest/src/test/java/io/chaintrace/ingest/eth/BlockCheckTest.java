package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real mainnet blocks as nodes answered them (ethereum-etl's recordings in ../shared/data/eth/etl) hold to the hashes
 * the chain gives them, and any change to what a header, a transaction or a receipt says is refused with what differs.
 * The typed transactions and the later forks' headers, which these 2015-2016 blocks do not have, are held the same way
 * on a real Anvil node (EthBlockCheckIT).
 */
class BlockCheckTest {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    static Stream<Path> recordedBlocks() throws IOException {
        try (Stream<Path> all = Files.walk(MainnetConformanceTest.etl())) {
            List<Path> files = all.filter(f -> f.getFileName().toString().matches("web3_response\\.eth_getBlockByNumber_0x[0-9a-f]+_true\\.json"))
                    .sorted().toList();
            assertTrue(files.size() >= 6, "recorded blocks: " + files);
            return files.stream();
        }
    }

    static ObjectNode block(Path file) {
        return (ObjectNode) JSON.readTree(file.toFile()).get("result");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordedBlocks")
    void aRealBlockHoldsToItsHash(Path file) {
        assertEquals(Optional.empty(), BlockCheck.invalidity(block(file)));
    }

    @Test
    void theEmptyTrieIsTheRootOfABlockWithoutTransactions() throws IOException {
        ObjectNode genesis = recordedBlocks().map(BlockCheckTest::block).filter(b -> b.get("number").asString().equals("0x0"))
                .findFirst().orElseThrow();
        assertEquals(0, genesis.get("transactions").size());
        assertEquals(genesis.get("transactionsRoot").asString(), Numeric.toHexString(TrieRoot.ofList(List.of())));
        assertEquals(genesis.get("receiptsRoot").asString(), Numeric.toHexString(TrieRoot.EMPTY));
    }

    /** The fields of a header, each changed in its last hex digit, each refused by the header's hash. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("recordedBlocks")
    void everyHeaderFieldChangedIsRefused(Path file) {
        ObjectNode real = block(file);
        int checked = 0;
        for (String field : List.of("parentHash", "sha3Uncles", "miner", "stateRoot", "transactionsRoot", "receiptsRoot", "logsBloom",
                "difficulty", "number", "gasLimit", "gasUsed", "timestamp", "extraData", "mixHash", "nonce")) {
            ObjectNode b = real.deepCopy();
            b.put(field, changed(b.get(field).asString()));
            Optional<String> why = BlockCheck.invalidity(b);
            assertTrue(why.isPresent() && why.get().startsWith("its header hashes to 0x"), field + ": " + why);
            checked++;
        }
        assertEquals(15, checked);
    }

    /** A header of a later fork (a field added by London) is not the header the hash was given for. */
    @Test
    void aHeaderFieldAddedIsRefused() throws IOException {
        ObjectNode b = block(recordedBlocks().findFirst().orElseThrow());
        b.put("baseFeePerGas", "0x7");
        assertTrue(BlockCheck.invalidity(b).orElseThrow().startsWith("its header hashes to"));
        // A later fork's field without the earlier ones it implies is a header no fork has: refused by name.
        ObjectNode gap = block(recordedBlocks().findFirst().orElseThrow());
        gap.put("withdrawalsRoot", "0x" + "00".repeat(32));
        assertEquals(Optional.of("header has no baseFeePerGas"), BlockCheck.invalidity(gap));
    }

    @Test
    void everyTransactionFieldChangedIsRefused() throws IOException {
        int checked = 0;
        for (ObjectNode real : recordedBlocks().map(BlockCheckTest::block).toList()) {
            for (int i = 0; i < real.get("transactions").size(); i++) {
                for (String field : List.of("nonce", "gasPrice", "gas", "to", "value", "input", "v", "r", "s")) {
                    ObjectNode b = real.deepCopy();
                    ObjectNode tx = (ObjectNode) b.get("transactions").get(i);
                    if (tx.get(field).isNull()) {
                        continue; // a contract creation has no recipient
                    }
                    tx.put(field, changed(tx.get(field).asString()));
                    Optional<String> why = BlockCheck.invalidity(b);
                    assertTrue(why.isPresent() && why.get().startsWith("transaction " + i + " hashes to 0x"), field + ": " + why);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 9 * 6, "fields changed: " + checked);
    }

    /**
     * A transaction left out, or two swapped (each with its own hash, so that each transaction on its own holds), is caught
     * by the header's transactions root; a changed transaction given the hash of its new fields likewise.
     */
    @Test
    void transactionsLeftOutSwappedOrReplacedAreRefusedByTheRoot() throws IOException {
        ObjectNode real = recordedBlocks().map(BlockCheckTest::block).filter(b -> b.get("transactions").size() >= 2)
                .max(Comparator.comparingInt(b -> b.get("transactions").size())).orElseThrow();
        int n = real.get("transactions").size();

        ObjectNode leftOut = real.deepCopy();
        ((ArrayNode) leftOut.get("transactions")).remove(n - 1);
        assertTrue(BlockCheck.invalidity(leftOut).orElseThrow().startsWith("its " + (n - 1) + " transactions have the root 0x"));

        ObjectNode swapped = real.deepCopy();
        ArrayNode txs = (ArrayNode) swapped.get("transactions");
        JsonNode first = txs.get(0);
        txs.set(0, txs.get(1));
        txs.set(1, first);
        ((ObjectNode) txs.get(0)).put("transactionIndex", "0x0");
        ((ObjectNode) txs.get(1)).put("transactionIndex", "0x1");
        assertTrue(BlockCheck.invalidity(swapped).orElseThrow().startsWith("its " + n + " transactions have the root 0x"));

        ObjectNode replaced = real.deepCopy();
        ObjectNode tx = (ObjectNode) replaced.get("transactions").get(0);
        tx.put("value", changed(tx.get("value").asString()));
        byte[] bytes = EthEncoding.transaction(tx);
        tx.put("hash", Numeric.toHexString(org.web3j.crypto.Hash.sha3(bytes)));
        // The signature over the new fields recovers another key: the sender it names is refused...
        assertTrue(BlockCheck.invalidity(replaced).orElseThrow().startsWith("transaction 0 (" + tx.get("hash").asString() + ") is signed by 0x"));
        // ...and given that sender, the transaction holds on its own; the header's root refuses it.
        tx.put("from", signer(bytes));
        assertTrue(BlockCheck.invalidity(replaced).orElseThrow().startsWith("its " + n + " transactions have the root 0x"));
    }

    /**
     * The sender is not in what a transaction's hash covers: it is what its signature recovers to. Changed on a transaction
     * that moves ether (the sender is who the transfer is from), it is refused; on one that moves none and creates
     * nothing, nothing the ingest stores reads it, and it is not recovered.
     */
    @Test
    void aSenderTheSignatureDoesNotNameIsRefused() throws IOException {
        int refused = 0;
        int unread = 0;
        for (ObjectNode real : recordedBlocks().map(BlockCheckTest::block).toList()) {
            for (int i = 0; i < real.get("transactions").size(); i++) {
                ObjectNode b = real.deepCopy();
                ObjectNode tx = (ObjectNode) b.get("transactions").get(i);
                String from = tx.get("from").asString();
                assertEquals(from, signer(EthEncoding.transaction(tx)), "web3j recovers the sender the node gave");
                tx.put("from", changed(from));
                if (Rpc.quantity(tx.get("value")).signum() > 0 || tx.get("to").isNull()) {
                    assertEquals(Optional.of("transaction " + i + " (" + tx.get("hash").asString() + ") is signed by " + from
                            + ", not by the sender it was given (" + changed(from) + ")"), BlockCheck.invalidity(b));
                    refused++;
                } else {
                    assertEquals(Optional.empty(), BlockCheck.invalidity(b));
                    unread++;
                }
            }
        }
        assertTrue(refused >= 6 && unread >= 2, "senders changed: " + refused + " refused, " + unread + " not read");
    }

    private static String signer(byte[] encoded) {
        try {
            return ((org.web3j.crypto.SignedRawTransaction) org.web3j.crypto.TransactionDecoder.decode(Numeric.toHexString(encoded))).getFrom();
        } catch (java.security.SignatureException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTransactionOfATypeEthereumDoesNotDefineIsRefused() throws IOException {
        ObjectNode b = recordedBlocks().map(BlockCheckTest::block).filter(x -> !x.get("transactions").isEmpty()).findFirst().orElseThrow();
        ((ObjectNode) b.get("transactions").get(0)).put("type", "0x7e");
        assertTrue(BlockCheck.invalidity(b).orElseThrow().endsWith("is of type 126, which Ethereum does not define (0-4): its hash "
                + "cannot be checked"));
    }

    /**
     * Answers of the wrong shape, as a broken or hostile node could give them (an object or a list where a quantity or
     * hex is, a field missing, a list that is an object): each is a reason, not an exception.
     */
    @Test
    void answersOfTheWrongShapeAreReasonsNotExceptions() throws IOException {
        ObjectNode real = recordedBlocks().map(BlockCheckTest::block).filter(b -> b.get("transactions").size() >= 2).findFirst()
                .orElseThrow();
        record Spoil(java.util.function.Consumer<ObjectNode> change, String reason) {
        }
        List<Spoil> spoils = List.of(
                new Spoil(b -> b.putObject("number"), "header: number is not a quantity"),
                new Spoil(b -> b.putArray("timestamp"), "header: timestamp is not a quantity"),
                new Spoil(b -> b.remove("mixHash"), "header has no mixHash"),
                new Spoil(b -> b.put("hash", 7), "its header hashes to 0x"),
                new Spoil(b -> b.putObject("transactions"), "its transactions are not a list"),
                new Spoil(b -> ((ArrayNode) b.get("transactions")).set(0, JSON.getNodeFactory().stringNode("0x00")),
                        "transaction 0 is not an object"),
                new Spoil(b -> ((ObjectNode) b.get("transactions").get(0)).putObject("value"), ": value is not a quantity"),
                new Spoil(b -> ((ObjectNode) b.get("transactions").get(0)).putArray("from"), " from is not a hex string"),
                new Spoil(b -> ((ObjectNode) b.get("transactions").get(0)).put("from", "0x1234"), " from is 2 bytes, not 20"),
                new Spoil(b -> ((ObjectNode) b.get("transactions").get(1)).putObject("transactionIndex"), "not a quantity: object"),
                new Spoil(b -> ((ObjectNode) b.get("transactions").get(0)).put("input", "0xzz"), " input is not hex bytes: 0xzz"),
                new Spoil(b -> ((ObjectNode) b.get("transactions").get(0)).put("type", "0x2"), " has no chainId"),
                new Spoil(b -> ((ObjectNode) b.get("transactions").get(0)).put("type", "0xffffffffffff"), "out of range"));
        for (Spoil spoil : spoils) {
            ObjectNode b = real.deepCopy();
            spoil.change().accept(b);
            Optional<String> why = BlockCheck.invalidity(b);
            assertTrue(why.isPresent() && why.get().contains(spoil.reason()) && !why.get().contains("\n"), spoil.reason() + ": " + why);
        }
    }

    /** Block 483,920's four receipts, recorded one by one, are those its header's receipts root commits to. */
    @Test
    void realReceiptsHoldToTheirRootAndAChangeInThemIsRefused() throws IOException {
        Path dir = MainnetConformanceTest.etl();
        ObjectNode block = block(dir.resolve("test_export_blocks_job/block_with_logs/web3_response.eth_getBlockByNumber_0x76250_true.json"));
        byte[] root = Numeric.hexStringToByteArray(block.get("receiptsRoot").asString());
        List<BlockCheck.Committed> txs = BlockCheck.committed(block);
        List<String> hashes = txs.stream().map(BlockCheck.Committed::hash).toList();
        assertEquals(4, hashes.size());
        List<TransactionReceipt> receipts = new ArrayList<>();
        for (String h : hashes) {
            receipts.add(receipt(dir.resolve("test_export_receipts_job/receipts_with_logs/web3_response.eth_getTransactionReceipt_" + h
                    + ".json")));
        }
        assertTrue(receipts.stream().mapToInt(r -> r.getLogs().size()).sum() > 0, "the logs a token transfer is read from");
        assertEquals(Optional.empty(), BlockCheck.receiptsInvalidity(483_920, root, txs, receipts));
        assertEquals(Optional.empty(), BlockCheck.receiptsInvalidity(483_920, root, txs, receipts.reversed()), "in any order answered");

        TransactionReceipt withLog = receipts.stream().filter(r -> !r.getLogs().isEmpty()).findFirst().orElseThrow();
        String data = withLog.getLogs().get(0).getData();
        withLog.getLogs().get(0).setData(changed(data));
        assertTrue(BlockCheck.receiptsInvalidity(483_920, root, txs, receipts).orElseThrow().startsWith("its receipts have the root 0x"));
        withLog.getLogs().get(0).setData(data);
        String topic = withLog.getLogs().get(0).getTopics().get(1);
        withLog.getLogs().get(0).getTopics().set(1, changed(topic));
        assertTrue(BlockCheck.receiptsInvalidity(483_920, root, txs, receipts).orElseThrow().startsWith("its receipts have the root 0x"));
        withLog.getLogs().get(0).getTopics().set(1, topic);
        String gas = withLog.getCumulativeGasUsedRaw();
        withLog.setCumulativeGasUsed(changed(gas));
        assertTrue(BlockCheck.receiptsInvalidity(483_920, root, txs, receipts).orElseThrow().startsWith("its receipts have the root 0x"));
        withLog.setCumulativeGasUsed(gas);
        assertEquals(Optional.empty(), BlockCheck.receiptsInvalidity(483_920, root, txs, receipts), "as recorded again");

        assertEquals(Optional.of("no receipt for transaction 3 (" + hashes.get(3) + ")"),
                BlockCheck.receiptsInvalidity(483_920, root, txs, receipts.subList(0, 3)));
        List<TransactionReceipt> twice = new ArrayList<>(receipts);
        twice.set(3, receipts.get(2));
        assertEquals(Optional.of("a receipt (" + hashes.get(2) + ") for transaction index 2 of 4, given twice"),
                BlockCheck.receiptsInvalidity(483_920, root, txs, twice));
    }

    private static TransactionReceipt receipt(Path file) throws IOException {
        return ObjectMapperFactory.getObjectMapper().readValue(file.toFile(), EthGetTransactionReceipt.class).getTransactionReceipt()
                .orElseThrow();
    }

    /** The same hex string with its last digit changed (a quantity stays a quantity, bytes stay as many bytes). */
    static String changed(String hex) {
        if (hex.equals("0x")) {
            return "0x01";
        }
        char last = hex.charAt(hex.length() - 1);
        return hex.substring(0, hex.length() - 1) + (last == '1' ? '2' : '1');
    }
}
