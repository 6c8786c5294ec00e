package io.chaintrace.core.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Amount;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TransferKind;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A seed address paid back with its own stolen value: X -> A 10, A -> B 5, B -> A 5, A -> C 10,
 * seed A. Both transfers into A are seeds (15 ETH seeded); the 5 that came back from B was already
 * counted when it left A. It used to be counted again, and the account did not balance.
 */
class SeedsPayingSeedsTest {
    static final BigInteger ETH = BigInteger.TEN.pow(18);

    static Address account(char c) {
        return Address.parse("0x" + String.valueOf(c).repeat(40));
    }

    static AccountTransfer transfer(int block, Address from, Address to, long eth) {
        byte[] h = new byte[32];
        h[31] = (byte) block;
        return new AccountTransfer(new Hash256(h), new BlockRef(block, Hash256.ZERO, 1_600_000_000L + block * 12L), 0, TransferKind.NATIVE, 0,
                from, to, new Amount(Asset.ETH, ETH.multiply(BigInteger.valueOf(eth))));
    }

    @Test
    void whatComesBackToASeedIsAbsorbedAndTheAccountBalances() {
        Address x = account('f');
        Address a = account('a');
        Address b = account('b');
        Address c = account('c');
        MemoryAccountLedger ledger = new MemoryAccountLedger();
        ledger.add(transfer(1, x, a, 10));
        ledger.add(transfer(2, a, b, 5));
        ledger.add(transfer(3, b, a, 5));
        ledger.add(transfer(4, a, c, 10));
        for (TaintPolicy p : TaintPolicy.ALL) {
            AccountTrace.Account acc = new AccountTracer(ledger).trace(new AccountTrace.Request(List.of(new AccountTrace.Seed(a, Optional.empty())),
                    p, Limits.DEFAULT, TraceRequest.SERVICES, false)).assets().getFirst().account();
            assertEquals(ETH.multiply(BigInteger.valueOf(15)), acc.seeded(), p.name());
            assertEquals(ETH.multiply(BigInteger.valueOf(5)), acc.absorbedBySeeds(), p.name() + ": B's 5 came back to A");
            if (p.conserving()) {
                assertEquals(ETH.multiply(BigInteger.TEN), acc.held(), p.name() + ": C holds the 10 A paid last");
                assertTrue(acc.balanced(), p.name() + ": " + acc);
            }
        }
    }

    /**
     * A traced address pays more than the trace saw it receive (a balance from before the data): the excess is paid
     * clean, reported as {@code paidBeyondSeen}, and the taint's account still balances. X -> A 10 (seed), A -> C 12:
     * 2 ETH of A's payment came from value the trace never saw arrive.
     */
    @Test
    void valuePaidBeyondWhatArrivedIsReportedAndTheAccountBalances() {
        Address x = account('f');
        Address a = account('a');
        Address c = account('c');
        MemoryAccountLedger ledger = new MemoryAccountLedger();
        ledger.add(transfer(1, x, a, 10));
        ledger.add(transfer(2, a, c, 12));
        for (TaintPolicy p : TaintPolicy.ALL) {
            AccountTrace.Account acc = new AccountTracer(ledger).trace(new AccountTrace.Request(List.of(new AccountTrace.Seed(a, Optional.empty())),
                    p, Limits.DEFAULT, TraceRequest.SERVICES, false)).assets().getFirst().account();
            assertEquals(ETH.multiply(BigInteger.TEN), acc.seeded(), p.name());
            assertEquals(ETH.multiply(BigInteger.TWO), acc.paidBeyondSeen(), p.name() + ": 12 paid out of the 10 seen");
            if (p.conserving()) {
                assertEquals(ETH.multiply(BigInteger.TEN), acc.held(), p.name() + ": C holds all the taint");
                assertTrue(acc.balanced(), p.name() + ": " + acc);
            }
        }
    }
}
