package io.chaintrace.benchmarks;

import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.scenario.Scenario;
import io.chaintrace.core.scenario.ScenarioGenerator;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.NewBlock;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tracing from RocksDB: a generated chain of about {@code edges} outputs is written into a store
 * once; each measured trace opens the store afresh (empty block cache) and traces forward under
 * {@code policy} without a hop limit from every output of the first 2% of transactions, through
 * the object tracer reading the store.
 * Edges visited per trace are printed at setup; edges per second = edges / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class StoreTraceBenchmark {
    @Param({"100000", "1000000"})
    int edges;

    @Param({"poison", "haircut", "fifo", "lifo", "tiho"})
    String policy;

    private Path dir;
    private ChainStore store;
    private List<Seed> seeds;

    @Setup(Level.Trial)
    public void write() throws IOException {
        int thefts = Math.max(1, edges / 200_000);
        Scenario s = ScenarioGenerator.generate(1, thefts, edges / (2 * thefts));
        dir = Files.createTempDirectory("chaintrace-store-bench");
        try (ChainStore w = ChainStore.open(dir)) {
            for (Scenario.Block b : s.blocks()) {
                w.append(new NewBlock(b.hash(), b.parent(), b.height(), b.time(), BigInteger.valueOf(b.height() + 1L),
                        b.transactions().stream().map(t -> new NewBlock.NewTransaction(t.txid(), t.spends(), t.outputs())).toList()),
                        new Checkpoint("bench", b.hash(), b.height(), b.height() + 1L));
            }
            System.out.printf("%n[store] %,d transactions, %,d outputs%n", w.stats().txs(), w.stats().outputs());
        }
        // Seeds: every output of the first 2% of transactions, so poison spreads along many chains of change.
        seeds = new ArrayList<>();
        int wanted = s.transactionCount() / 50;
        for (Scenario.Block b : s.blocks()) {
            for (Scenario.Tx t : b.transactions()) {
                if (seeds.size() >= wanted) {
                    break;
                }
                t.outputs().forEach(o -> seeds.add(new Seed.OutpointSeed(new Outpoint(t.txid(), o.index()))));
            }
        }
        store = ChainStore.openReadOnly(dir);
        System.out.printf("[trace] %,d edges visited per trace%n", trace());
        store.close();
    }

    @Setup(Level.Invocation)
    public void openCold() {
        store = ChainStore.openReadOnly(dir);
    }

    @TearDown(Level.Invocation)
    public void close() {
        store.close();
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        IngestBenchmark.delete(dir);
    }

    @Benchmark
    public long traceFromTheStore() {
        return trace();
    }

    private long trace() {
        TraceResult r = new UtxoTracer(store).trace(new TraceRequest(seeds, TaintPolicy.named(policy), Direction.FORWARD,
                Limits.DEFAULT.withHops(Integer.MAX_VALUE), Set.of(), false));
        return r.edgesVisited();
    }
}
