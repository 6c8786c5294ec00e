package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.SwapDetector;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Swaps flagged on real mainnet blocks 17,173,049-50 (ethereum-etl's export in ../shared/data),
 * checked by hand against the export's rows:
 * <ul>
 * <li>0xcaa1eefe...: 0x5f3048... sends 0.2 ETH to the Uniswap V2 router (0x7a250d...), which wraps it
 * and pays the pair 0x14749d...; the pair pays 0x5f3048... the token 0xcd2b04...: the sender swapped
 * ETH for that token.</li>
 * <li>0x3f9b73e3...: 0x7b5c72... the same through the router for the token 0x9778ac..., a token that
 * taxes its transfers (it pays itself a part on the way): what the swapper received is its row.</li>
 * <li>0x34e4a5f9...: a bot contract (0x1b2137..., the transaction's {@code to}) pays the token
 * 0x5c559f... to the pair 0x5b6a17... and receives WETH from it.</li>
 * </ul>
 * The amounts of each alert are the export's values. This export has no traces: a seller's ETH paid
 * back internally is not in it, so for a token sold for ETH the pair is the only party seen to pay
 * one asset and receive another; over both blocks 43 of the 73 swaps name the transaction's sender or
 * its contract.
 */
class RealSwapsTest {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build();

    @TempDir
    Path dir;

    @Test
    void threeSwapsCheckedByHand() throws IOException {
        Path d = EtlImportTest.stream("blocks_17173049_17173050");
        Map<String, JsonNode> txs = new HashMap<>();
        for (String line : Files.readAllLines(d.resolve("expected_transactions.json"))) {
            JsonNode t = JSON.readTree(line);
            txs.put(t.path("hash").asString(), t);
        }
        Map<String, List<JsonNode>> tokens = new HashMap<>();
        for (String line : Files.readAllLines(d.resolve("expected_token_transfers.json"))) {
            JsonNode t = JSON.readTree(line);
            tokens.computeIfAbsent(t.path("transaction_hash").asString(), k -> new ArrayList<>()).add(t);
        }
        List<Alert> alerts = new ArrayList<>();
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            new EtlSource(store, List.of(d.resolve("expected_blocks.json"), d.resolve("expected_transactions.json"),
                    d.resolve("expected_token_transfers.json"))).run(IngestListener.NONE);
            SwapDetector swaps = new SwapDetector();
            store.forEachEthTransfer(0, Long.MAX_VALUE, t -> swaps.accept(t, store, alerts::add));
            swaps.finish(alerts::add);
        }
        assertTrue(alerts.size() > 50, alerts.size() + " swaps in two blocks of May 2023");
        for (String h : List.of("0xcaa1eefe9f8e7ed33dbb8b3f9ed8d338d7d58f564e3dde8b72eda39ae6fe2f19",
                "0x3f9b73e3a607efa521fdc5b10c59eb9046efdbba68b1194931c6d3a7821a6463")) {
            Alert a = of(alerts, h);
            JsonNode tx = txs.get(h);
            String sender = tx.path("from_address").asString();
            assertEquals(sender, lower(a.addresses().getFirst().text()), h + ": the sender swapped");
            assertEquals(tx.path("value").bigIntegerValue(), a.amounts().get(0), h + ": it paid the transaction's value");
            BigInteger received = tokens.get(h).stream().filter(r -> r.path("to_address").asString().equals(sender))
                    .map(r -> r.path("value").bigIntegerValue()).reduce(BigInteger.ZERO, BigInteger::add);
            assertEquals(received, a.amounts().get(1), h + ": and received the token row's value");
            assertEquals("ETH", a.parameters().get("paid"));
        }
        String bot = "0x34e4a5f92ca7d2f22dcce06ff03c4280897c80fd3fcff7c42429616558d1cbec";
        Alert a = of(alerts, bot);
        JsonNode tx = txs.get(bot);
        assertEquals(tx.path("to_address").asString(), lower(a.addresses().getFirst().text()), "the bot contract swapped");
        List<JsonNode> rows = tokens.get(bot);
        String botAddress = tx.path("to_address").asString();
        JsonNode paid = rows.stream().filter(r -> r.path("from_address").asString().equals(botAddress)).findFirst().orElseThrow();
        JsonNode got = rows.stream().filter(r -> r.path("to_address").asString().equals(botAddress)).findFirst().orElseThrow();
        assertEquals(List.of(paid.path("value").bigIntegerValue(), got.path("value").bigIntegerValue()), a.amounts());
        assertEquals(paid.path("token_address").asString(), lower(a.parameters().get("paid")));
        assertEquals(got.path("token_address").asString(), lower(a.parameters().get("received")));
    }

    private static Alert of(List<Alert> alerts, String hash) {
        return alerts.stream().filter(a -> a.transactions().contains(Hash256.fromHex(hash))).findFirst()
                .orElseThrow(() -> new AssertionError("no swap flagged in " + hash));
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
