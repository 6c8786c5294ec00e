package io.chaintrace.scenarios;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A UTXO chain over two years with laundering patterns planted in background traffic, and the
 * ground truth: per pattern, the transactions of each planted instance. Beside them, near-misses
 * a good detector must not flag: exchange batch payouts (many outputs, varied amounts), payrolls
 * (equal outputs from one wallet), consolidations of one owner, peel-like runs too short or
 * whose remainder grows, splits to too few addresses or spread over too long, pass-through with
 * long delays, coins spent after a shorter rest, and value that leaves and never returns.
 *
 * <p>Every planted instance is a list of steps at times relative to its start; all steps of all
 * instances run in time order, so instances overlap in time as real traffic does.
 */
public final class PatternPlanter extends PlantedChain {
    /** The chain and, per pattern name, the planted instances (each its transactions). */
    public record Planted(Scenario scenario, Map<String, List<Set<Hash256>>> truth) {
    }

    private PatternPlanter(long seed) {
        super(seed);
    }

    /** Plants {@code each} instances of every pattern and of every near-miss among {@code background} ordinary payments. */
    public static Planted plant(long seed, int each, int background) {
        PatternPlanter p = new PatternPlanter(seed);
        List<Consumer<Long>> kinds = List.of(p::whirlpool, p::wasabi1, p::wasabi2, p::joinMarket, p::genericCoinJoin, p::peelChain,
                p::fanOut, p::fanIn, p::scatterGather, p::gatherScatter, p::passThrough, p::cycle, p::dormancy,
                p::batchPayout, p::payroll, p::consolidation, p::shortOrGrowingPeel, p::slowOrSmallSplit, p::slowPassThrough,
                p::noReturn, p::shortRest);
        for (int i = 0; i < each; i++) {
            for (Consumer<Long> k : kinds) {
                k.accept(p.rnd.nextLong(HORIZON - 400 * DAY) + 380 * DAY);
            }
        }
        for (int i = 0; i < background; i++) {
            p.at(p.rnd.nextLong(HORIZON), p::payment);
        }
        p.runSteps();
        return new Planted(new Scenario(p.chain.blocks(), List.of(), List.of(), Map.of(), Map.of(), 0), p.truth);
    }

    // ------------------------------------------------------------------ planted patterns

    private void whirlpool(long t) {
        at(t, () -> {
            long denom = List.of(100_000L, 1_000_000L, 5_000_000L, 50_000_000L).get(rnd.nextInt(4));
            int n = 5 + rnd.nextInt(4);
            List<Outpoint> in = new ArrayList<>();
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                in.add(coin(denom + 200 + rnd.nextInt(5_000)));
                out.add(denom);
            }
            mark("coinjoin.whirlpool", tx(in, out));
        });
    }

    private void wasabi1(long t) {
        at(t, () -> {
            int n = 10 + rnd.nextInt(40);
            long denom = (long) (10_000_000L * (0.97 + 0.06 * rnd.nextDouble()));
            List<Outpoint> in = new ArrayList<>();
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long have = denom + 100_000 + rnd.nextLong(50_000_000L);
                in.add(coin(have));
                out.add(denom);
                out.add(have - denom - 5_000);
            }
            mark("coinjoin.wasabi1", tx(in, out));
        });
    }

    private void wasabi2(long t) {
        at(t, () -> {
            long[] standard = {5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000, 2_000_000, 5_000_000};
            int n = 20 + rnd.nextInt(40);
            List<Outpoint> in = new ArrayList<>();
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long a = standard[rnd.nextInt(standard.length)];
                long b = standard[rnd.nextInt(standard.length)];
                in.add(coin(a + b + 1_000));
                out.add(a);
                out.add(b);
            }
            mark("coinjoin.wasabi2", tx(in, out));
        });
    }

    private void joinMarket(long t) {
        at(t, () -> {
            int n = 3 + rnd.nextInt(6);
            long v = 1_000_000L + rnd.nextLong(100_000_000L) | 1; // never round
            List<Outpoint> in = new ArrayList<>();
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long have = v + (i == 0 ? 3_000 : 50_000 + rnd.nextLong(10_000_000L));
                in.add(coin(have));
                out.add(v);
                if (i > 0) {
                    out.add(have - v - 700); // makers' change; the taker (i = 0) has none
                }
            }
            mark("coinjoin.joinmarket", tx(in, out));
        });
    }

    private void genericCoinJoin(long t) {
        at(t, () -> {
            long v = 500_000L + rnd.nextLong(20_000_000L);
            long a = v + 10_000 + rnd.nextLong(5_000_000L);
            mark("coinjoin.generic", tx(List.of(coin(a), coin(v + 2_000)), List.of(v, v, a - v - 1_000)));
        });
    }

    private void peelChain(long t) {
        int n = 3 + rnd.nextInt(10);
        Set<Hash256> txs = new HashSet<>();
        Outpoint[] c = new Outpoint[1];
        at(t, () -> c[0] = coin((5 + rnd.nextInt(50)) * BTC));
        for (int i = 0; i < n; i++) {
            at(t + 600L * (i + 1), () -> {
                long have = values.get(c[0]);
                long peel = have / (10 + rnd.nextInt(90));
                Hash256 tx = tx(List.of(c[0]), List.of(peel, have - peel - 1_000));
                txs.add(tx);
                c[0] = new Outpoint(tx, 1);
            });
        }
        truth("peel_chain", txs);
    }

    /** One address pays 5-12 others, one transaction each, within hours. */
    private void fanOut(long t) {
        Address payer = fresh();
        int n = 5 + rnd.nextInt(8);
        Set<Hash256> txs = new HashSet<>();
        Outpoint[] c = new Outpoint[1];
        at(t, () -> c[0] = coinTo(payer, (n + 5) * BTC));
        for (int i = 0; i < n; i++) {
            at(t + 600L * (i + 1), () -> {
                long have = values.get(c[0]);
                Hash256 tx = txTo(List.of(c[0]), List.of(BTC / 2 + rnd.nextLong(BTC / 2), 0L), List.of(fresh(), payer), have);
                txs.add(tx);
                c[0] = new Outpoint(tx, 1);
            });
        }
        truth("fan_out", txs);
    }

    /** 5-12 unrelated payers pay one address within hours. */
    private void fanIn(long t) {
        Address payee = fresh();
        int n = 5 + rnd.nextInt(8);
        Set<Hash256> txs = new HashSet<>();
        for (int i = 0; i < n; i++) {
            at(t + 600L * i, () -> txs.add(txTo(List.of(coin(BTC + rnd.nextLong(BTC))), List.of(0L), List.of(payee), 0)));
        }
        truth("fan_in", txs);
    }

    /** A source fans out to 5-8 fresh intermediaries, which all pay one beneficiary within the day. */
    private void scatterGather(long t) {
        Address source = fresh();
        Address beneficiary = fresh();
        int n = 5 + rnd.nextInt(4);
        Set<Hash256> txs = new HashSet<>();
        Outpoint[] fan = new Outpoint[n];
        at(t, () -> {
            Outpoint c = coinTo(source, n * BTC + 10_000);
            List<Long> out = new ArrayList<>();
            List<Address> to = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(BTC);
                to.add(fresh());
            }
            Hash256 tx = txTo(List.of(c), out, to, 0);
            txs.add(tx);
            for (int i = 0; i < n; i++) {
                fan[i] = new Outpoint(tx, i);
            }
        });
        for (int i = 0; i < n; i++) {
            int k = i;
            at(t + 3_600L * (i + 1), () -> txs.add(txTo(List.of(fan[k]), List.of(0L), List.of(beneficiary), 0)));
        }
        truth("scatter_gather", txs);
    }

    /** 5-8 payers pay one hub within hours; the hub then pays 5-8 fresh addresses in one transaction. */
    private void gatherScatter(long t) {
        Address hub = fresh();
        int n = 5 + rnd.nextInt(4);
        Set<Hash256> txs = new HashSet<>();
        List<Outpoint> gathered = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            at(t + 600L * i, () -> {
                Hash256 tx = txTo(List.of(coin(BTC + 20_000)), List.of(BTC + 10_000), List.of(hub), 0);
                txs.add(tx);
                gathered.add(new Outpoint(tx, 0));
            });
        }
        at(t + 600L * n + 7_200, () -> {
            List<Long> out = new ArrayList<>();
            List<Address> to = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(BTC);
                to.add(fresh());
            }
            txs.add(txTo(gathered, out, to, 0));
        });
        truth("gather_scatter", txs);
    }

    /** Value forwarded whole (less the fee) to a fresh address hop after hop within minutes: 3-6 hops. */
    private void passThrough(long t) {
        int n = 3 + rnd.nextInt(4);
        Set<Hash256> txs = new HashSet<>();
        Outpoint[] c = new Outpoint[1];
        at(t, () -> c[0] = coin(10 * BTC + rnd.nextLong(10 * BTC)));
        long when = t;
        for (int i = 0; i < n; i++) {
            when += 60L * (5 + rnd.nextInt(50));
            at(when, () -> {
                Hash256 tx = tx(List.of(c[0]), List.of(values.get(c[0]) - 1_000));
                txs.add(tx);
                c[0] = new Outpoint(tx, 0);
            });
        }
        truth("pass_through", txs);
    }

    /** Value leaves an address through 2-3 fresh hops and comes back to it within days. */
    private void cycle(long t) {
        Address home = fresh();
        int hops = 2 + rnd.nextInt(2);
        Set<Hash256> txs = new HashSet<>();
        Outpoint[] c = new Outpoint[1];
        at(t, () -> c[0] = coinTo(home, 2 * BTC + rnd.nextLong(BTC)));
        for (int i = 0; i <= hops; i++) {
            boolean last = i == hops;
            at(t + DAY / 2 * (i + 1), () -> {
                long have = values.get(c[0]);
                Hash256 tx = txTo(List.of(c[0]), List.of(have - 1_000), List.of(last ? home : fresh()), 0);
                txs.add(tx);
                c[0] = new Outpoint(tx, 0);
            });
        }
        truth("cycle", txs);
    }

    /** A coin left untouched for 1-1.5 years, then spent. */
    private void dormancy(long t) {
        long rest = 366 * DAY + rnd.nextLong(180 * DAY);
        Outpoint[] c = new Outpoint[1];
        Set<Hash256> txs = new HashSet<>();
        at(t - rest, () -> c[0] = coin(BTC + rnd.nextLong(10 * BTC)));
        at(t, () -> {
            long have = values.get(c[0]);
            long a = have / 3;
            txs.add(tx(List.of(c[0]), List.of(a, have - a - 1_000)));
        });
        truth("dormancy", txs);
    }

    // ------------------------------------------------------------------ near-misses

    private void batchPayout(long t) {
        at(t, () -> {
            Address exchange = fresh();
            List<Outpoint> in = List.of(coinTo(exchange, (20 + rnd.nextInt(100)) * BTC), coinTo(exchange, (20 + rnd.nextInt(100)) * BTC));
            long total = values.get(in.get(0)) + values.get(in.get(1));
            int n = 10 + rnd.nextInt(40);
            List<Long> out = new ArrayList<>();
            long left = total - 20_000;
            for (int i = 0; i < n - 1; i++) {
                long v = 10_000 + rnd.nextLong(BTC);
                out.add(v);
                left -= v;
            }
            out.add(left);
            // A batch payout is a fan-out (one payer, many payees): the truth for that pattern, a near-miss for CoinJoins.
            truth("fan_out", Set.of(tx(in, out)));
        });
    }

    private void payroll(long t) {
        at(t, () -> {
            int n = 5 + rnd.nextInt(16);
            long salary = 1_000_000L * (1 + rnd.nextInt(20));
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(salary);
            }
            out.add(BTC - 5_000);
            truth("fan_out", Set.of(tx(List.of(coin(n * salary + BTC)), out)));
        });
    }

    private void consolidation(long t) {
        at(t, () -> {
            Address owner = fresh();
            int n = 5 + rnd.nextInt(16);
            List<Outpoint> in = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < n; i++) {
                Outpoint c = coinTo(owner, 10_000 + rnd.nextLong(BTC));
                in.add(c);
                total += values.get(c);
            }
            tx(in, List.of(total - 10_000));
        });
    }

    /** Two peel-like steps only, or three whose remainder grows at the second step (topped up); hours apart. */
    private void shortOrGrowingPeel(long t) {
        boolean grow = rnd.nextBoolean();
        Outpoint[] c = new Outpoint[1];
        at(t, () -> c[0] = coin((5 + rnd.nextInt(50)) * BTC));
        for (int i = 0; i < (grow ? 3 : 2); i++) {
            boolean topUp = grow && i == 1;
            at(t + 7_200L * (i + 1), () -> {
                List<Outpoint> in = new ArrayList<>(List.of(c[0]));
                if (topUp) {
                    in.add(coin(100 * BTC));
                }
                long have = in.stream().mapToLong(values::get).sum();
                long peel = have / (10 + rnd.nextInt(90));
                c[0] = new Outpoint(tx(in, List.of(peel, have - peel - 1_000)), 1);
            });
        }
    }

    /** One address pays 3-4 others within hours, or 6 others one every 2 days. */
    private void slowOrSmallSplit(long t) {
        Address payer = fresh();
        boolean slow = rnd.nextBoolean();
        int n = slow ? 6 : 3 + rnd.nextInt(2);
        Outpoint[] c = new Outpoint[1];
        at(t, () -> c[0] = coinTo(payer, (n + 5) * BTC));
        for (int i = 0; i < n; i++) {
            at(t + (slow ? 2 * DAY : 600L) * (i + 1), () -> {
                long have = values.get(c[0]);
                c[0] = new Outpoint(txTo(List.of(c[0]), List.of(BTC / 2 + rnd.nextLong(BTC / 2), 0L), List.of(fresh(), payer), have), 1);
            });
        }
    }

    /** Forwarded like pass-through, but each hop waits days. */
    private void slowPassThrough(long t) {
        Outpoint[] c = new Outpoint[1];
        at(t, () -> c[0] = coin(10 * BTC + rnd.nextLong(10 * BTC)));
        for (int i = 0; i < 4; i++) {
            at(t + 3 * DAY * (i + 1), () -> c[0] = new Outpoint(tx(List.of(c[0]), List.of(values.get(c[0]) - 1_000)), 0));
        }
    }

    /** Value leaves an address through fresh hops and never comes back. */
    private void noReturn(long t) {
        Address home = fresh();
        Outpoint[] c = new Outpoint[1];
        at(t, () -> c[0] = coinTo(home, 2 * BTC));
        for (int i = 0; i < 3; i++) {
            at(t + DAY / 2 * (i + 1), () -> {
                long have = values.get(c[0]);
                c[0] = new Outpoint(txTo(List.of(c[0]), List.of(have - 1_000), List.of(fresh()), 0), 0);
            });
        }
    }

    /** A coin spent after resting 100-300 days. */
    private void shortRest(long t) {
        Outpoint[] c = new Outpoint[1];
        at(t - (100 + rnd.nextInt(200)) * DAY, () -> c[0] = coin(BTC + rnd.nextLong(BTC)));
        at(t, () -> {
            long have = values.get(c[0]);
            tx(List.of(c[0]), List.of(have / 2, have - have / 2 - 1_000));
        });
    }

    /** Background: a received coin paid on to a payee and change (1-2 inputs), or new coins; amounts varied. */
    private void payment() {
        if (spendable.size() < 4 || rnd.nextInt(3) == 0) {
            spendable.add(coin(BTC / 10 + rnd.nextLong(20 * BTC)));
            return;
        }
        List<Outpoint> in = new ArrayList<>();
        int k = rnd.nextInt(3) == 0 ? 1 : 2;
        for (int i = 0; i < k; i++) {
            // Recent coins are spent most, as on mainnet: long rests are what dormancy flags.
            in.add(spendable.remove(spendable.size() - 1 - rnd.nextInt(Math.min(20, spendable.size()))));
        }
        long have = in.stream().mapToLong(values::get).sum();
        long pay = have / 4 + rnd.nextLong(have / 2);
        Hash256 tx = tx(in, List.of(pay, have - pay - 1_000));
        spendable.add(new Outpoint(tx, 0));
        spendable.add(new Outpoint(tx, 1));
    }
}
