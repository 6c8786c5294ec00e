package io.chaintrace.scenarios;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.SegwitAddress;

/**
 * Builds exchange-hack chains whose answers are known by construction. Each theft instance, in
 * units of {@value #U} satoshi (1 BTC):
 * <pre>
 *  before  thief's own 5: 2 to Binance deposit A (clean), 3 change; clean deposits by others
 *  theft   victim 1000 -> thief 600 (the seed), victim 400
 *  split   thief 600 -> S1..S4 100 each, S5 200                 (one tainted input: all policies 100%)
 *  peel    S5 200 -> Kraken 20 + 180 -> Kraken 20 + 160 -> Binance B 20 + 140 (unspent)
 *  merge   [clean C 100, S1 100] -> Binance A 150, X 50 (unspent)
 *            poison 150 | haircut 75 | FIFO 50 (clean C fills first) | LIFO 100 (S1 is newer) | TIHO 100 (highest first)
 *  mix     [C3 100, S2 100, C4 100, C5 100] -> W1..W4 100 each; W1, W2 -> Kraken; W4 -> Binance B; W3 unspent
 *            poison: all four | haircut 25 each | FIFO: W2 | LIFO: W1 (S2 newest; then later inputs first) | TIHO: W1 (tie: earliest)
 *  fee     S3 100 -> Binance B 60, change 39, fee 1             (all policies: 60 to Binance, 1 to the miner)
 *  after   a clean payment to the thief, which it merges with its own 3; the victim spends its change
 * </pre>
 * Per instance, Binance receives poison 330, haircut 180, FIFO 130, LIFO 180, TIHO 180 and Kraken
 * poison 240, haircut 90, FIFO 140, LIFO 140, TIHO 140 (all x {@value #U}); the fee takes 1 under
 * every policy. S4 stays unspent. Background transactions among clean holders, including clean
 * deposits to the same exchange addresses, fill the blocks before and after.
 */
public final class ScenarioGenerator {
    /** One unit: 1 BTC in satoshi. */
    public static final long U = 100_000_000L;
    private static final String[] POLICIES = {"poison", "haircut", "fifo", "lifo", "tiho"};

    private final Random rnd;
    private final long seed;
    private int counter;
    private final List<Scenario.Block> blocks = new ArrayList<>();
    private final List<Scenario.Tx> pending = new ArrayList<>();
    private final Map<Outpoint, Long> values = new HashMap<>();
    private final List<Outpoint> cleanCoins = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private final List<Outpoint> thefts = new ArrayList<>();
    private final Map<String, Map<String, Long>> expected = new LinkedHashMap<>();
    private final Map<String, Long> fees = new LinkedHashMap<>();
    private final List<Address> binance = new ArrayList<>();
    private final List<Address> kraken = new ArrayList<>();

    public ScenarioGenerator(long seed) {
        this.seed = seed;
        this.rnd = new Random(seed);
        for (String p : POLICIES) {
            expected.put(p, new LinkedHashMap<>());
            fees.put(p, 0L);
        }
    }

    /** {@code thefts} instances, each amid {@code background} unrelated transactions before and as many after. */
    public static Scenario generate(long seed, int thefts, int background) {
        ScenarioGenerator g = new ScenarioGenerator(seed);
        return g.build(thefts, background);
    }

    private Scenario build(int instances, int background) {
        // Clean money to start with: coinbases to many holders.
        for (int i = 0; i < 8 + instances * 6; i++) {
            cleanCoins.add(coinbase(fresh(), 100 * U));
        }
        seal();
        for (int i = 0; i < instances; i++) {
            instance(background);
        }
        return new Scenario(List.copyOf(blocks), List.copyOf(labels), List.copyOf(thefts), expected, fees, 6);
    }

    private void instance(int background) {
        Address depositA = service("Binance");
        Address depositB = service("Binance");
        Address krakenDeposit = kraken.isEmpty() || rnd.nextBoolean() ? service("Kraken") : kraken.get(rnd.nextInt(kraken.size()));
        Address thief = fresh();
        Address victim = fresh();
        Outpoint victimCoin = coinbase(victim, 1000 * U);
        Outpoint own = coinbase(thief, 5 * U);
        // The clean coins the merge and the mixing pool will use: 100 each, older than the loot.
        Outpoint clean = coinbase(fresh(), 100 * U);
        Outpoint c3 = coinbase(fresh(), 100 * U);
        Outpoint c4 = coinbase(fresh(), 100 * U);
        Outpoint c5 = coinbase(fresh(), 100 * U);
        seal();
        traffic(background / 2, List.of(depositA, depositB, krakenDeposit));
        // Before the theft: the thief's own, clean money.
        Outpoint[] ownOut = pay(List.of(own), List.of(out(depositA, 2), out(thief, 3)));
        seal();
        // The theft.
        Outpoint[] theft = pay(List.of(victimCoin), List.of(out(thief, 600), out(victim, 400)));
        thefts.add(theft[0]);
        seal();
        // Split.
        Outpoint[] split = pay(List.of(theft[0]), List.of(out(fresh(), 100), out(fresh(), 100), out(fresh(), 100), out(fresh(), 100),
                out(fresh(), 200)));
        seal();
        // Peel chain from S5: every hop has one, fully tainted input.
        Outpoint[] p1 = pay(List.of(split[4]), List.of(out(krakenDeposit, 20), out(fresh(), 180)));
        seal();
        Outpoint[] p2 = pay(List.of(p1[1]), List.of(out(krakenDeposit, 20), out(fresh(), 160)));
        seal();
        pay(List.of(p2[1]), List.of(out(depositB, 20), out(fresh(), 140)));
        all("Kraken", 40);
        all("Binance", 20);
        // Merge with clean funds: the clean coin comes first in input order but is older.
        pay(List.of(clean, split[0]), List.of(out(depositA, 150), out(fresh(), 50)));
        add("Binance", 150, 75, 50, 100, 100);
        // The mixing pool: four equal inputs, four equal outputs.
        Outpoint[] mix = pay(List.of(c3, split[1], c4, c5), List.of(out(fresh(), 100), out(fresh(), 100), out(fresh(), 100), out(fresh(), 100)));
        seal();
        pay(List.of(mix[0]), List.of(out(krakenDeposit, 100)));
        pay(List.of(mix[1]), List.of(out(krakenDeposit, 100)));
        pay(List.of(mix[3]), List.of(out(depositB, 100)));
        add("Kraken", 200, 50, 100, 100, 100);
        add("Binance", 100, 25, 0, 0, 0);
        // A fee: S3 pays 60 to Binance, 39 change, 1 to the miner.
        payWithFee(List.of(split[2]), List.of(out(depositB, 60), out(fresh(), 39)), 1);
        all("Binance", 60);
        for (String p : POLICIES) {
            fees.merge(p, U, Long::sum);
        }
        seal();
        // After: clean money through the same addresses.
        Outpoint payer = takeClean();
        long have = values.get(payer) / U;
        Outpoint toThief = pay(List.of(payer), List.of(out(thief, 1), out(fresh(), have - 1)))[0];
        seal();
        pay(List.of(ownOut[1], toThief), List.of(out(fresh(), 4)));
        pay(List.of(theft[1]), List.of(out(fresh(), 400)));
        seal();
        traffic(background - background / 2, List.of(depositA, depositB, krakenDeposit));
    }

    /** Unrelated clean transactions, some paying the same exchange deposit addresses. */
    private void traffic(int n, List<Address> deposits) {
        for (int i = 0; i < n; i++) {
            Outpoint coin = takeClean();
            long v = values.get(coin) / U;
            long a = 1 + rnd.nextInt((int) Math.max(1, v - 1));
            Address to = rnd.nextInt(4) == 0 ? deposits.get(rnd.nextInt(deposits.size())) : fresh();
            Outpoint[] o = pay(List.of(coin), List.of(out(to, a), out(fresh(), v - a)));
            if (v - a > 1) {
                cleanCoins.add(o[1]);
            } else {
                cleanCoins.add(coinbase(fresh(), 100 * U));
            }
            if (rnd.nextInt(20) == 0) {
                seal();
            }
        }
        seal();
    }

    private Outpoint takeClean() {
        if (cleanCoins.isEmpty()) {
            Outpoint c = coinbase(fresh(), 100 * U);
            seal();
            return c;
        }
        // Only coins already in a block: a transaction must come after what it spends.
        for (int i = 0; i < cleanCoins.size(); i++) {
            Outpoint c = cleanCoins.get(i);
            if (pending.stream().noneMatch(t -> t.txid().equals(c.txid())) && values.get(c) >= 2 * U) {
                return cleanCoins.remove(i);
            }
        }
        Outpoint c = coinbase(fresh(), 100 * U);
        seal();
        return c;
    }

    private void all(String entity, long units) {
        add(entity, units, units, units, units, units);
    }

    private void add(String entity, long poison, long haircut, long fifo, long lifo, long tiho) {
        long[] v = {poison, haircut, fifo, lifo, tiho};
        for (int i = 0; i < POLICIES.length; i++) {
            expected.get(POLICIES[i]).merge(entity, v[i] * U, Long::sum);
        }
    }

    private Address service(String entity) {
        Address a = fresh();
        labels.add(new Label(a, entity, LabelCategory.DEPOSIT, "scenario", 1.0));
        (entity.equals("Binance") ? binance : kraken).add(a);
        return a;
    }

    private record Out(Address to, long units) {
    }

    private static Out out(Address to, long units) {
        return new Out(to, units);
    }

    private Outpoint coinbase(Address to, long sat) {
        Hash256 txid = nextHash();
        pending.add(new Scenario.Tx(txid, List.of(Outpoint.COINBASE), List.of(new TxOutput(0, sat, ScriptKind.P2WPKH, Optional.of(to)))));
        Outpoint op = new Outpoint(txid, 0);
        values.put(op, sat);
        return op;
    }

    private Outpoint[] pay(List<Outpoint> inputs, List<Out> outs) {
        return payWithFee(inputs, outs, 0);
    }

    private Outpoint[] payWithFee(List<Outpoint> inputs, List<Out> outs, long feeUnits) {
        long in = inputs.stream().mapToLong(values::get).sum();
        long outSum = outs.stream().mapToLong(o -> o.units() * U).sum();
        if (in != outSum + feeUnits * U) {
            throw new IllegalStateException("scenario bug: inputs " + in + " != outputs " + outSum + " + fee " + feeUnits * U);
        }
        Hash256 txid = nextHash();
        List<TxOutput> outputs = new ArrayList<>();
        Outpoint[] ops = new Outpoint[outs.size()];
        for (int i = 0; i < outs.size(); i++) {
            outputs.add(new TxOutput(i, outs.get(i).units() * U, ScriptKind.P2WPKH, Optional.of(outs.get(i).to())));
            ops[i] = new Outpoint(txid, i);
            values.put(ops[i], outs.get(i).units() * U);
        }
        pending.add(new Scenario.Tx(txid, inputs, outputs));
        return ops;
    }

    /** Closes the pending transactions into a block. */
    private void seal() {
        if (pending.isEmpty()) {
            return;
        }
        int height = blocks.size();
        Hash256 parent = blocks.isEmpty() ? Hash256.ZERO : blocks.getLast().hash();
        blocks.add(new Scenario.Block(height, nextHash(), parent, 1_600_000_000L + height * 600L, List.copyOf(pending)));
        pending.clear();
    }

    private Address fresh() {
        byte[] program = new byte[20];
        rnd.nextBytes(program);
        return new Address(Chain.BITCOIN, ScriptKind.P2WPKH, SegwitAddress.fromProgram(BitcoinNetwork.MAINNET, 0, program).toString());
    }

    private Hash256 nextHash() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return new Hash256(md.digest(ByteBuffer.allocate(12).putLong(seed).putInt(counter++).array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
