package io.chaintrace.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.CoinJoinClassifier;
import io.chaintrace.core.pattern.PeelChainDetector;
import io.chaintrace.core.trace.MemoryLedger;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What clustering from the compact rows asks of the pattern rules on a transaction's numbers alone agrees with the rules
 * on the whole transaction, over a chain planted with every CoinJoin wallet's shape, peel chains and their near-misses:
 * every CoinJoin the classifier finds passes {@link CoinJoinClassifier#couldMatch}, and the peel remainder from owner
 * ids and values is the one {@link PeelChainDetector#remainder} names.
 */
class ClusteringFromNumbersTest {
    @Test
    void coinJoinFilterAndPeelRemainderAgreeWithTheRules() {
        Scenario s = PatternPlanter.plant(21, 8, 2_000).scenario();
        MemoryLedger ledger = s.toLedger();
        Map<String, Integer> ids = new HashMap<>();
        int coinjoins = 0;
        int passed = 0;
        int remainders = 0;
        int transactions = 0;
        for (Scenario.Block b : s.blocks()) {
            for (Scenario.Tx t : b.transactions()) {
                UtxoTransaction tx = ledger.transaction(t.txid()).orElseThrow();
                transactions++;
                int n = tx.inputs().size();
                int[] inOwner = new int[n];
                long[] inValue = new long[n];
                boolean resolved = true;
                for (int i = 0; i < n; i++) {
                    resolved &= tx.inputs().get(i).status() == InputStatus.RESOLVED;
                    inOwner[i] = tx.inputs().get(i).owner().map(a -> ids.computeIfAbsent(a.text(), k -> ids.size())).orElse(-1);
                    inValue[i] = tx.inputs().get(i).value();
                }
                int m = tx.outputs().size();
                int[] outOwner = new int[m];
                long[] outValue = new long[m];
                for (int o = 0; o < m; o++) {
                    outOwner[o] = tx.outputs().get(o).owner().map(a -> ids.computeIfAbsent(a.text(), k -> ids.size())).orElse(-1);
                    outValue[o] = tx.outputs().get(o).value();
                }
                boolean could = CoinJoinClassifier.couldMatch(n, outValue);
                passed += could ? 1 : 0;
                if (CoinJoinClassifier.standard().match(tx).isPresent()) {
                    coinjoins++;
                    assertTrue(could, "a CoinJoin the filter would pass over: " + tx.txid());
                }
                int expected = PeelChainDetector.DEFAULT.remainder(tx).map(TxOutput::index).orElse(-1);
                assertEquals(expected, PeelChainDetector.DEFAULT.remainder(inOwner, inValue, resolved, outOwner, outValue), tx.txid().hex());
                remainders += expected >= 0 ? 1 : 0;
            }
        }
        assertTrue(coinjoins >= 5 * 8, "planted CoinJoins found: " + coinjoins);
        assertTrue(remainders >= 8 * 3, "peel steps: " + remainders);
        assertTrue(passed < transactions / 4, "the filter passes few: " + passed + " of " + transactions);
    }
}
