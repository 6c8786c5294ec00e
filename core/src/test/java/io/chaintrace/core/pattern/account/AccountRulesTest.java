package io.chaintrace.core.pattern.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.account.MemoryAccountLedger;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Amount;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TransferKind;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.PatternSettings;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Edge cases of the account rules, each built by hand; the planted suite measures them at scale. */
class AccountRulesTest {
    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    private final List<AccountTransfer> transfers = new ArrayList<>();
    private int txs;

    static Address a(int i) {
        return Address.parse(String.format("0x%040x", 0x100 + i));
    }

    private Hash256 tx() {
        byte[] b = new byte[32];
        b[0] = (byte) (++txs >> 8);
        b[1] = (byte) txs;
        return new Hash256(b);
    }

    private void pay(Hash256 tx, TransferKind kind, int index, int from, int to, BigInteger wei, long time) {
        transfers.add(new AccountTransfer(tx, new BlockRef((int) (time / 12), Hash256.ZERO, time), txs, kind, index, a(from), a(to),
                new Amount(Asset.ETH, wei)));
    }

    private void pay(int from, int to, BigInteger wei, long time) {
        pay(tx(), TransferKind.NATIVE, 0, from, to, wei, time);
    }

    private List<Alert> run(Map<String, String> settings) {
        MemoryAccountLedger ledger = new MemoryAccountLedger();
        transfers.forEach(ledger::add);
        List<PatternDetector> detectors = PatternSettings.of(settings).detectors();
        List<Alert> alerts = new ArrayList<>();
        transfers.forEach(t -> detectors.forEach(d -> d.accept(t, ledger, alerts::add)));
        detectors.forEach(d -> d.finish(alerts::add));
        return alerts;
    }

    private static List<Alert> of(List<Alert> alerts, String pattern) {
        return alerts.stream().filter(x -> x.pattern().equals(pattern)).toList();
    }

    @Test
    void anAddressSplittingWhatItGotIsAFanOutAndItsEvidenceIsExact() {
        pay(1, 2, ETHER.multiply(BigInteger.valueOf(60)), 1_000);
        for (int i = 0; i < 6; i++) {
            pay(2, 10 + i, ETHER.multiply(BigInteger.valueOf(9 + i)), 2_000 + 600L * i);
        }
        List<Alert> fan = of(run(Map.of()), "fan_out");
        assertEquals(1, fan.size(), fan.toString());
        Alert f = fan.getFirst();
        assertEquals(a(2), f.addresses().getFirst());
        assertEquals(6, f.transactions().size());
        assertEquals(ETHER.multiply(BigInteger.valueOf(9 + 10 + 11 + 12 + 13 + 14)), f.amounts().stream().reduce(BigInteger.ZERO, BigInteger::add));
        assertEquals("ETH", f.parameters().get("asset"));
    }

    @Test
    void aContractPassingValueOnInsideItsCallersTransactionsIsNoSubject() {
        // A router: each caller sends it ETH and, in the same transaction, it pays someone else.
        for (int i = 0; i < 8; i++) {
            Hash256 t = tx();
            pay(t, TransferKind.NATIVE, 0, 20 + i, 2, ETHER, 1_000 + 12L * i);
            pay(t, TransferKind.TOKEN, 1, 2, 40 + i, ETHER, 1_000 + 12L * i);
        }
        List<Alert> alerts = run(Map.of());
        assertTrue(of(alerts, "fan_out").isEmpty() && of(alerts, "fan_in").isEmpty(), alerts.toString());
        // The same eight payments from an address that sends its own transactions are a fan-out.
        transfers.clear();
        for (int i = 0; i < 8; i++) {
            pay(2, 40 + i, ETHER, 1_000 + 12L * i);
        }
        assertEquals(1, of(run(Map.of()), "fan_out").size());
    }

    @Test
    void paymentsJustUnderARoundFigureAreStructuringAndTheRoundFigureItselfIsNot() {
        pay(1, 2, ETHER.multiply(BigInteger.valueOf(100)), 1_000);
        for (int i = 0; i < 5; i++) {
            pay(2, 3, ETHER.multiply(BigInteger.valueOf(95 + i)).divide(BigInteger.TEN), 2_000 + 3_600L * i); // 9.5 .. 9.9 ETH
        }
        List<Alert> s = of(run(Map.of()), "structuring");
        assertEquals(1, s.size());
        assertEquals(String.format("%.0f", 1e19), s.getFirst().parameters().get("threshold"));
        transfers.clear();
        pay(1, 2, ETHER.multiply(BigInteger.valueOf(100)), 1_000);
        for (int i = 0; i < 5; i++) {
            pay(2, 3, ETHER.multiply(BigInteger.TEN), 2_000 + 3_600L * i);
        }
        assertTrue(of(run(Map.of()), "structuring").isEmpty());
    }

    @Test
    void aCycleThroughOrdinaryAddressesIsFoundAndNotThroughABusyOne() {
        pay(1, 2, ETHER.multiply(BigInteger.valueOf(50)), 1_000);
        pay(2, 3, ETHER.multiply(BigInteger.valueOf(49)), 90_000);
        pay(3, 1, ETHER.multiply(BigInteger.valueOf(48)), 200_000);
        List<Alert> c = of(run(Map.of()), "cycle");
        assertEquals(1, c.size());
        assertEquals(3, c.getFirst().transactions().size());
        // With address 2 busy (a pool dealing with others too), the same path is a trader's round trip.
        for (int i = 0; i < 4; i++) {
            pay(60 + i, 2, ETHER, 10_000_000 + 600L * i);
        }
        assertEquals(1, of(run(Map.of("account.busyTransfers", "7")), "cycle").size(), "2 has 6 transfers: not busy at 7");
        assertTrue(of(run(Map.of("account.busyTransfers", "6")), "cycle").isEmpty(), "only 2 has 6");
        // Two hops (a loan repaid) is no cycle.
        transfers.clear();
        pay(1, 2, ETHER, 1_000);
        pay(2, 1, ETHER, 90_000);
        assertTrue(of(run(Map.of()), "cycle").isEmpty());
    }

    @Test
    void valueForwardedWholeHopAfterHopIsPassThroughAndDaysApartIsNot() {
        BigInteger v = ETHER.multiply(BigInteger.valueOf(30));
        for (int i = 0; i < 4; i++) {
            pay(1 + i, 2 + i, v, 1_000 + 3_600L * i);
            v = v.multiply(BigInteger.valueOf(99)).divide(BigInteger.valueOf(100));
        }
        List<Alert> p = of(run(Map.of()), "pass_through");
        assertEquals(1, p.size());
        assertEquals("3", p.getFirst().parameters().get("forwards"));
        assertTrue(of(run(Map.of("account.passThrough.maxDelay", "600")), "pass_through").isEmpty());
    }

    @Test
    void coinsMovedAfterAYearAtRestAreDormancy() {
        pay(1, 2, ETHER.multiply(BigInteger.valueOf(10)), 1_000);
        pay(2, 3, ETHER.multiply(BigInteger.valueOf(8)), 1_000 + 400L * 86_400);
        assertEquals(1, of(run(Map.of()), "dormancy").size());
        assertTrue(of(run(Map.of("dormancy.minRest", Long.toString(500L * 86_400))), "dormancy").isEmpty());
    }
}
