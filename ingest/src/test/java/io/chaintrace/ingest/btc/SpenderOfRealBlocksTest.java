package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger.Spend;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Who spent each output, read back from a store of every real block file in ../shared/data/btc, equals what the blocks
 * say: each input of each stored transaction is the spend of its outpoint (from the compact rows when the store holds
 * the output, from {@code spends} when it does not), and no other stored output reads as spent, output by output and a
 * transaction's outputs at once.
 */
class SpenderOfRealBlocksTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.chaintrace.ingest.btc.ReferenceFiguresTest#reference")
    void everySpendReadsBackAsTheBlocksSayIt(JsonNode ref, @TempDir Path dir) {
        try (ChainStore store = ChainStore.open(dir.resolve("store"))) {
            new BlockFileSource(store, List.of(ReferenceFiguresTest.fileOf(ref.get("file").asText()))).run(IngestListener.NONE);
            List<UtxoTransaction> txs = new ArrayList<>();
            store.forEachTransaction(txs::add);
            assertEquals(ref.get("txs").asLong(), txs.size(), "transactions read back");
            Map<Outpoint, Spend> said = new HashMap<>();
            long resolved = 0;
            for (UtxoTransaction tx : txs) {
                for (int i = 0; i < tx.inputs().size(); i++) {
                    TxInput in = tx.inputs().get(i);
                    if (in.status() != InputStatus.COINBASE) {
                        said.put(in.prevout(), new Spend(in.prevout(), tx.txid(), i));
                        resolved += in.status() == InputStatus.RESOLVED ? 1 : 0;
                    }
                }
            }
            for (Spend s : said.values()) {
                assertEquals(Optional.of(s), store.spenderOf(s.spent()), "the spend of " + s.spent());
            }
            long unspent = 0;
            for (UtxoTransaction tx : txs) {
                assertEquals(tx.outputs().stream().map(o -> Optional.ofNullable(said.get(new Outpoint(tx.txid(), o.index())))).toList(),
                        store.spendersOf(tx), "the spends of " + tx.txid() + "'s outputs read at once");
                for (TxOutput o : tx.outputs()) {
                    Outpoint op = new Outpoint(tx.txid(), o.index());
                    if (!said.containsKey(op)) {
                        assertTrue(store.spenderOf(op).isEmpty(), op + " is spent by no stored transaction");
                        unspent++;
                    }
                }
            }
            assertEquals(ref.get("outputs").asLong(), unspent + resolved, "each output either unspent or spent by a resolved input");
        }
    }
}
