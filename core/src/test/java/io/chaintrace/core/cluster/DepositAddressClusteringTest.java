package io.chaintrace.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Amount;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.TransferKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Exchange deposit addresses on generated accounts: 200 customers, each with 1-3 accounts paying
 * into a deposit address of their own that forwards to an exchange within 3,200 blocks, less gas;
 * beside them near-misses: an address that forwards after 4,000 blocks, one that forwards a
 * different amount (more than 0.01 ETH off), and people paying exchanges directly. Every
 * customer's accounts end in one entity; no entity spans two customers; near-miss payers stay apart.
 */
class DepositAddressClusteringTest {
    static final BigInteger ETH = BigInteger.TEN.pow(18);
    final SplittableRandom rnd = new SplittableRandom(5);
    final List<AccountTransfer> transfers = new ArrayList<>();
    final Map<String, Integer> owner = new HashMap<>();
    int counter;

    @Test
    void customersJoinThroughTheirDepositAddresses() {
        List<Address> exchanges = List.of(account(-1), account(-1), account(-1));
        Set<String> exchangeSet = new HashSet<>();
        exchanges.forEach(e -> exchangeSet.add(e.text()));
        int customers = 200;
        for (int c = 0; c < customers; c++) {
            List<Address> mine = new ArrayList<>();
            for (int i = 0, n = 1 + rnd.nextInt(3); i < n; i++) {
                mine.add(account(c));
            }
            Address deposit = account(-2);
            Address exchange = exchanges.get(rnd.nextInt(3));
            long block = rnd.nextLong(1_000_000);
            for (int k = 0; k < 2 + rnd.nextInt(4); k++) {
                Address from = mine.get(k % mine.size());
                BigInteger amount = ETH.multiply(BigInteger.valueOf(1 + rnd.nextInt(50)));
                pay(from, deposit, amount, block);
                long kind = c % 10;
                if (kind == 0) {
                    pay(deposit, exchange, amount.subtract(ETH.divide(BigInteger.valueOf(1_000))), block + 4_000); // too late
                } else if (kind == 1) {
                    pay(deposit, exchange, amount.divide(BigInteger.TWO), block + 100); // not what it received
                } else {
                    pay(deposit, exchange, amount.subtract(ETH.divide(BigInteger.valueOf(1_000))), block + 10 + rnd.nextInt(3_000));
                }
                block += 5_000 + rnd.nextInt(5_000);
            }
            pay(account(c + 10_000), exchange, ETH, block); // someone else paying the exchange directly
        }
        transfers.sort(Comparator.comparingInt((AccountTransfer t) -> t.block().height()));
        Map<String, Integer> ids = new HashMap<>();
        Set<Integer> exchangeIds = new HashSet<>();
        exchanges.forEach(e -> exchangeIds.add(ids.computeIfAbsent(e.text(), k -> ids.size())));
        UnionFind sets = new UnionFind(1024);
        DepositAddressClustering clustering = DepositAddressClustering.standard(sets, exchangeIds::contains);
        int deposits = 0;
        int most = 0;
        for (AccountTransfer t : transfers) {
            int from = ids.computeIfAbsent(t.from().text(), k -> ids.size());
            int to = ids.computeIfAbsent(t.to().text(), k -> ids.size());
            deposits += clustering.accept(t.block().height(), from, to, t.amount().units()) ? 1 : 0;
            most = Math.max(most, clustering.watched());
        }
        // Per entity, the customers of its accounts (deposit addresses and exchanges aside).
        Map<Integer, Set<Integer>> customersOf = new HashMap<>();
        Map<Integer, Set<Integer>> entitiesOf = new HashMap<>();
        owner.forEach((text, c) -> {
            if (c >= 0 && c < 10_000 && ids.containsKey(text)) {
                int e = sets.find(ids.get(text));
                customersOf.computeIfAbsent(e, k -> new HashSet<>()).add(c);
                entitiesOf.computeIfAbsent(c, k -> new HashSet<>()).add(e);
            }
        });
        long spanning = customersOf.values().stream().filter(s -> s.size() > 1).count();
        long joinedNearMiss = entitiesOf.entrySet().stream().filter(e -> e.getKey() % 10 <= 1).filter(e -> accountsOf(e.getKey()) > 1)
                .filter(e -> e.getValue().size() == 1).count();
        long whole = entitiesOf.entrySet().stream().filter(e -> e.getKey() % 10 > 1).filter(e -> e.getValue().size() == 1).count();
        long planted = entitiesOf.keySet().stream().filter(c -> c % 10 > 1).count();
        System.out.printf("deposit addresses found %d, links %d; customers whole %d of %d; entities spanning customers %d; near-miss customers joined %d%n",
                deposits, clustering.links(), whole, planted, spanning, joinedNearMiss);
        assertEquals(0, spanning, "no entity spans two customers");
        assertEquals(planted, whole, "every customer's accounts form one entity");
        assertEquals(0, joinedNearMiss, "late or mismatched forwards join nobody");
        // What was received is kept for the window only: the customers' payments lie 5,000-10,000 blocks apart, so a few
        // dozen accounts are watched at once, not every deposit address of the run.
        assertTrue(most < customers / 4, "accounts watched at once: " + most);
    }

    /** Inflows past the window are let go as blocks pass, whether or not their account ever forwards. */
    @Test
    void whatWasReceivedIsKeptForTheWindowOnly() {
        DepositAddressClustering clustering = DepositAddressClustering.standard(new UnionFind(30_000), id -> id == 0);
        for (int i = 0; i < 10_000; i++) {
            clustering.accept(100 + i / 10, 1 + i, 10_000 + i, ETH);
        }
        assertEquals(10_000, clustering.watched());
        clustering.accept(100 + 1_000 + 3_201, 25_000, 25_001, ETH);
        assertEquals(1, clustering.watched(), "only the newest account's inflow is within 3,200 blocks");
        // A forward within the window still matches: a deposit found, its two payers joined.
        UnionFind sets = new UnionFind(10);
        DepositAddressClustering d = DepositAddressClustering.standard(sets, id -> id == 0);
        d.accept(10, 1, 5, ETH);
        d.accept(20, 2, 5, ETH.add(BigInteger.TEN.pow(15)));
        assertTrue(d.accept(3_210, 5, 0, ETH.subtract(BigInteger.TEN.pow(15))));
        assertEquals(sets.find(1), sets.find(2));
        assertEquals(1, d.links());
        d.accept(3_300, 3, 5, ETH);
        assertEquals(sets.find(1), sets.find(3), "a known deposit address's new payer joins at once");
    }

    private long accountsOf(int customer) {
        return owner.values().stream().filter(c -> c == customer).count();
    }

    private Address account(int customer) {
        byte[] b = new byte[20];
        rnd.nextBytes(b);
        Address a = Address.parse("0x" + java.util.HexFormat.of().formatHex(b));
        owner.put(a.text(), customer);
        return a;
    }

    private void pay(Address from, Address to, BigInteger amount, long block) {
        byte[] h = new byte[32];
        rnd.nextBytes(h);
        h[0] = (byte) counter++;
        transfers.add(new AccountTransfer(new Hash256(h), new BlockRef((int) block, Hash256.ZERO, 1_500_000_000L + block * 12), 0,
                TransferKind.NATIVE, 0, from, to, new Amount(Asset.ETH, amount)));
    }
}
