package io.chaintrace.scenarios;

import io.chaintrace.core.account.MemoryAccountLedger;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Amount;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.TransferKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An Ethereum ledger with Tornado-style pools (0.1, 1, 10, 100 ETH, labelled mixers), a bridge and
 * exchanges, and planted instances with their ground truth: deposits and withdrawals, depositors
 * linked to withdrawers by the same address, by a direct transfer, or by a matching multi-pool
 * portfolio within a day; bridge entries and exchange cash-outs. Beside them: many unlinked
 * single-pool users (funded by and cashing out to exchanges), ordinary transfers between other
 * people, portfolios that match only after more than a day, and withdrawals from exchanges (not
 * cash-outs).
 */
public final class MixerScenario {
    /** The ledger (transfers and labels), all transfers in chain order, and per pattern the planted instances' transactions. */
    public record Generated(MemoryAccountLedger ledger, List<AccountTransfer> transfers, Map<String, List<Set<Hash256>>> truth) {
    }

    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    static final long HOUR = 3_600;
    private final SplittableRandom rnd;
    private final List<AccountTransfer> transfers = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private final Map<String, List<Set<Hash256>>> truth = new HashMap<>();
    private final List<Address> pools = new ArrayList<>();
    private final List<BigInteger> denominations = List.of(ETHER.divide(BigInteger.TEN), ETHER, ETHER.multiply(BigInteger.TEN),
            ETHER.multiply(BigInteger.valueOf(100)));
    private final Address bridge;
    private final List<Address> exchanges = new ArrayList<>();
    private final Address relayer;
    private final ScenarioIds ids;
    private final Map<Hash256, BigInteger> gas = new HashMap<>();
    private final Map<Hash256, Integer> txIndexes = new HashMap<>();
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    private MixerScenario(long seed) {
        rnd = new SplittableRandom(seed);
        ids = new ScenarioIds(rnd);
        for (int i = 0; i < denominations.size(); i++) {
            Address p = fresh();
            pools.add(p);
            labels.add(new Label(p, "Tornado Cash " + List.of("0.1", "1", "10", "100").get(i) + " ETH", LabelCategory.MIXER, "scenario", 1.0));
        }
        bridge = fresh();
        labels.add(new Label(bridge, "Bridge", LabelCategory.BRIDGE, "scenario", 1.0));
        for (int i = 0; i < 3; i++) {
            Address e = fresh();
            exchanges.add(e);
            labels.add(new Label(e, "Exchange " + i, LabelCategory.EXCHANGE, "scenario", 1.0));
        }
        relayer = fresh();
    }

    public static Generated generate(long seed, int each, int background) {
        MixerScenario g = new MixerScenario(seed);
        long span = 365L * 86_400;
        for (int i = 0; i < each; i++) {
            g.sameAddress(g.rnd.nextLong(span));
            g.directTransfer(g.rnd.nextLong(span));
            g.portfolio(g.rnd.nextLong(span), false);
            g.portfolio(g.rnd.nextLong(span), true); // near-miss: withdrawn after more than a day
            g.bridgeEntry(g.rnd.nextLong(span));
            g.cashOut(g.rnd.nextLong(span));
            g.uniqueGasPrice(g.rnd.nextLong(span));
        }
        for (int i = 0; i < background; i++) {
            g.singlePoolUser(g.rnd.nextLong(span));
            g.ordinary(g.rnd.nextLong(span));
        }
        g.transfers.sort(Comparator.comparingLong((AccountTransfer t) -> t.block().time()).thenComparingInt(AccountTransfer::txIndex)
                .thenComparing(AccountTransfer::kind).thenComparingInt(AccountTransfer::index));
        // Blocks in time order: renumber heights so that chain order is time order.
        MemoryAccountLedger ledger = new MemoryAccountLedger();
        List<AccountTransfer> ordered = new ArrayList<>();
        for (AccountTransfer t : g.transfers) {
            BlockRef b = new BlockRef((int) (t.block().time() / 12), Hash256.ZERO, t.block().time());
            AccountTransfer r = new AccountTransfer(t.txHash(), b, t.txIndex(), t.kind(), t.index(), t.from(), t.to(), t.amount());
            ordered.add(r);
            ledger.add(r);
        }
        g.labels.forEach(ledger::label);
        g.gas.forEach(ledger::gasPrice);
        return new Generated(ledger, ordered, g.truth);
    }

    /** Deposits one pool's denomination; returns the deposit transaction. */
    private Hash256 deposit(Address who, int pool, long time) {
        return pay(who, pools.get(pool), denominations.get(pool), time);
    }

    /** The pool pays the recipient its denomination less a relayer fee, and the relayer the fee, in one transaction. */
    private Hash256 withdraw(int pool, Address to, long time) {
        Hash256 tx = nextHash();
        BigInteger fee = denominations.get(pool).divide(BigInteger.valueOf(200));
        add(tx, time, TransferKind.INTERNAL, 0, pools.get(pool), to, denominations.get(pool).subtract(fee));
        add(tx, time, TransferKind.INTERNAL, 1, pools.get(pool), relayer, fee);
        return tx;
    }

    private void sameAddress(long t) {
        Address a = funded(t - HOUR);
        int pool = rnd.nextInt(4);
        Hash256 d = deposit(a, pool, t);
        Hash256 w = withdraw(pool, a, t + (1 + rnd.nextInt(30 * 24)) * HOUR);
        mark("mixer.link.same_address", d, w);
        mark("mixer.deposit", d);
        mark("mixer.withdrawal", w);
    }

    private void directTransfer(long t) {
        Address depositor = funded(t - HOUR);
        Address withdrawer = fresh();
        int pool = rnd.nextInt(4);
        Hash256 d = deposit(depositor, pool, t);
        Hash256 w = withdraw(pool, withdrawer, t + (2 + rnd.nextInt(100)) * HOUR);
        // Before or after: the withdrawer sends something back, or the depositor tops the withdrawer up for gas.
        Hash256 link = rnd.nextBoolean() ? pay(withdrawer, depositor, ETHER.divide(BigInteger.valueOf(50)), t + 200 * HOUR)
                : pay(depositor, withdrawer, ETHER.divide(BigInteger.valueOf(100)), t - HOUR / 2);
        mark("mixer.link.direct_transfer", d, w, link);
        mark("mixer.deposit", d);
        mark("mixer.withdrawal", w);
    }

    /** Deposits into two or three different pools within hours, withdrawn from the same pools by a fresh address. */
    private void portfolio(long t, boolean late) {
        Address depositor = funded(t - HOUR);
        Address withdrawer = fresh();
        List<Integer> chosen = new ArrayList<>(List.of(0, 1, 2, 3));
        for (int i = chosen.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            Integer x = chosen.get(i);
            chosen.set(i, chosen.get(j));
            chosen.set(j, x);
        }
        List<Integer> mine = chosen.subList(0, 2 + rnd.nextInt(2));
        Set<Hash256> txs = new LinkedHashSet<>();
        long at = t;
        for (int pool : mine) {
            Hash256 d = deposit(depositor, pool, at);
            txs.add(d);
            mark("mixer.deposit", d);
            at += 600 + rnd.nextInt(3_600);
        }
        at += late ? 2 * 86_400 : 3_600 + rnd.nextInt(4 * 3_600);
        for (int pool : mine) {
            Hash256 w = withdraw(pool, withdrawer, at);
            txs.add(w);
            mark("mixer.withdrawal", w);
            at += 600 + rnd.nextInt(3_600);
        }
        if (!late) {
            truth.computeIfAbsent("mixer.link.portfolio", k -> new ArrayList<>()).add(txs);
        }
    }

    /** A deposit and, days later, a withdrawal without a relayer to a fresh address, both at the same odd gas price. */
    private void uniqueGasPrice(long t) {
        Address depositor = funded(t - HOUR);
        Address withdrawer = fresh();
        int pool = rnd.nextInt(4);
        BigInteger price = GWEI.multiply(BigInteger.valueOf(5 + rnd.nextInt(80))).add(BigInteger.valueOf(1 + rnd.nextInt(999_999_999)));
        Hash256 d = deposit(depositor, pool, t);
        gas.put(d, price);
        Hash256 w = nextHash();
        add(w, t + (2 + rnd.nextInt(120)) * HOUR, TransferKind.INTERNAL, 0, pools.get(pool), withdrawer, denominations.get(pool));
        gas.put(w, price);
        mark("mixer.link.unique_gas_price", d, w);
        mark("mixer.deposit", d);
        mark("mixer.withdrawal", w);
    }

    private void bridgeEntry(long t) {
        Address a = funded(t - HOUR);
        mark("bridge", pay(a, bridge, ETHER.multiply(BigInteger.valueOf(1 + rnd.nextInt(50))), t));
    }

    private void cashOut(long t) {
        Address a = fresh();
        pay(fresh(), a, ETHER.multiply(BigInteger.valueOf(5)), t - HOUR);
        mark("cash_out", pay(a, exchanges.get(rnd.nextInt(exchanges.size())), ETHER.multiply(BigInteger.valueOf(4)), t));
    }

    /** Funded by an exchange (not a cash-out), deposits once, and someone unrelated withdraws once, later, to an exchange. */
    private void singlePoolUser(long t) {
        Address a = fresh();
        int pool = rnd.nextInt(4);
        pay(exchanges.get(rnd.nextInt(exchanges.size())), a, denominations.get(pool).add(ETHER.divide(BigInteger.valueOf(100))), t - HOUR);
        mark("mixer.deposit", deposit(a, pool, t));
        Address b = fresh();
        mark("mixer.withdrawal", withdraw(pool, b, t + (1 + rnd.nextInt(1_000)) * HOUR));
    }

    /** Two people unrelated to any pool pay each other. */
    private void ordinary(long t) {
        Address a = fresh();
        Address b = fresh();
        pay(a, b, ETHER.divide(BigInteger.valueOf(1 + rnd.nextInt(100))), t);
        pay(b, a, ETHER.divide(BigInteger.valueOf(200)), t + HOUR);
    }

    /** A fresh address funded by another fresh one (not an exchange). */
    private Address funded(long t) {
        Address a = fresh();
        pay(fresh(), a, ETHER.multiply(BigInteger.valueOf(200)), t);
        return a;
    }

    private Hash256 pay(Address from, Address to, BigInteger amount, long time) {
        Hash256 tx = nextHash();
        add(tx, time, TransferKind.NATIVE, 0, from, to, amount);
        return tx;
    }

    private void add(Hash256 tx, long time, TransferKind kind, int index, Address from, Address to, BigInteger amount) {
        // Most people take the wallet's suggestion: a round number of gwei that many share.
        gas.putIfAbsent(tx, GWEI.multiply(BigInteger.valueOf(10L * (2 + rnd.nextInt(4)))));
        // Each transaction its own index, so its transfers stay together in chain order, as in a real block.
        int txIndex = txIndexes.computeIfAbsent(tx, k -> txIndexes.size());
        transfers.add(new AccountTransfer(tx, new BlockRef(0, Hash256.ZERO, 1_600_000_000L + time), txIndex, kind, index, from, to,
                new Amount(Asset.ETH, amount)));
    }

    private void mark(String pattern, Hash256... txs) {
        truth.computeIfAbsent(pattern, k -> new ArrayList<>()).add(new LinkedHashSet<>(List.of(txs)));
    }

    private Address fresh() {
        return ids.account();
    }

    private Hash256 nextHash() {
        return ids.hash();
    }
}
