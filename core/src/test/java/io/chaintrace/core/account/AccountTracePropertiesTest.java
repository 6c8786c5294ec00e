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
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties of traces on random account chains: conservation both ways, haircut within poison, nothing before the seed, FIFO round trips. */
class AccountTracePropertiesTest {
    record Chain(MemoryAccountLedger ledger, List<AccountTransfer> transfers, List<Address> accounts) {
    }

    static Address account(int i) {
        return Address.parse(String.format("0x%040x", 0x1000 + i));
    }

    /** Transfers between a few accounts; amounts up to 10^21 wei (beyond 64 bits), sometimes more than the sender holds. */
    static Chain chain(long seed, int n) {
        Random rnd = new Random(seed);
        MemoryAccountLedger ledger = new MemoryAccountLedger();
        int k = 3 + rnd.nextInt(10);
        List<Address> accounts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            accounts.add(account(i));
        }
        List<AccountTransfer> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Address from = accounts.get(rnd.nextInt(k));
            Address to = accounts.get(rnd.nextInt(k));
            BigInteger amount = new BigInteger(70, rnd).add(BigInteger.ONE);
            byte[] h = new byte[32];
            java.nio.ByteBuffer.wrap(h).putLong(seed).putInt(i);
            int block = i / 2;
            AccountTransfer t = new AccountTransfer(new Hash256(h), new BlockRef(block, Hash256.ZERO, 1_600_000_000L + block * 12L), i % 2,
                    TransferKind.NATIVE, 0, from, to, new Amount(Asset.ETH, amount));
            ledger.add(t);
            all.add(t);
        }
        return new Chain(ledger, all, accounts);
    }

    static AccountTrace.AssetResult trace(Chain c, AccountTransfer seed, TaintPolicy p, int hops, long dust) {
        return new AccountTracer(c.ledger()).trace(new AccountTrace.Request(List.of(new AccountTrace.Seed(seed.to(), Optional.of(seed.txHash()))),
                p, new Limits(hops, dust, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE), Set.of(), false)).assets().getFirst();
    }

    @Property(tries = 300)
    void everyConservingPolicyBalancesToTheWei(@ForAll long seed, @ForAll @IntRange(min = 2, max = 150) int n, @ForAll int which,
                                              @ForAll @IntRange(min = 0, max = 4) int cut) {
        Chain c = chain(seed, n);
        AccountTransfer s = c.transfers().get(Math.floorMod(which, n));
        for (TaintPolicy p : TaintPolicy.ALL) {
            if (p.conserving()) {
                AccountTrace.Account a = trace(c, s, p, cut == 0 ? 10_000 : cut, cut * 1_000_000_000_000_000L).account();
                assertTrue(a.balanced(), p.name() + ": " + a);
            }
        }
    }

    @Property(tries = 300)
    void haircutNeverExceedsPoison(@ForAll long seed, @ForAll @IntRange(min = 2, max = 150) int n, @ForAll int which) {
        Chain c = chain(seed, n);
        AccountTransfer s = c.transfers().get(Math.floorMod(which, n));
        Map<String, BigInteger> poison = new HashMap<>();
        trace(c, s, TaintPolicy.named("poison"), 10_000, 0).addresses().forEach(a -> poison.put(a.address().text(), a.received()));
        for (TaintPolicy p : TaintPolicy.ALL) {
            for (AccountTrace.Reached a : trace(c, s, p, 10_000, 0).addresses()) {
                assertTrue(a.received().compareTo(poison.getOrDefault(a.address().text(), BigInteger.ZERO)) <= 0, p.name() + " " + a);
            }
        }
    }

    @Property(tries = 300)
    void nothingLeavesTaintedBeforeTheSeed(@ForAll long seed, @ForAll @IntRange(min = 2, max = 150) int n, @ForAll int which) {
        Chain c = chain(seed, n);
        int at = Math.floorMod(which, n);
        AccountTransfer s = c.transfers().get(at);
        for (TaintPolicy p : TaintPolicy.ALL) {
            AccountTrace.AssetResult r = trace(c, s, p, 10_000, 0);
            for (AccountTrace.Reached a : r.addresses()) {
                if (a.address().text().equals(s.to().text())) {
                    continue;
                }
                // Any other tainted address received taint in a transfer after the seed.
                boolean later = c.transfers().subList(at + 1, n).stream().anyMatch(t -> t.to().text().equals(a.address().text()));
                assertTrue(later || a.received().signum() == 0, p.name() + ": " + a + " tainted with no transfer after the seed");
            }
        }
    }

    static AccountTrace.AssetResult back(Chain c, AccountTransfer seed, TaintPolicy p, int hops, long dust) {
        return new AccountBackwardTracer(c.ledger()).trace(new AccountTrace.Request(List.of(new AccountTrace.Seed(seed.to(),
                Optional.of(seed.txHash()))), p, new Limits(hops, dust, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE),
                Set.of(), false)).assets().getFirst();
    }

    /**
     * FIFO keeps every unit's place, so it can be run both ways: whatever taint the forward trace
     * from the seed puts on a transfer, the backward trace from that transfer finds exactly that
     * much of the seed in it (and none of the seed in a transfer forward left clean).
     */
    @Property(tries = 300)
    void fifoForwardThenBackwardReturnsTheSeed(@ForAll long seed, @ForAll @IntRange(min = 2, max = 120) int n, @ForAll int which) {
        Chain c = chain(seed, n);
        int at = Math.floorMod(which, n);
        AccountTransfer s = c.transfers().get(at);
        TaintPolicy fifo = TaintPolicy.named("fifo");
        Map<AccountTransfer, BigInteger> forward = new HashMap<>();
        for (AccountTrace.TaintedTransfer f : trace(c, s, fifo, 10_000, 0).flows()) {
            forward.merge(f.transfer(), f.taint(), BigInteger::add);
        }
        for (AccountTransfer t : c.transfers().subList(at + 1, n)) {
            BigInteger fromSeed = back(c, t, fifo, 10_000, 0).flows().stream().filter(f -> f.transfer().equals(s))
                    .map(AccountTrace.TaintedTransfer::taint).reduce(BigInteger.ZERO, BigInteger::add);
            assertEquals(forward.getOrDefault(t, BigInteger.ZERO), fromSeed, "transfer " + t);
        }
    }

    @Property(tries = 300)
    void backwardTracesBalanceToTheWei(@ForAll long seed, @ForAll @IntRange(min = 2, max = 150) int n, @ForAll int which,
                                        @ForAll @IntRange(min = 0, max = 4) int cut) {
        Chain c = chain(seed, n);
        AccountTransfer s = c.transfers().get(Math.floorMod(which, n));
        for (String p : List.of("fifo", "lifo", "haircut")) {
            AccountTrace.Account a = back(c, s, TaintPolicy.named(p), cut == 0 ? 10_000 : cut, cut * 1_000_000_000_000_000L).account();
            assertTrue(a.balanced(), p + ": " + a);
        }
    }

    @Property(tries = 200)
    void backwardNeverReachesPastTheSeed(@ForAll long seed, @ForAll @IntRange(min = 2, max = 150) int n, @ForAll int which) {
        Chain c = chain(seed, n);
        int at = Math.floorMod(which, n);
        AccountTransfer s = c.transfers().get(at);
        Set<AccountTransfer> later = Set.copyOf(c.transfers().subList(at + 1, n));
        for (String p : List.of("fifo", "lifo", "haircut", "poison")) {
            for (AccountTrace.TaintedTransfer f : back(c, s, TaintPolicy.named(p), 10_000, 0).flows()) {
                assertTrue(!later.contains(f.transfer()), p + ": " + f + " comes after the seed");
            }
        }
    }
}
