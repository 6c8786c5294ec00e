package io.chaintrace.benchmarks;

import io.chaintrace.core.compact.CompactChain;
import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.compact.OutputRefs;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.scenarios.ScenarioChains;
import io.chaintrace.scenarios.SyntheticChain;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The hot traversal in memory: forward traces over a compact chain of {@code edges} outputs
 * ({@link SyntheticChain}, the same chain {@link StoreTraceBenchmark} reads from RocksDB), per
 * policy. {@code fullTrace} follows 10 seeds without a hop limit (edges visited per second is the
 * {@code edges} counter, per second); {@code sixHops} traces 6 hops from one seed (latency = 1 / score).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class CompactTraceBenchmark {
    @Param({"100000", "1000000", "10000000"})
    int edges;

    @Param({"poison", "haircut", "fifo", "lifo", "tiho"})
    String policy;

    CompactChain chain;
    CompactTracer tracer;
    TaintPolicy p;
    OutputRefs seeds;
    OutputRefs one;

    @Setup(Level.Trial)
    public void build() {
        chain = ScenarioChains.synthetic(SyntheticChain.Settings.of(SyntheticStores.SEED, edges));
        tracer = new CompactTracer(chain);
        p = TaintPolicy.named(policy);
        seeds = SyntheticStores.seeds(chain.transactions(), 10, 7);
        one = new OutputRefs(new int[] {seeds.tx()[0]}, new int[] {0});
        System.out.printf("%n[chain] %,d edges, %,d transactions, %.1f bytes/edge%n", chain.edges(), chain.transactions(), chain.bytesPerEdge());
    }

    /** Edges visited, for edges per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Visited {
        public long edges;
    }

    @Benchmark
    public long fullTrace(Visited v) {
        CompactTracer.Result r = tracer.forward(seeds, p, Integer.MAX_VALUE);
        v.edges += r.edgesVisited();
        return r.unspent();
    }

    @Benchmark
    public long sixHops(Visited v) {
        CompactTracer.Result r = tracer.forward(one, p, 6);
        v.edges += r.edgesVisited();
        return r.unspent();
    }
}
