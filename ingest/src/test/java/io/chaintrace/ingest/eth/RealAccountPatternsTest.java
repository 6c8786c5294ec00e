package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.Patterns;
import io.chaintrace.core.pattern.account.AccountPatterns;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The account-chain rules on real mainnet data: blocks 17,173,049-050 (2 May 2023) as ethereum-etl exported them,
 * 415 transfers (ETH and tokens) read from ../shared/data at test time. Checked by hand:
 * <ul>
 * <li><b>fan_out at 0xc446f02d...e740</b>: eight transactions in a row (nonces 1572-1579, positions 17-24 of block
 * 17,173,049, one gas price, 92.7 gwei) paying eight different addresses 0.065 to 1.109 ETH, and nothing else from it in
 * the two blocks. By its shape a payout batch (a service paying withdrawals one transaction each); two blocks cannot
 * show whether it does so every day (then {@code account.burst.minShare} would leave it out), so the alert stands, with
 * its eight transactions as evidence.</li>
 * <li>Not flagged, rightly: the Uniswap V2 router (0x7a250d56...) and 0xef1c6e67...bf6b, which take ETH from many
 * senders and pay WETH on to others inside the same transactions (13 of them in these blocks): a fan-in and a fan-out by
 * count, and every payment they made in the scan. They pass value on inside their callers' transactions and never send
 * a transaction's value of their own: contracts, whose payments answer their callers ({@code AccountActivity.contract}).
 * Without that rule they raised six of the seven alerts this scan gave.</li>
 * <li>Nothing else: two blocks hold no cycle, peel chain, pass-through, structuring or rest of a year.</li>
 * </ul>
 * The swaps of the same blocks are checked in {@link RealSwapsTest}.
 */
class RealAccountPatternsTest {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build();
    static final String PAYER = "0xc446f02d364fbaf2911646bcbff56e6613c6e740";
    static final Set<String> CONTRACTS = Set.of("0x7a250d5630b4cf539739df2c5dacb4c659f2488d", "0xef1c6e67703c7bd7107eed8303fbe6ec2554bf6b");

    @TempDir
    Path dir;

    @Test
    void twoMainnetBlocksGiveOnePayoutBatchAndNoContract() throws IOException {
        Path d = EtlImportTest.stream("blocks_17173049_17173050");
        Set<String> ruleNames = Patterns.standard().stream().filter(p -> p instanceof AccountPatterns).map(p -> (AccountPatterns) p)
                .flatMap(p -> p.rules().stream()).map(r -> r.name()).collect(Collectors.toSet());
        List<Alert> alerts = new ArrayList<>();
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            new EtlSource(store, List.of(d.resolve("expected_blocks.json"), d.resolve("expected_transactions.json"),
                    d.resolve("expected_token_transfers.json"))).run(IngestListener.NONE);
            List<PatternDetector> detectors = Patterns.standard();
            store.forEachEthTransfer(0, Long.MAX_VALUE, t -> detectors.forEach(x -> x.accept(t, store, alerts::add)));
            detectors.forEach(x -> x.finish(alerts::add));
        }
        List<Alert> account = alerts.stream().filter(a -> ruleNames.contains(a.pattern())).toList();
        assertEquals(1, account.size(), account.toString());
        Alert batch = account.getFirst();
        assertEquals("fan_out", batch.pattern());
        assertEquals(PAYER, lower(batch.addresses().getFirst().text()));

        // The payer's transactions as ethereum-etl exported them.
        List<JsonNode> sent = new ArrayList<>();
        for (String line : Files.readAllLines(d.resolve("expected_transactions.json"))) {
            JsonNode t = JSON.readTree(line);
            if (t.path("from_address").asString().equals(PAYER)) {
                sent.add(t);
            }
        }
        assertEquals(sent.stream().map(t -> t.path("hash").asString()).toList(), batch.transactions().stream().map(h -> "0x" + h.hex()).toList());
        assertEquals(sent.stream().map(t -> t.path("value").bigIntegerValue()).toList(), batch.amounts());
        assertEquals(sent.stream().map(t -> t.path("to_address").asString()).collect(Collectors.toSet()),
                batch.addresses().stream().skip(1).map(a -> lower(a.text())).collect(Collectors.toSet()));
        for (int i = 1; i < sent.size(); i++) {
            assertEquals(sent.get(i - 1).path("nonce").asLong() + 1, sent.get(i).path("nonce").asLong(), "nonces in a row");
        }
        assertEquals(8, sent.size());
        assertTrue(batch.amounts().stream().allMatch(v -> v.signum() > 0 && v.compareTo(BigInteger.TEN.pow(19)) < 0));
        for (Alert a : alerts) {
            assertTrue(a.addresses().stream().limit(1).noneMatch(x -> CONTRACTS.contains(lower(x.text())) && ruleNames.contains(a.pattern())),
                    "a contract is no subject: " + a);
        }
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
