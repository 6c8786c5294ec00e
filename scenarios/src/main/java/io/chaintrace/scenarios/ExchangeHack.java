package io.chaintrace.scenarios;

import io.chaintrace.core.account.AccountTrace;
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
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TransferKind;
import io.chaintrace.core.model.TxOutput;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * The demo's case: an exchange's Ethereum hot wallet drained, the loot laundered the usual way,
 * across a bridge to Bitcoin and on to exchanges. Every amount an endpoint must receive under
 * each policy is known by construction (below, ETH unless said).
 * <pre>
 *  theft   VictimEx hot wallet -> attacker A: 10,000 ETH (T1) and 30,000,000 USDT (T2)
 *  split   A -> D1..D5: 2,000 each                                   (A held nothing before: all policies alike)
 *  swap    A -> Uniswap router: 30,000,000 USDT; the router pays 12,000 ETH to fresh A2 in the same transaction
 *  bridge  A2 -> THORChain router: 12,000                             (the Bitcoin leg starts at the bridge's payout)
 *  mixer   D1 -> Tornado Cash 100 ETH pool: 20 deposits; withdrawn days later to fresh addresses at the
 *          deposits' own odd gas prices (a unique-gas-price link each), which cash out at OKX
 *  cashout D2 -> Binance deposit: 2,000;  D4 -> another Binance deposit: 3 x 500, D4 keeps 500
 *  merge   D3 got 500 clean from Kraken's hot wallet before the split; then D3 -> Kraken deposit 1,000, -> F 1,500
 *            Kraken: poison 1,000 | haircut 800 (4/5 of D3 tainted) | FIFO 500 (clean 500 first) | LIFO 1,000 | TIHO 1,000
 *  rest    D5 keeps its 2,000
 * </pre>
 * Seeds: A in T1 and T2, and A2 in the swap (the investigator follows the swap's proceeds).
 * Bitcoin: {@link ScenarioGenerator}'s theft with the bridge's vault as the victim: the vault pays
 * the thief 600 BTC, which is split, peeled, merged, mixed and deposited at Binance and Kraken
 * (its class comment has the figures), and a CoinJoin ({@link #withCoinJoin}). Around both legs: customers paying the hot wallet, other
 * people using the same pool, the same exchanges and each other.
 */
public final class ExchangeHack {
    static final BigInteger ETHER = BigInteger.TEN.pow(18);
    static final BigInteger USDT_UNIT = BigInteger.TEN.pow(6);
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    /** Ethereum's block interval, seconds. */
    static final long BLOCK_TIME = 12;
    private static final String[] POLICIES = {"poison", "haircut", "fifo", "lifo", "tiho"};

    /** A value moved inside a transaction by a contract (an internal transfer, a trace). */
    public record Internal(Address from, Address to, BigInteger value) {
    }

    /** A token transfer (an ERC-20 Transfer log). */
    public record TokenMove(Address token, Address from, Address to, BigInteger value) {
    }

    /** One Ethereum transaction: sender, recipient, native value, gas price, and what moved inside it. */
    public record EthTx(Hash256 hash, long time, Address from, Address to, BigInteger value, BigInteger gasPrice,
                        List<Internal> internal, List<TokenMove> tokens) {
    }

    /** An Ethereum block of the case. */
    public record EthBlock(long number, Hash256 hash, Hash256 parent, long time, List<EthTx> transactions) {
    }

    /**
     * The case: Ethereum blocks, the Bitcoin chain, labels of both, the seeds of each leg, and per
     * asset ({@code ETH}, {@code USDT}, {@code BTC}) per policy the amount each endpoint entity must
     * receive when traces stop at services.
     */
    public record Case(List<EthBlock> ethereum, Scenario bitcoin, List<Label> labels, List<AccountTrace.Seed> ethSeeds,
                       List<Outpoint> btcSeeds, Address usdt, Map<String, Map<String, Map<String, BigInteger>>> expected,
                       int hopsNeeded) {
        /** The Ethereum leg as transfers in memory. */
        public MemoryAccountLedger ethLedger() {
            MemoryAccountLedger l = new MemoryAccountLedger();
            Asset usdtAsset = new Asset(Chain.ETHEREUM, Optional.of(usdt), "USDT", OptionalInt.of(6));
            for (EthBlock b : ethereum) {
                BlockRef ref = new BlockRef(Math.toIntExact(b.number()), b.hash(), b.time());
                for (int i = 0; i < b.transactions().size(); i++) {
                    EthTx t = b.transactions().get(i);
                    if (t.value().signum() > 0) {
                        l.add(new AccountTransfer(t.hash(), ref, i, TransferKind.NATIVE, 0, t.from(), t.to(), new Amount(Asset.ETH, t.value())));
                    }
                    for (int k = 0; k < t.internal().size(); k++) {
                        Internal m = t.internal().get(k);
                        l.add(new AccountTransfer(t.hash(), ref, i, TransferKind.INTERNAL, k + 2, m.from(), m.to(), new Amount(Asset.ETH, m.value())));
                    }
                    for (int k = 0; k < t.tokens().size(); k++) {
                        TokenMove m = t.tokens().get(k);
                        l.add(new AccountTransfer(t.hash(), ref, i, TransferKind.TOKEN, k, m.from(), m.to(), new Amount(usdtAsset, m.value())));
                    }
                    l.gasPrice(t.hash(), t.gasPrice());
                }
            }
            labels.stream().filter(x -> x.address().chain() == Chain.ETHEREUM).forEach(l::label);
            return l;
        }
    }

    private final SplittableRandom rnd;
    private final ScenarioIds ids;
    private final List<EthTx> txs = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private final Map<String, Map<String, Map<String, BigInteger>>> expected = new LinkedHashMap<>();
    private final long t0;

    private ExchangeHack(long seed, long t0) {
        this.rnd = new SplittableRandom(seed);
        this.ids = new ScenarioIds(rnd);
        this.t0 = t0;
    }

    /** The case, with {@code background} unrelated transactions on each chain. */
    public static Case generate(long seed, int background) {
        Scenario btc = ScenarioGenerator.generate(seed, 1, background);
        // The Ethereum leg ends well before the Bitcoin leg's first block.
        long btcStart = btc.blocks().getFirst().time();
        ExchangeHack g = new ExchangeHack(seed, btcStart - 20 * 86_400L);
        return g.build(g.withCoinJoin(btc), background);
    }

    /**
     * Adds a CoinJoin to the Bitcoin leg: the thief's unspent split output S4 (100 BTC, input 0, the
     * newest input) joins nine older coins of other people (96..104 BTC; 1,000 BTC in all); each
     * participant gets 40 BTC mixed (outputs 0-9) and its change (outputs 10-19: S4's 60, the others'
     * 56..64), no fee. The thief's mixed output 0 goes to Kraken. FIFO (input order) and LIFO (newest
     * first) put S4's first 40 on output 0; TIHO puts taint on the highest outputs first (the
     * changes of 64 and 63), none on output 0; haircut 10% everywhere, 4; poison all 40. Kraken:
     * poison 40, haircut 4, FIFO 40, LIFO 40, TIHO 0 more.
     */
    private Scenario withCoinJoin(Scenario btc) {
        long u = ScenarioGenerator.U;
        List<Scenario.Block> blocks = new ArrayList<>(btc.blocks());
        Scenario.Block first = blocks.getFirst();
        List<Scenario.Tx> firstTxs = new ArrayList<>(first.transactions());
        List<Outpoint> others = new ArrayList<>();
        List<Long> values = new ArrayList<>(List.of(100L));
        for (int i = 0; i < 9; i++) {
            Hash256 txid = ids.hash();
            long v = 96 + i;
            firstTxs.add(new Scenario.Tx(txid, List.of(Outpoint.COINBASE), List.of(new TxOutput(0, v * u, ScriptKind.P2WPKH,
                    Optional.of(ids.p2wpkh())))));
            others.add(new Outpoint(txid, 0));
            values.add(v);
        }
        blocks.set(0, new Scenario.Block(first.height(), first.hash(), first.parent(), first.time(), List.copyOf(firstTxs)));
        Scenario.Tx split = btc.blocks().stream().flatMap(b -> b.transactions().stream())
                .filter(t -> t.spends().contains(btc.thefts().getFirst())).findFirst().orElseThrow();
        List<Outpoint> inputs = new ArrayList<>(List.of(new Outpoint(split.txid(), 3)));
        inputs.addAll(others);
        List<TxOutput> outs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            outs.add(new TxOutput(i, 40 * u, ScriptKind.P2WPKH, Optional.of(ids.p2wpkh())));
        }
        for (int i = 0; i < 10; i++) {
            outs.add(new TxOutput(10 + i, (values.get(i) - 40) * u, ScriptKind.P2WPKH, Optional.of(ids.p2wpkh())));
        }
        Hash256 coinjoin = ids.hash();
        Address kraken = btc.labels().stream().filter(l -> l.entity().equals("Kraken")).map(Label::address).findFirst().orElseThrow();
        Scenario.Block last = blocks.getLast();
        Scenario.Block cj = new Scenario.Block(last.height() + 1, ids.hash(), last.hash(), last.time() + 600,
                List.of(new Scenario.Tx(coinjoin, inputs, outs)));
        Scenario.Block out = new Scenario.Block(last.height() + 2, ids.hash(), cj.hash(), last.time() + 1_200,
                List.of(new Scenario.Tx(ids.hash(), List.of(new Outpoint(coinjoin, 0)), List.of(new TxOutput(0, 40 * u,
                        ScriptKind.P2WPKH, Optional.of(kraken))))));
        blocks.add(cj);
        blocks.add(out);
        Map<String, Map<String, Long>> expected = new LinkedHashMap<>();
        btc.expectedEndpoints().forEach((p, m) -> expected.put(p, new LinkedHashMap<>(m)));
        Map<String, Long> more = Map.of("poison", 40 * u, "haircut", 4 * u, "fifo", 40 * u, "lifo", 40 * u, "tiho", 0L);
        more.forEach((p, v) -> expected.get(p).merge("Kraken", v, Long::sum));
        return new Scenario(List.copyOf(blocks), btc.labels(), btc.thefts(), expected, btc.expectedFees(), btc.hopsNeeded());
    }

    private Case build(Scenario btc, int background) {
        Address hot = labelled("VictimEx hot wallet", LabelCategory.EXCHANGE);
        Address usdt = labelled("Tether USD (USDT)", LabelCategory.OTHER);
        Address uniswap = labelled("Uniswap V2 Router", LabelCategory.DEX);
        Address thorchain = labelled("THORChain Router", LabelCategory.BRIDGE);
        Address pool = labelled("Tornado Cash 100 ETH", LabelCategory.MIXER);
        Address krakenHot = labelled("Kraken", LabelCategory.EXCHANGE);
        Address binanceHot = labelled("Binance", LabelCategory.EXCHANGE);
        Address binanceA = deposit("Binance");
        Address binanceB = deposit("Binance");
        Address krakenDeposit = deposit("Kraken");
        Address okx = deposit("OKX");
        Address relayer = ids.account();
        long day = 86_400;
        long theft = t0 + 5 * day;

        // Before: customers pay the hot wallet, people use the pool and the exchanges.
        List<Address> people = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            people.add(ids.account());
        }
        for (int i = 0; i < background; i++) {
            long at = t0 + rnd.nextLong(30 * day);
            Address a = people.get(rnd.nextInt(people.size()));
            switch (i % 5) {
                case 0 -> native_(a, hot, ether(1 + rnd.nextInt(300)), at);
                case 1 -> native_(hot, a, ether(1 + rnd.nextInt(50)), at);
                case 2 -> native_(a, List.of(binanceA, binanceB, krakenDeposit, okx).get(rnd.nextInt(4)), ether(1 + rnd.nextInt(20)), at);
                case 3 -> {
                    // Someone else's round trip through the same pool: the anonymity set the thief hides in.
                    native_(binanceHot, a, ether(101), at - 3_600);
                    native_(a, pool, ether(100), at);
                    withdraw(pool, relayer, ids.account(), at + rnd.nextLong(1, 10 * day), commonGas());
                }
                default -> native_(a, people.get(rnd.nextInt(people.size())), ether(1 + rnd.nextInt(10)).divide(BigInteger.TEN), at);
            }
        }
        Address attacker = ids.account();
        Address[] d = new Address[5];
        for (int i = 0; i < d.length; i++) {
            d[i] = ids.account();
        }
        // D3 holds clean money from Kraken before the theft.
        native_(krakenHot, d[2], ether(500), theft - 2 * day);

        // The theft.
        EthTx t1 = native_(hot, attacker, ether(10_000), theft);
        EthTx t2 = token(hot, usdt, attacker, USDT_UNIT.multiply(BigInteger.valueOf(30_000_000)), theft + 24);
        // Split.
        for (int i = 0; i < d.length; i++) {
            native_(attacker, d[i], ether(2_000), theft + 600 + i * 36L);
        }
        // Swap the stablecoin (freezable) for ETH; the proceeds go to a fresh address.
        Address a2 = ids.account();
        EthTx swap = add(new EthTx(ids.hash(), theft + 1_200, attacker, uniswap, BigInteger.ZERO, commonGas(),
                List.of(new Internal(uniswap, a2, ether(12_000))), List.of(new TokenMove(usdt, attacker, uniswap,
                USDT_UNIT.multiply(BigInteger.valueOf(30_000_000))))));
        // Bridge hop: to Bitcoin.
        native_(a2, thorchain, ether(12_000), theft + 3_000);
        // Mixer: twenty deposits, each withdrawn days later at its own odd gas price, then cashed out.
        for (int i = 0; i < 20; i++) {
            BigInteger price = GWEI.multiply(BigInteger.valueOf(20 + rnd.nextInt(40))).add(BigInteger.valueOf(1 + rnd.nextInt(999_999_999)));
            long at = theft + 7_200 + i * 300L;
            add(new EthTx(ids.hash(), at, d[0], pool, ether(100), price, List.of(), List.of()));
            Address w = ids.account();
            long out = at + 3 * day + rnd.nextLong(day);
            add(new EthTx(ids.hash(), out, w, pool, BigInteger.ZERO, price, List.of(new Internal(pool, w, ether(100))), List.of()));
            native_(w, okx, ether(99), out + 3_600);
        }
        // Cash-outs.
        native_(d[1], binanceA, ether(2_000), theft + 2 * day);
        for (int i = 0; i < 3; i++) {
            native_(d[3], binanceB, ether(500), theft + (3 + i) * day);
        }
        // The merge with clean money, then a deposit at Kraken.
        native_(d[2], krakenDeposit, ether(1_000), theft + day);
        native_(d[2], ids.account(), ether(1_500), theft + day + 600);

        for (String p : POLICIES) {
            put("ETH", p, "Tornado Cash 100 ETH", ether(2_000));
            put("ETH", p, "THORChain Router", ether(12_000));
            put("ETH", p, "Binance", ether(3_500));
            put("USDT", p, "Uniswap V2 Router", USDT_UNIT.multiply(BigInteger.valueOf(30_000_000)));
        }
        put("ETH", "poison", "Kraken", ether(1_000));
        put("ETH", "haircut", "Kraken", ether(800));
        put("ETH", "fifo", "Kraken", ether(500));
        put("ETH", "lifo", "Kraken", ether(1_000));
        put("ETH", "tiho", "Kraken", ether(1_000));
        btc.expectedEndpoints().forEach((policy, byEntity) -> byEntity.forEach((entity, sat) -> put("BTC", policy, entity, BigInteger.valueOf(sat))));

        // The Bitcoin leg: the thief's 600 BTC came from the bridge's vault.
        Scenario.Tx theftTx = btc.blocks().stream().flatMap(b -> b.transactions().stream())
                .filter(t -> t.txid().equals(btc.thefts().getFirst().txid())).findFirst().orElseThrow();
        Outpoint vaultCoin = theftTx.spends().getFirst();
        Address vault = btc.blocks().stream().flatMap(b -> b.transactions().stream()).filter(t -> t.txid().equals(vaultCoin.txid()))
                .map(t -> t.outputs().get(vaultCoin.vout())).map(TxOutput::owner).flatMap(Optional::stream).findFirst().orElseThrow();
        labels.add(new Label(vault, "THORChain Vault", LabelCategory.BRIDGE, "demo", 1.0));
        labels.addAll(btc.labels());

        return new Case(blocks(), btc, List.copyOf(labels),
                List.of(new AccountTrace.Seed(attacker, Optional.of(t1.hash())), new AccountTrace.Seed(attacker, Optional.of(t2.hash())),
                        new AccountTrace.Seed(a2, Optional.of(swap.hash()))),
                btc.thefts(), usdt, expected, Math.max(btc.hopsNeeded(), 3));
    }

    /** Transactions into blocks of {@value #BLOCK_TIME} seconds, numbered from 19,000,000 at {@code t0}. */
    private List<EthBlock> blocks() {
        txs.sort(Comparator.comparingLong(EthTx::time));
        List<EthBlock> blocks = new ArrayList<>();
        Hash256 parent = ids.hash();
        List<EthTx> pending = new ArrayList<>();
        long current = -1;
        for (EthTx t : txs) {
            long n = 19_000_000L + (t.time() - t0 + 30 * 86_400L) / BLOCK_TIME;
            if (n != current && !pending.isEmpty()) {
                parent = close(blocks, current, parent, pending);
            }
            current = n;
            pending.add(t);
        }
        if (!pending.isEmpty()) {
            close(blocks, current, parent, pending);
        }
        return List.copyOf(blocks);
    }

    private Hash256 close(List<EthBlock> blocks, long number, Hash256 parent, List<EthTx> pending) {
        long time = (number - 19_000_000L) * BLOCK_TIME + t0 - 30 * 86_400L;
        // Each transaction at its block's time: chain order is then time order.
        List<EthTx> in = pending.stream().map(t -> new EthTx(t.hash(), time, t.from(), t.to(), t.value(), t.gasPrice(), t.internal(),
                t.tokens())).toList();
        EthBlock b = new EthBlock(number, ids.hash(), parent, time, in);
        blocks.add(b);
        pending.clear();
        return b.hash();
    }

    private void put(String asset, String policy, String entity, BigInteger amount) {
        expected.computeIfAbsent(asset, k -> new LinkedHashMap<>()).computeIfAbsent(policy, k -> new LinkedHashMap<>()).merge(entity, amount,
                BigInteger::add);
    }

    private Address labelled(String name, LabelCategory category) {
        Address a = ids.account();
        labels.add(new Label(a, name, category, "demo", 1.0));
        return a;
    }

    private Address deposit(String exchange) {
        Address a = ids.account();
        labels.add(new Label(a, exchange, LabelCategory.DEPOSIT, "demo", 1.0));
        return a;
    }

    private EthTx native_(Address from, Address to, BigInteger value, long time) {
        return add(new EthTx(ids.hash(), time, from, to, value, commonGas(), List.of(), List.of()));
    }

    private EthTx token(Address from, Address token, Address to, BigInteger value, long time) {
        return add(new EthTx(ids.hash(), time, from, token, BigInteger.ZERO, commonGas(), List.of(), List.of(new TokenMove(token, from, to, value))));
    }

    /** A relayed withdrawal: the relayer calls the pool, which pays the recipient less a fee and the relayer the fee. */
    private void withdraw(Address pool, Address relayer, Address to, long time, BigInteger gas) {
        BigInteger fee = ether(100).divide(BigInteger.valueOf(200));
        add(new EthTx(ids.hash(), time, relayer, pool, BigInteger.ZERO, gas, List.of(new Internal(pool, to, ether(100).subtract(fee)),
                new Internal(pool, relayer, fee)), List.of()));
    }

    private EthTx add(EthTx t) {
        txs.add(t);
        return t;
    }

    /** What most wallets suggest: a round number of gwei many share. */
    private BigInteger commonGas() {
        return GWEI.multiply(BigInteger.valueOf(10L * (2 + rnd.nextInt(4))));
    }

    private static BigInteger ether(long n) {
        return ETHER.multiply(BigInteger.valueOf(n));
    }
}
