package io.chaintrace.benchmarks;

import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.compact.OutputRefs;
import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.graph.ChainStore;
import java.io.IOException;
import java.nio.file.Path;
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
 * Tracing from a cold RocksDB store: the synthetic chain of {@code edges} outputs (the one
 * {@link CompactTraceBenchmark} holds in memory) written through the ingest path once; each
 * measured trace opens the store afresh (empty RocksDB block cache; the OS page cache is whatever
 * the machine left) and runs the compact tracer over pages read lazily into a 256 MB cache.
 * {@code fullTrace}: 10 seeds, no hop limit; {@code sixHops}: one seed, 6 hops. Edges per trace
 * and pages read are printed at setup; edges per second = edges / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class StoreTraceBenchmark {
    static final long CACHE = 256L << 20;

    @Param({"100000", "1000000", "10000000"})
    int edges;

    @Param({"poison", "haircut", "fifo", "lifo", "tiho"})
    String policy;

    private Path dir;
    private ChainStore store;
    private TaintPolicy p;
    private OutputRefs seeds;
    private OutputRefs one;

    @Setup(Level.Trial)
    public void write() throws IOException {
        dir = SyntheticStores.store(edges);
        p = TaintPolicy.named(policy);
        store = ChainStore.openReadOnly(dir);
        seeds = SyntheticStores.seeds((int) store.stats().txs(), 10, 7);
        one = new OutputRefs(new int[] {seeds.tx()[0]}, new int[] {0});
        PagedChain rows = store.compactRows(TraceRequest.SERVICES, CACHE);
        CompactTracer.Result r = new CompactTracer(rows).forward(seeds, p, Integer.MAX_VALUE);
        PagedChain rows6 = store.compactRows(TraceRequest.SERVICES, CACHE);
        CompactTracer.Result r6 = new CompactTracer(rows6).forward(one, p, 6);
        System.out.printf("%n[trace] full: %,d edges, %,d pages read; six hops: %,d edges, %,d pages read%n",
                r.edgesVisited(), rows.pageReads(), r6.edgesVisited(), rows6.pageReads());
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

    @Benchmark
    public long fullTrace() {
        return new CompactTracer(store.compactRows(TraceRequest.SERVICES, CACHE)).forward(seeds, p, Integer.MAX_VALUE).edgesVisited();
    }

    @Benchmark
    public long sixHops() {
        return new CompactTracer(store.compactRows(TraceRequest.SERVICES, CACHE)).forward(one, p, 6).edgesVisited();
    }
}
