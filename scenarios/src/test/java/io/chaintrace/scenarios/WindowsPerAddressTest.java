package io.chaintrace.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.CoinJoinClassifier;
import io.chaintrace.core.pattern.FanInDetector;
import io.chaintrace.core.pattern.FanOutDetector;
import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.Payments;
import io.chaintrace.core.trace.MemoryLedger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Fan-out and fan-in windows depend on one address's payments alone: running a detector over each payer's (or payee's)
 * transactions apart finds exactly the alerts one pass over the chain finds - what module spark does, address by address in
 * parallel. Checked on the planted chain with one-hour windows and block times that step back (every third block two hours
 * early), as Bitcoin's may: a window's age is its own address's, whatever else the pass has seen (before the ages were
 * checked per address, a pass kept or dropped a window by another address's age, and this failed).
 */
class WindowsPerAddressTest {
    @Test
    void fanOutAndFanInPerAddressEqualOnePass() {
        PatternPlanter.Planted planted = PatternPlanter.plant(11, 20, 2_000);
        MemoryLedger ledger = planted.scenario().toLedger();
        List<UtxoTransaction> chain = new ArrayList<>();
        for (Scenario.Block b : planted.scenario().blocks()) {
            for (Scenario.Tx t : b.transactions()) {
                UtxoTransaction tx = ledger.transaction(t.txid()).orElseThrow();
                BlockRef r = tx.block();
                long time = r.time() - (r.height() % 3 == 0 ? 7_200 : 0);
                chain.add(new UtxoTransaction(tx.txid(), new BlockRef(r.height(), r.hash(), time), tx.position(), tx.inputs(), tx.outputs()));
            }
        }
        CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();
        check(chain, () -> new FanOutDetector(3, 3_600), tx -> Payments.payerOfPayment(tx, coinjoins).map(a -> List.of(a.text())).orElse(List.of()),
                "payer");
        check(chain, () -> new FanInDetector(3, 3_600), tx -> Payments.payerOfPayment(tx, coinjoins).isEmpty() ? List.of()
                : Payments.payees(tx).stream().map(p -> p.address().text()).distinct().toList(), "payee");
    }

    private static void check(List<UtxoTransaction> chain, Supplier<PatternDetector> detector, Function<UtxoTransaction, List<String>> keys,
                              String subject) {
        TreeSet<String> onePass = new TreeSet<>();
        PatternDetector d = detector.get();
        chain.forEach(tx -> d.accept(tx, null, a -> onePass.add(line(a, subject))));
        Map<String, List<UtxoTransaction>> byAddress = new LinkedHashMap<>();
        chain.forEach(tx -> keys.apply(tx).forEach(k -> byAddress.computeIfAbsent(k, x -> new ArrayList<>()).add(tx)));
        TreeSet<String> apart = new TreeSet<>();
        byAddress.forEach((address, txs) -> {
            PatternDetector own = detector.get();
            txs.forEach(tx -> own.accept(tx, null, a -> {
                if (address.equals(a.parameters().get(subject))) {
                    apart.add(line(a, subject));
                }
            }));
        });
        assertTrue(onePass.size() >= 20, subject + ": the planted chain holds bursts: " + onePass.size());
        assertEquals(onePass, apart, subject);
    }

    private static String line(Alert a, String subject) {
        return a.parameters().get(subject) + " " + a.transactions();
    }
}
