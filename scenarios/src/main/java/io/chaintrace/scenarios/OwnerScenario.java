package io.chaintrace.scenarios;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.LegacyAddress;
import org.bitcoinj.base.SegwitAddress;

/**
 * Wallets of known owners trading with each other, for clustering: each owner keeps coins on
 * addresses of its own script type, pays others from one to three of its coins (to their reused
 * or fresh addresses, round or odd amounts) with change to a fresh address of its own, and
 * consolidates; CoinJoins mix coins of 5-10 owners. Owner sizes are heavy-tailed: owner 0 is an
 * exchange with far more addresses than anyone. The truth: each address's owner.
 */
public final class OwnerScenario {
    public record Generated(Scenario scenario, Map<String, Integer> ownerOf, int coinjoins) {
    }

    private static final ScriptKind[] KINDS = {ScriptKind.P2WPKH, ScriptKind.P2PKH, ScriptKind.P2SH, ScriptKind.P2WPKH};
    private final SplittableRandom rnd;
    private final int owners;
    private final List<List<Outpoint>> coins = new ArrayList<>();
    private final List<List<Address>> addresses = new ArrayList<>();
    private final Map<String, Integer> ownerOf = new HashMap<>();
    private final Map<Outpoint, Long> values = new HashMap<>();
    private final ScenarioIds ids;
    private final BlockBuilder chain;
    private int coinjoins;

    private OwnerScenario(long seed, int owners) {
        this.rnd = new SplittableRandom(seed);
        this.ids = new ScenarioIds(rnd);
        this.chain = new BlockBuilder(ids);
        this.owners = owners;
        for (int i = 0; i < owners; i++) {
            coins.add(new ArrayList<>());
            addresses.add(new ArrayList<>());
        }
    }

    public static Generated generate(long seed, int owners, int transactions) {
        OwnerScenario g = new OwnerScenario(seed, owners);
        for (int i = 0; i < owners * 3; i++) {
            g.income(g.busy());
        }
        for (int i = 0; i < transactions; i++) {
            int r = g.rnd.nextInt(100);
            if (r < 8) {
                g.income(g.busy());
            } else if (r < 11) {
                g.coinjoin();
            } else if (r < 14) {
                g.consolidate(g.busy());
            } else {
                g.pay(g.busy(), g.busy());
            }
            if (g.chain.pending() >= 50) {
                g.seal();
            }
        }
        g.seal();
        return new Generated(new Scenario(g.chain.blocks(), List.of(), List.of(), Map.of(), Map.of(), 0), Map.copyOf(g.ownerOf), g.coinjoins);
    }

    /** Heavy-tailed: owner 0 (the exchange) most, then fewer and fewer. */
    private int busy() {
        double u = rnd.nextDouble();
        return (int) (owners * u * u * u);
    }

    private void income(int owner) {
        Hash256 t = nextHash();
        Address to = fresh(owner);
        long v = 100_000 + rnd.nextLong(500_000_000L);
        chain.add(new Scenario.Tx(t, List.of(Outpoint.COINBASE), List.of(new TxOutput(0, v, to.kind(), Optional.of(to)))));
        keep(owner, new Outpoint(t, 0), v);
    }

    private void pay(int payer, int payee) {
        List<Outpoint> mine = coins.get(payer);
        if (mine.isEmpty() || payer == payee) {
            income(payer);
            return;
        }
        List<Outpoint> in = new ArrayList<>();
        int k = 1 + rnd.nextInt(Math.min(3, mine.size()));
        for (int i = 0; i < k; i++) {
            in.add(mine.remove(rnd.nextInt(mine.size())));
        }
        long have = in.stream().mapToLong(values::get).sum();
        if (have < 200_000) {
            mine.addAll(in);
            income(payer);
            return;
        }
        long amount = have / 10 + rnd.nextLong(have / 2);
        if (rnd.nextBoolean()) {
            amount = Math.max(100_000, amount / 100_000 * 100_000);
        }
        Address to = !addresses.get(payee).isEmpty() && rnd.nextInt(10) < 6
                ? addresses.get(payee).get(rnd.nextInt(addresses.get(payee).size())) : fresh(payee);
        Address change = fresh(payer);
        long rest = have - amount - 1_000;
        List<TxOutput> outs = new ArrayList<>();
        boolean changeFirst = rnd.nextBoolean();
        Hash256 t = nextHash();
        int pay = changeFirst ? 1 : 0;
        outs.add(changeFirst ? new TxOutput(0, rest, change.kind(), Optional.of(change)) : new TxOutput(0, amount, to.kind(), Optional.of(to)));
        outs.add(changeFirst ? new TxOutput(1, amount, to.kind(), Optional.of(to)) : new TxOutput(1, rest, change.kind(), Optional.of(change)));
        chain.add(new Scenario.Tx(t, in, outs));
        keep(payee, new Outpoint(t, pay), amount);
        keep(payer, new Outpoint(t, 1 - pay), rest);
    }

    private void consolidate(int owner) {
        List<Outpoint> mine = coins.get(owner);
        if (mine.size() < 3) {
            income(owner);
            return;
        }
        List<Outpoint> in = new ArrayList<>(mine);
        mine.clear();
        long have = in.stream().mapToLong(values::get).sum();
        Address to = fresh(owner);
        Hash256 t = nextHash();
        chain.add(new Scenario.Tx(t, in, List.of(new TxOutput(0, have - 2_000, to.kind(), Optional.of(to)))));
        keep(owner, new Outpoint(t, 0), have - 2_000);
    }

    /** 5-10 owners each put in one coin; each gets an equal output and its change, all to fresh addresses. */
    private void coinjoin() {
        int n = 5 + rnd.nextInt(6);
        List<Integer> who = new ArrayList<>();
        List<Outpoint> in = new ArrayList<>();
        long min = Long.MAX_VALUE;
        for (int i = 0; i < n * 4 && who.size() < n; i++) {
            int o = busy();
            if (!who.contains(o) && !coins.get(o).isEmpty()) {
                Outpoint c = coins.get(o).remove(rnd.nextInt(coins.get(o).size()));
                who.add(o);
                in.add(c);
                min = Math.min(min, values.get(c));
            }
        }
        if (who.size() < 5 || min < 100_000) {
            for (int i = 0; i < who.size(); i++) {
                coins.get(who.get(i)).add(in.get(i));
            }
            return;
        }
        long denom = (min - 10_000) / 7 * 7 + 3; // odd: not a round amount
        Hash256 t = nextHash();
        List<TxOutput> outs = new ArrayList<>();
        List<long[]> keepers = new ArrayList<>();
        for (int i = 0; i < who.size(); i++) {
            Address a = fresh(who.get(i));
            outs.add(new TxOutput(outs.size(), denom, a.kind(), Optional.of(a)));
            keepers.add(new long[] {who.get(i), outs.size() - 1, denom});
            long rest = values.get(in.get(i)) - denom - 1_000;
            if (rest > 0) {
                Address c = fresh(who.get(i));
                outs.add(new TxOutput(outs.size(), rest, c.kind(), Optional.of(c)));
                keepers.add(new long[] {who.get(i), outs.size() - 1, rest});
            }
        }
        chain.add(new Scenario.Tx(t, in, outs));
        for (long[] k : keepers) {
            keep((int) k[0], new Outpoint(t, (int) k[1]), k[2]);
        }
        coinjoins++;
    }

    private void keep(int owner, Outpoint op, long v) {
        coins.get(owner).add(op);
        values.put(op, v);
    }

    private Address fresh(int owner) {
        ScriptKind kind = KINDS[owner % KINDS.length];
        byte[] h = ids.bytes(20);
        String text = switch (kind) {
            case P2PKH -> LegacyAddress.fromPubKeyHash(BitcoinNetwork.MAINNET, h).toString();
            case P2SH -> LegacyAddress.fromScriptHash(BitcoinNetwork.MAINNET, h).toString();
            default -> SegwitAddress.fromProgram(BitcoinNetwork.MAINNET, 0, h).toString();
        };
        Address a = new Address(Chain.BITCOIN, kind, text);
        addresses.get(owner).add(a);
        ownerOf.put(text, owner);
        return a;
    }

    private void seal() {
        chain.seal(1_600_000_000L + chain.height() * 600L);
    }

    private Hash256 nextHash() {
        return ids.hash();
    }
}
