package io.chaintrace.benchmarks;

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
import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.Patterns;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.EthBlock;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Detector throughput on Ethereum: every detector ({@link Patterns#standard}: the account ones act)
 * over a synthetic store of 10^6 transfers read from RocksDB in chain order. The store (written
 * once, kept under {@code $CHAINTRACE_STORES}) has 100,000 accounts (one per ten transfers) paying each other ETH and an
 * ERC-20, with swaps through ten pools (token in, ETH out, one transaction), deposits of pool
 * denominations into four labelled mixer pools and withdrawals from them, and deposits to fifty
 * labelled exchange addresses. {@code readOnly} reads the same transfers without detecting. Score:
 * transfers per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, batchSize = 1)
@Measurement(iterations = 3, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class EthPatternBenchmark {
    static final int TRANSFERS = 1_000_000;
    static final int PER_BLOCK = 200;
    /** Transfers per account: the population grows with the history, so a larger store is more of the same chain, not busier accounts. */
    static final int TRANSFERS_PER_ACCOUNT = 10;
    static final BigInteger ETHER = BigInteger.TEN.pow(18);

    /** {@code all}, or one detector by name (swap, mixer, mixer.link, service, account: the nine account rules) to see what each costs. */
    @org.openjdk.jmh.annotations.Param({"all"})
    public String detector;

    private ChainStore store;

    @Setup(Level.Trial)
    public void open() throws IOException {
        store = ChainStore.openReadOnly(store(TRANSFERS));
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public long detect() {
        List<PatternDetector> detectors = Patterns.standard().stream().filter(d -> detector.equals("all") || d.name().equals(detector)).toList();
        long[] alerts = {0};
        store.forEachEthTransfer(0, Long.MAX_VALUE, t -> detectors.forEach(d -> d.accept(t, store, a -> alerts[0]++)));
        detectors.forEach(d -> d.finish(a -> alerts[0]++));
        return alerts[0];
    }

    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public long readOnly() {
        long[] n = {0};
        store.forEachEthTransfer(0, Long.MAX_VALUE, t -> n[0] += t.index());
        return n[0];
    }

    static Address account(int i) {
        return Address.parse(String.format("0x%040x", 0x1000000L + i));
    }

    /**
     * Writes the synthetic store of {@code args[0]} transfers under {@code $CHAINTRACE_STORES} (once) and prints its path:
     * {@code benchmarks/spark-eth --transfers N} compares the Spark job with the rules at sizes other than the benchmark's.
     */
    public static void main(String[] args) throws IOException {
        System.out.println(store(Integer.parseInt(args[0])));
    }

    /** The synthetic store of {@code size} transfers (a multiple of {@link #PER_BLOCK}), written once. */
    static Path store(int size) throws IOException {
        int accounts = size / TRANSFERS_PER_ACCOUNT;
        Path root = Path.of(System.getenv().getOrDefault("CHAINTRACE_STORES", "stores")).toAbsolutePath();
        Path dir = root.resolve("eth-synthetic-" + SyntheticStores.SEED + "-" + size);
        Path done = dir.resolve("done");
        if (Files.exists(done)) {
            return dir;
        }
        if (Files.exists(dir)) {
            IngestBenchmark.delete(dir);
        }
        long t0 = System.nanoTime();
        SplittableRandom random = new SplittableRandom(SyntheticStores.SEED);
        Address tokenContract = account(accounts + 1);
        Asset token = new Asset(Chain.ETHEREUM, Optional.of(tokenContract), "SYN", OptionalInt.of(18));
        List<Address> pools = new ArrayList<>();
        List<Address> mixers = new ArrayList<>();
        List<Address> exchanges = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pools.add(account(accounts + 10 + i));
        }
        for (int i = 0; i < 4; i++) {
            mixers.add(account(accounts + 30 + i));
        }
        for (int i = 0; i < 50; i++) {
            exchanges.add(account(accounts + 100 + i));
        }
        BigInteger[] denominations = {ETHER.divide(BigInteger.TEN), ETHER, ETHER.multiply(BigInteger.TEN), ETHER.multiply(BigInteger.valueOf(100))};
        try (ChainStore s = ChainStore.open(dir)) {
            for (int i = 0; i < mixers.size(); i++) {
                Address m = mixers.get(i);
                s.putLabels(m, List.of(new Label(m, "Mixer pool " + i, LabelCategory.MIXER, "synthetic", 1.0)));
            }
            for (Address e : exchanges) {
                s.putLabels(e, List.of(new Label(e, "Exchange " + exchanges.indexOf(e) % 5, LabelCategory.EXCHANGE, "synthetic", 1.0)));
            }
            int blocks = size / PER_BLOCK;
            for (int b = 0; b < blocks; b++) {
                byte[] hb = new byte[32];
                java.nio.ByteBuffer.wrap(hb).putLong(b + 1);
                Hash256 hash = new Hash256(hb);
                BlockRef ref = new BlockRef(b, hash, 1_600_000_000L + 12L * b);
                List<AccountTransfer> transfers = new ArrayList<>(PER_BLOCK);
                int tx = 0;
                while (transfers.size() < PER_BLOCK) {
                    byte[] th = new byte[32];
                    java.nio.ByteBuffer.wrap(th).putLong(b).putInt(tx);
                    Hash256 txHash = new Hash256(th);
                    Address from = account(random.nextInt(accounts));
                    double kind = random.nextDouble();
                    if (kind < 0.05 && transfers.size() <= PER_BLOCK - 2) {
                        Address pool = pools.get(random.nextInt(pools.size()));
                        transfers.add(new AccountTransfer(txHash, ref, tx, TransferKind.TOKEN, 1, from, pool,
                                new Amount(token, BigInteger.valueOf(1 + random.nextInt(1_000_000)).multiply(ETHER))));
                        transfers.add(new AccountTransfer(txHash, ref, tx, TransferKind.INTERNAL, 1, pool, from,
                                new Amount(Asset.ETH, BigInteger.valueOf(1 + random.nextInt(1_000_000)).multiply(ETHER.divide(BigInteger.valueOf(1000))))));
                    } else if (kind < 0.07) {
                        transfers.add(new AccountTransfer(txHash, ref, tx, TransferKind.NATIVE, 0, from, mixers.get(random.nextInt(4)),
                                new Amount(Asset.ETH, denominations[random.nextInt(4)])));
                    } else if (kind < 0.08) {
                        transfers.add(new AccountTransfer(txHash, ref, tx, TransferKind.INTERNAL, 1, mixers.get(random.nextInt(4)), from,
                                new Amount(Asset.ETH, ETHER.multiply(BigInteger.valueOf(99)).divide(BigInteger.valueOf(100)))));
                    } else if (kind < 0.11) {
                        transfers.add(new AccountTransfer(txHash, ref, tx, TransferKind.NATIVE, 0, from, exchanges.get(random.nextInt(50)),
                                new Amount(Asset.ETH, BigInteger.valueOf(1 + random.nextInt(100_000)).multiply(ETHER.divide(BigInteger.valueOf(1000))))));
                    } else {
                        Address to = account(random.nextInt(accounts));
                        boolean tokenTransfer = random.nextDouble() < 0.2;
                        transfers.add(new AccountTransfer(txHash, ref, tx, tokenTransfer ? TransferKind.TOKEN : TransferKind.NATIVE, tokenTransfer ? 1 : 0,
                                from, to, new Amount(tokenTransfer ? token : Asset.ETH,
                                BigInteger.valueOf(1 + random.nextInt(10_000_000)).multiply(BigInteger.TEN.pow(12)))));
                    }
                    tx++;
                }
                Hash256 parent = b == 0 ? Hash256.ZERO : new Hash256(java.nio.ByteBuffer.allocate(32).putLong(b).array());
                s.appendEthBlock(new EthBlock(b, hash, parent, ref.time(), transfers), new Checkpoint("synthetic", hash, b, b + 1));
                if (b % 5_000 == 0) {
                    System.out.printf("[store] block %,d of %,d%n", b, blocks);
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String line = String.format("%d transfers, %.1f s to write (%.0f transfers/s), %d bytes on disk%n", size, secs, size / secs,
                SyntheticStores.size(dir));
        System.out.print("[store] " + line);
        Files.writeString(done, line);
        return dir;
    }
}
