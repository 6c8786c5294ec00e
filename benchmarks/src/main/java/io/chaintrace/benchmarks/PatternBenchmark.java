package io.chaintrace.benchmarks;

import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.Patterns;
import io.chaintrace.core.pattern.RecentLedger;
import io.chaintrace.graph.ChainStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
 * Detector throughput: every detector ({@link Patterns#standard}) over the first 10^6
 * transactions of the synthetic 10^7-output store (3.9 million transactions), read from RocksDB in
 * ingest order. {@code readOnly} reads the same transactions without detecting, to tell the
 * detectors' share from the store's. Score: transactions per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1, batchSize = 1)
@Measurement(iterations = 3, batchSize = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class PatternBenchmark {
    static final int TXS = 1_000_000;
    private Path dir;
    private ChainStore store;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = SyntheticStores.store(10_000_000);
        store = ChainStore.openReadOnly(dir);
    }

    @TearDown(Level.Trial)
    public void close() {
        store.close();
    }

    @Benchmark
    @OperationsPerInvocation(TXS)
    public long detect() {
        List<PatternDetector> detectors = Patterns.standard();
        long[] alerts = {0};
        RecentLedger ledger = new RecentLedger(store, 200_000);
        store.forEachTransaction(0, TXS, tx -> {
            ledger.remember(tx);
            detectors.forEach(d -> d.accept(tx, ledger, a -> alerts[0]++));
        });
        detectors.forEach(d -> d.finish(a -> alerts[0]++));
        return alerts[0];
    }

    @Benchmark
    @OperationsPerInvocation(TXS)
    public long readOnly() {
        long[] n = {0};
        store.forEachTransaction(0, TXS, tx -> n[0] += tx.outputs().size());
        return n[0];
    }
}
