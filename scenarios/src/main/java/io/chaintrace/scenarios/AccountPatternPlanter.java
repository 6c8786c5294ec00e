package io.chaintrace.scenarios;

import io.chaintrace.core.account.MemoryAccountLedger;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Amount;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.TransferKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;

/**
 * Two years of an account chain (ETH and a 6-decimal token) with laundering patterns planted among ordinary payments,
 * and the ground truth: per pattern, the transactions of each planted instance. Each instance spans a window drawn
 * log-uniformly from one hour to 60 days (pass-through and peel chains: minutes to hours a hop), in ETH or the token.
 *
 * <p>The background is what a detector must leave alone: a thousand people paying each other steadily; and the
 * near-misses: payrolls (a business paid by customers, paying the same staff every month, some salaries just under a
 * round figure), exchange deposit addresses swept into an unlabelled hot wallet that also pays withdrawals, DEX traders
 * buying and selling through pools, slow payers (value paid on hop after hop, days apart; many payees over months),
 * shoppers (a large sum received, small sums paid to many shops),
 * splits to too few, peel-like runs too short or topped up, loans repaid (two-hop round trips), value that leaves and
 * never returns, coins that rest less than a year, and payers of exact round figures.
 */
public final class AccountPatternPlanter {
    /** The transfers in chain order, a ledger holding them, per pattern the planted instances, and each instance's span (s). */
    public record Planted(List<AccountTransfer> transfers, MemoryAccountLedger ledger, Map<String, List<Set<Hash256>>> truth,
                          Map<Set<Hash256>, Long> spans, int background, Map<Address, String> roles) {
    }

    static final long HOUR = 3_600;
    static final long DAY = 86_400;
    static final long HORIZON = 730 * DAY;
    static final long WINDOW_MIN = HOUR;
    static final long WINDOW_MAX = 60 * DAY;
    private final SplittableRandom rnd;
    private final ScenarioIds ids;
    private final Asset token;
    private final List<Address> people = new ArrayList<>();
    private final List<Address> pools = new ArrayList<>();
    private final Address hotWallet;
    private final List<Pending> pending = new ArrayList<>();
    private final Map<String, List<Set<Hash256>>> truth = new HashMap<>();
    private final Map<Set<Hash256>, Long> spans = new HashMap<>();
    private final List<Label> labels = new ArrayList<>();
    /** What made each payer: the pattern or near-miss, or "person" (to tell where a wrong alert comes from). */
    private final Map<Address, String> roles = new HashMap<>();
    private String making = "person";

    private record Pending(long time, long seq, Hash256 tx, TransferKind kind, int index, Address from, Address to, Amount amount) {
    }

    private AccountPatternPlanter(long seed) {
        rnd = new SplittableRandom(seed);
        ids = new ScenarioIds(rnd);
        token = new Asset(Chain.ETHEREUM, Optional.of(ids.account()), "USDX", OptionalInt.of(6));
        for (int i = 0; i < 1_000; i++) {
            people.add(ids.account());
            roles.put(people.getLast(), "person");
        }
        for (int i = 0; i < 4; i++) {
            Address p = ids.account();
            pools.add(p);
            if (i < 2) {
                labels.add(new Label(p, "Pool " + i, LabelCategory.DEX, "scenario", 1.0)); // two of the four labelled
            }
        }
        hotWallet = ids.account(); // an exchange nobody labelled
    }

    /** Plants {@code each} instances of every pattern and of every near-miss among {@code background} ordinary payments. */
    public static Planted plant(long seed, int each, int background) {
        AccountPatternPlanter p = new AccountPatternPlanter(seed);
        List<LongConsumer> patterns = List.of(p::fanOut, p::fanIn, p::scatterGather, p::gatherScatter, p::cycle, p::passThrough,
                p::peelChain, p::structuring);
        List<LongConsumer> nearMisses = List.of(p::payroll, p::exchangeCustomer, p::dexTrader, p::slowPayer, p::shopper, p::smallSplit,
                p::shortOrToppedUpPeel, p::loanRepaid, p::noReturn, p::shortRest, p::roundPayer);
        for (int i = 0; i < each; i++) {
            for (int k = 0; k < patterns.size(); k++) {
                p.making = PATTERN_NAMES.get(k);
                patterns.get(k).accept(p.rnd.nextLong(HORIZON - WINDOW_MAX - 2 * DAY));
            }
            p.making = "dormancy";
            p.dormancy(560 * DAY + p.rnd.nextLong(160 * DAY));
            for (int k = 0; k < nearMisses.size(); k++) {
                p.making = NEAR_MISS_NAMES.get(k);
                nearMisses.get(k).accept(p.rnd.nextLong(HORIZON - 200 * DAY));
            }
        }
        p.making = "person";
        for (int i = 0; i < background; i++) {
            p.ordinary(p.rnd.nextLong(HORIZON));
        }
        return p.build(background);
    }

    static final List<String> PATTERN_NAMES = List.of("fan_out", "fan_in", "scatter_gather", "gather_scatter", "cycle", "pass_through",
            "peel_chain", "structuring");
    static final List<String> NEAR_MISS_NAMES = List.of("payroll", "exchange customer", "DEX trader", "slow payer", "shopper", "small split",
            "short or topped-up peel", "loan repaid", "no return", "short rest", "round payer");

    // ------------------------------------------------------------------ planted patterns

    /** A span from one hour to 60 days, log-uniform. */
    private long span() {
        return (long) Math.exp(Math.log(WINDOW_MIN) + rnd.nextDouble() * (Math.log(WINDOW_MAX) - Math.log(WINDOW_MIN)));
    }

    private Asset asset() {
        return rnd.nextBoolean() ? Asset.ETH : token;
    }

    /** {@code n} times within {@code [t, t + span]}, in order. */
    private long[] times(long t, long span, int n) {
        long[] x = new long[n];
        for (int i = 0; i < n; i++) {
            x[i] = t + rnd.nextLong(span + 1);
        }
        java.util.Arrays.sort(x);
        return x;
    }

    private void fanOut(long t) {
        long s = span();
        Asset a = asset();
        double funds = 100 + rnd.nextInt(900);
        Address x = funded(a, funds, t - HOUR);
        int n = 5 + rnd.nextInt(8);
        Set<Hash256> txs = new LinkedHashSet<>();
        // The split disperses what came in: most of it, in parts of varied size.
        for (long at : times(t, s, n)) {
            txs.add(pay(x, ids.account(), a, funds * 0.9 / n * (0.8 + 0.2 * rnd.nextDouble()), at));
        }
        truth("fan_out", txs, s);
    }

    private void fanIn(long t) {
        long s = span();
        Asset a = asset();
        Address y = ids.account();
        int n = 5 + rnd.nextInt(8);
        Set<Hash256> txs = new LinkedHashSet<>();
        for (long at : times(t, s, n)) {
            double v = 5 + rnd.nextDouble() * 50;
            Address payer = funded(a, v * 1.01, at - HOUR - rnd.nextLong(DAY));
            txs.add(pay(payer, y, a, v, at));
        }
        truth("fan_in", txs, s);
    }

    private void scatterGather(long t) {
        long s = span();
        Asset a = asset();
        int n = 5 + rnd.nextInt(4);
        Address x = funded(a, n * 20.0 + 5, t - HOUR);
        Address b = ids.account();
        Set<Hash256> txs = new LinkedHashSet<>();
        long[] out = times(t, s / 2, n);
        for (int i = 0; i < n; i++) {
            Address m = ids.account();
            double v = 10 + rnd.nextDouble() * 10;
            txs.add(pay(x, m, a, v, out[i]));
            txs.add(pay(m, b, a, v * (0.9 + 0.1 * rnd.nextDouble()), out[i] + 60 + rnd.nextLong(t + s - out[i] - 59)));
        }
        truth("scatter_gather", txs, s);
    }

    private void gatherScatter(long t) {
        long s = span();
        Asset a = asset();
        int n = 5 + rnd.nextInt(4);
        Address h = ids.account();
        Set<Hash256> txs = new LinkedHashSet<>();
        double total = 0;
        for (long at : times(t, s / 2, n)) {
            double v = 10 + rnd.nextDouble() * 10;
            total += v;
            txs.add(pay(funded(a, v * 1.01, at - HOUR - rnd.nextLong(DAY)), h, a, v, at));
        }
        int m = 5 + rnd.nextInt(4);
        for (long at : times(t + s / 2 + 60, s / 2, m)) {
            txs.add(pay(h, ids.account(), a, total * 0.95 / m, at));
        }
        truth("gather_scatter", txs, s);
    }

    /** Home -> 2..5 intermediaries -> home, each hop a little less (fees, a cut), over the span. */
    private void cycle(long t) {
        long s = span();
        Asset a = asset();
        Address home = funded(a, 100 + rnd.nextInt(100), t - HOUR);
        int k = 2 + rnd.nextInt(4);
        double v = 50 + rnd.nextDouble() * 40;
        Set<Hash256> txs = new LinkedHashSet<>();
        long[] at = times(t, s, k + 1);
        Address from = home;
        for (int i = 0; i <= k; i++) {
            Address to = i == k ? home : ids.account();
            txs.add(pay(from, to, a, v, at[i] + i)); // + i: strictly in order even when two times coincide
            v *= 0.9 + 0.09 * rnd.nextDouble();
            from = to;
        }
        truth("cycle", txs, s);
    }

    /** Received, then paid on whole (less a little) to a fresh address within minutes to hours, 3..6 times. */
    private void passThrough(long t) {
        Asset a = asset();
        int n = 3 + rnd.nextInt(4);
        double v = 20 + rnd.nextDouble() * 200;
        Address m = ids.account();
        Set<Hash256> txs = new LinkedHashSet<>();
        txs.add(pay(ids.account(), m, a, v, t));
        long at = t;
        for (int i = 0; i < n; i++) {
            at += 60 + rnd.nextLong(20 * HOUR);
            v *= 0.95 + 0.049 * rnd.nextDouble();
            Address next = ids.account();
            txs.add(pay(m, next, a, v, at));
            m = next;
        }
        truth("pass_through", txs, at - t);
    }

    /** Received, then a small peel paid out and the rest moved to a fresh address, 3..10 times. */
    private void peelChain(long t) {
        Asset a = asset();
        int n = 3 + rnd.nextInt(8);
        double v = 100 + rnd.nextDouble() * 900;
        Address m = ids.account();
        Set<Hash256> txs = new LinkedHashSet<>();
        txs.add(pay(ids.account(), m, a, v, t));
        long at = t;
        for (int i = 0; i < n; i++) {
            at += 600 + rnd.nextLong(DAY);
            double peel = v * (0.01 + 0.09 * rnd.nextDouble());
            txs.add(pay(m, ids.account(), a, peel, at));
            v = (v - peel) * 0.999;
            Address next = ids.account();
            txs.add(pay(m, next, a, v, at + 12 * rnd.nextInt(20)));
            m = next;
        }
        truth("peel_chain", txs, at - t);
    }

    /** 5..10 payments each just under a round figure (10 ETH, 10,000 tokens), to one to three payees. */
    private void structuring(long t) {
        long s = span();
        Asset a = asset();
        double threshold = a == Asset.ETH ? 10 : 10_000;
        int n = 5 + rnd.nextInt(6);
        Address x = funded(a, threshold * (n + 1), t - HOUR);
        List<Address> payees = new ArrayList<>();
        for (int i = 0, k = 1 + rnd.nextInt(3); i < k; i++) {
            payees.add(ids.account());
        }
        Set<Hash256> txs = new LinkedHashSet<>();
        for (long at : times(t, s, n)) {
            txs.add(pay(x, payees.get(rnd.nextInt(payees.size())), a, threshold * (0.9 + 0.095 * rnd.nextDouble()), at));
        }
        truth("structuring", txs, s);
    }

    /** Received, left untouched a year to eighteen months, then mostly moved at once. */
    private void dormancy(long t) {
        Asset a = asset();
        long rest = 366 * DAY + rnd.nextLong(180 * DAY);
        double v = 50 + rnd.nextDouble() * 500;
        Address x = ids.account();
        Hash256 in = pay(ids.account(), x, a, v, t - rest);
        Hash256 out = pay(x, ids.account(), a, v * (0.6 + 0.4 * rnd.nextDouble()), t);
        truth("dormancy", new LinkedHashSet<>(List.of(in, out)), rest);
    }

    // ------------------------------------------------------------------ near-misses

    /** A business: customers pay it every month, it pays the same 5..8 staff the same salaries every month, for a year or more. */
    private void payroll(long t) {
        Asset a = asset();
        Address business = ids.account();
        int staff = 5 + rnd.nextInt(4);
        List<Address> employees = new ArrayList<>();
        List<Double> salaries = new ArrayList<>();
        boolean underRound = rnd.nextInt(3) == 0;
        for (int i = 0; i < staff; i++) {
            employees.add(ids.account());
            double round = a == Asset.ETH ? 1 : 1_000;
            salaries.add(underRound ? round * (0.9 + 0.09 * rnd.nextDouble()) : round * (0.3 + 3 * rnd.nextDouble()));
        }
        List<Address> customers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            customers.add(rnd.nextBoolean() ? ids.account() : person());
        }
        double total = salaries.stream().mapToDouble(Double::doubleValue).sum();
        int months = 12 + rnd.nextInt(7);
        for (int m = 0; m < months; m++) {
            long month = t + m * 30 * DAY;
            for (Address c : customers) {
                pay(c, business, a, total / customers.size() * (0.9 + 0.4 * rnd.nextDouble()), month + rnd.nextLong(25 * DAY));
            }
            long payday = month + 27 * DAY;
            for (int i = 0; i < staff; i++) {
                pay(business, employees.get(i), a, salaries.get(i), payday + i * 12L);
                if (rnd.nextBoolean()) {
                    pay(employees.get(i), person(), a, salaries.get(i) * 0.3, payday + DAY + rnd.nextLong(20 * DAY));
                }
            }
        }
    }

    /** A customer's exchange deposit address: 3..8 deposits over the months, each swept into the hot wallet within hours; withdrawals back. */
    private void exchangeCustomer(long t) {
        Asset a = asset();
        Address customer = person();
        Address deposit = ids.account();
        int n = 3 + rnd.nextInt(6);
        for (long at : times(t, 180 * DAY, n)) {
            double v = 1 + rnd.nextDouble() * 50;
            pay(customer, deposit, a, v, at);
            pay(deposit, hotWallet, a, v, at + 600 + rnd.nextLong(6 * HOUR));
            pay(hotWallet, person(), a, v * (0.5 + rnd.nextDouble()), at + rnd.nextLong(10 * DAY));
        }
    }

    /** Buys and sells through pools: in one transaction ETH in and the token out (or the reverse), 2..6 times. */
    private void dexTrader(long t) {
        Address trader = rnd.nextBoolean() ? person() : ids.account();
        if (!people.contains(trader)) {
            pay(person(), trader, Asset.ETH, 20, t - DAY);
        }
        int n = 2 + rnd.nextInt(5);
        for (long at : times(t, 200 * DAY, n)) {
            Address pool = pools.get(rnd.nextInt(pools.size()));
            Hash256 tx = ids.hash();
            double eth = 0.5 + rnd.nextDouble() * 5;
            boolean buy = rnd.nextBoolean();
            add(tx, at, TransferKind.NATIVE, 0, buy ? trader : pool, buy ? pool : trader, Asset.ETH, eth);
            add(tx, at, TransferKind.TOKEN, 1, buy ? pool : trader, buy ? trader : pool, token, eth * 2_000);
        }
    }

    /** Value paid on hop after hop, days to weeks apart; and a payer of many over months. */
    private void slowPayer(long t) {
        Asset a = asset();
        double v = 10 + rnd.nextDouble() * 100;
        Address m = ids.account();
        pay(ids.account(), m, a, v, t);
        long at = t;
        for (int i = 0; i < 4; i++) {
            at += 3 * DAY + rnd.nextLong(17 * DAY);
            Address next = ids.account();
            pay(m, next, a, v * 0.99, at);
            v *= 0.99;
            m = next;
        }
        Address spender = funded(a, 100, t);
        int n = 5 + rnd.nextInt(3);
        long gap = 25 * DAY + rnd.nextLong(10 * DAY);
        for (int i = 0; i < n; i++) {
            pay(spender, person(), a, 1 + rnd.nextDouble() * 10, t + DAY + i * gap);
        }
    }

    /** Paid a large sum once, then pays six to nine shops small amounts within days: many payees, little of the money. */
    private void shopper(long t) {
        Asset a = asset();
        Address x = funded(a, 500 + rnd.nextInt(500), t - HOUR);
        for (long at : times(t, DAY + rnd.nextLong(20 * DAY), 6 + rnd.nextInt(4))) {
            pay(x, rnd.nextBoolean() ? person() : ids.account(), a, 1 + rnd.nextDouble() * 9, at);
        }
    }

    /** A split to three or four addresses within hours. */
    private void smallSplit(long t) {
        Asset a = asset();
        Address x = funded(a, 100, t - HOUR);
        int n = 3 + rnd.nextInt(2);
        for (long at : times(t, 6 * HOUR, n)) {
            pay(x, ids.account(), a, 5 + rnd.nextDouble() * 10, at);
        }
    }

    /** Two peel-like steps only, or three with the remainder topped up on the way. */
    private void shortOrToppedUpPeel(long t) {
        Asset a = asset();
        boolean topUp = rnd.nextBoolean();
        double v = 100 + rnd.nextDouble() * 900;
        Address m = ids.account();
        pay(ids.account(), m, a, v, t);
        long at = t;
        for (int i = 0; i < (topUp ? 3 : 2); i++) {
            at += 600 + rnd.nextLong(DAY);
            double peel = v * (0.01 + 0.09 * rnd.nextDouble());
            pay(m, ids.account(), a, peel, at);
            v = (v - peel) * 0.999;
            Address next = ids.account();
            pay(m, next, a, v, at + 12);
            if (topUp && i == 0) {
                pay(ids.account(), next, a, v * 2, at + 60);
                v *= 3;
            }
            m = next;
        }
    }

    /** A loan: A pays B, B pays it back weeks later (two hops, not a cycle). */
    private void loanRepaid(long t) {
        Asset a = asset();
        Address lender = person();
        Address borrower = person();
        double v = 5 + rnd.nextDouble() * 50;
        pay(lender, borrower, a, v, t);
        pay(borrower, lender, a, v * 1.02, t + 7 * DAY + rnd.nextLong(40 * DAY));
    }

    /** Value leaves an address through fresh hops, days apart, and never comes back. */
    private void noReturn(long t) {
        Asset a = asset();
        Address home = funded(a, 100, t - HOUR);
        double v = 80;
        Address from = home;
        for (int i = 0; i < 4; i++) {
            Address to = ids.account();
            pay(from, to, a, v, t + i * 2 * DAY);
            v *= 0.95;
            from = to;
        }
    }

    /** Received, resting 100..300 days, then moved. */
    private void shortRest(long t) {
        Asset a = asset();
        Address x = ids.account();
        double v = 50 + rnd.nextDouble() * 500;
        pay(ids.account(), x, a, v, t);
        pay(x, ids.account(), a, v * 0.8, t + (100 + rnd.nextInt(200)) * DAY);
    }

    /** Six payments of exactly a round figure (at the threshold, not under it) to one or two payees. */
    private void roundPayer(long t) {
        Asset a = asset();
        double round = a == Asset.ETH ? 10 : 10_000;
        Address x = funded(a, round * 7, t - HOUR);
        List<Address> payees = List.of(ids.account(), ids.account());
        for (long at : times(t, 10 * DAY, 6)) {
            pay(x, payees.get(rnd.nextInt(2)), a, round, at);
        }
    }

    /** Background: one person pays another, an amount from cents to thousands. */
    private void ordinary(long t) {
        Asset a = rnd.nextInt(5) < 3 ? Asset.ETH : token;
        double v = Math.exp(Math.log(0.01) + rnd.nextDouble() * Math.log(5_000)) * (a == Asset.ETH ? 1 : 2_000);
        Address from = person();
        Address to = person();
        if (!from.equals(to)) {
            pay(from, to, a, v, t);
        }
    }

    // ------------------------------------------------------------------ building blocks

    private Address person() {
        return people.get(rnd.nextInt(people.size()));
    }

    /** A fresh address funded once by another fresh one. */
    private Address funded(Asset a, double units, long t) {
        Address x = ids.account();
        pay(ids.account(), x, a, units, t);
        return x;
    }

    private Hash256 pay(Address from, Address to, Asset a, double units, long t) {
        Hash256 tx = ids.hash();
        add(tx, t, a == Asset.ETH ? TransferKind.NATIVE : TransferKind.TOKEN, 0, from, to, a, units);
        return tx;
    }

    private void add(Hash256 tx, long t, TransferKind kind, int index, Address from, Address to, Asset a, double units) {
        roles.putIfAbsent(from, from.equals(hotWallet) ? "exchange hot wallet" : pools.contains(from) ? "pool" : making);
        roles.putIfAbsent(to, to.equals(hotWallet) ? "exchange hot wallet" : pools.contains(to) ? "pool" : making);
        BigInteger base = BigDecimal.valueOf(units).movePointRight(a.decimals().orElseThrow()).toBigInteger();
        // Two days in: fundings an hour or a day before an instance stay after the chain's start.
        pending.add(new Pending(t + 2 * DAY, pending.size(), tx, kind, index, from, to, new Amount(a, base.max(BigInteger.ONE))));
    }

    private void truth(String pattern, Set<Hash256> txs, long span) {
        truth.computeIfAbsent(pattern, k -> new ArrayList<>()).add(txs);
        spans.put(txs, span);
    }

    /** Chain order is time order: blocks every 12 s, transactions in a block in the order they were made. */
    private Planted build(int background) {
        pending.sort(Comparator.comparingLong((Pending p) -> p.time / 12).thenComparingLong(Pending::seq));
        MemoryAccountLedger ledger = new MemoryAccountLedger();
        List<AccountTransfer> out = new ArrayList<>(pending.size());
        Map<Hash256, Integer> position = new HashMap<>();
        for (Pending p : pending) {
            long blockTime = 1_600_000_000L + p.time / 12 * 12;
            int txIndex = position.computeIfAbsent(p.tx, k -> position.size());
            AccountTransfer t = new AccountTransfer(p.tx, new BlockRef((int) (p.time / 12), Hash256.ZERO, blockTime), txIndex, p.kind,
                    p.index, p.from, p.to, p.amount);
            out.add(t);
            ledger.add(t);
        }
        labels.forEach(ledger::label);
        return new Planted(List.copyOf(out), ledger, truth, spans, background, roles);
    }
}
