package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real block file in ../shared/data/btc ingested with the address history written in runs of 500 keys (many runs
 * a block; the default is millions): each address's transactions read back are the stored transactions that pay it or
 * spend from it, in chain order, and the store equals one written in a single run.
 */
class AddressHistoryRealBlocksTest {
    private static final String RUN = "chaintrace.store.historyRun";

    @BeforeAll
    static void smallRuns() {
        System.setProperty(RUN, "500");
    }

    @AfterAll
    static void defaultRuns() {
        System.clearProperty(RUN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.chaintrace.ingest.btc.ReferenceFiguresTest#reference")
    void everyAddressListsTheTransactionsThatTouchIt(JsonNode ref, @TempDir Path dir) {
        Path file = ReferenceFiguresTest.fileOf(ref.get("file").asText());
        String inRuns;
        try (ChainStore store = ChainStore.open(dir.resolve("runs"))) {
            new BlockFileSource(store, List.of(file)).run(IngestListener.NONE);
            List<UtxoTransaction> txs = new ArrayList<>();
            store.forEachTransaction(txs::add);
            assertEquals(ref.get("txs").asLong(), txs.size(), "transactions read back");
            Map<Address, Set<Hash256>> expected = new LinkedHashMap<>();
            for (UtxoTransaction tx : txs) {
                for (TxInput in : tx.inputs()) {
                    in.owner().ifPresent(a -> expected.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(tx.txid()));
                }
                for (TxOutput o : tx.outputs()) {
                    o.owner().ifPresent(a -> expected.computeIfAbsent(a, k -> new LinkedHashSet<>()).add(tx.txid()));
                }
            }
            assertTrue(expected.size() > 0, "addresses in " + file);
            long keys = 0;
            for (Map.Entry<Address, Set<Hash256>> e : expected.entrySet()) {
                Optional<String> key = store.keyOf(e.getKey());
                if (key.isPresent()) {
                    continue; // a P2PKH address lists its key's P2PK payments too: held to the explorers' lists elsewhere
                }
                assertEquals(List.copyOf(e.getValue()), store.transactionsOf(e.getKey()), "transactions of " + e.getKey());
                keys += e.getValue().size();
            }
            assertTrue(keys >= txs.size(), "history keys checked: " + keys);
            inRuns = store.digest();
        }
        System.clearProperty(RUN);
        try (ChainStore store = ChainStore.open(dir.resolve("one"))) {
            new BlockFileSource(store, List.of(file)).run(IngestListener.NONE);
            assertEquals(inRuns, store.digest(), "runs of 500 keys and one run store the same");
        } finally {
            System.setProperty(RUN, "500");
        }
    }
}
