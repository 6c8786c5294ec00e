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
 * measured trace opens the store afresh (empty RocksDB block cache, no page decoded, endpoint set
 * read from the store) and runs the compact tracer over pages read lazily into a 256 MB cache.
 * {@code os}: {@code warm} has the store's files in the operating system's page cache (read once at
 * set-up), as on a machine that has used the store recently; {@code evicted} drops every file of
 * the store from the page cache before each trace ({@code dd iflag=nocache}), so each page read
 * goes to the disk. {@code fullTrace}: 10 seeds, no hop limit; {@code sixHops}: one seed, 6 hops.
 * Edges per trace and pages read are printed at set-up; edges per second = edges / time.
 *
 * <p>Warm-up: up to {@code jitTraces} traces (5 s at most) on the store opened once at set-up warm
 * the JIT for the trace itself, then 100 single shots the per-open steps: with fewer, the figure
 * measures the JIT, not the store ({@code -p jitTraces=0} shows how much).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 100)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx6g"})
public class StoreTraceBenchmark {
    static final long CACHE = 256L << 20;

    @Param({"100000", "1000000", "10000000"})
    int edges;

    @Param({"poison", "haircut", "fifo", "lifo", "tiho"})
    String policy;

    @Param({"warm", "evicted"})
    String os;

    @Param("2000")
    int jitTraces;

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
        // The JIT: each measured shot runs a trace on a store just opened, once; JMH's warm-up shots alone leave the
        // page reads and the policy half compiled (a narrow trace took 1.5-2x its steady time after 100 shots, and
        // 300-500 were needed). The same code runs here, trace after trace on this open store (fresh page cache
        // each, RocksDB's block cache warm: its code is native, not the JIT's), for up to 5 s.
        long until = System.nanoTime() + 5_000_000_000L;
        int jit = 0;
        for (; jit < jitTraces && System.nanoTime() < until; jit++) {
            new CompactTracer(store.compactRows(TraceRequest.SERVICES, CACHE)).forward(jit % 2 == 0 ? seeds : one, p,
                    jit % 2 == 0 ? Integer.MAX_VALUE : 6);
        }
        System.out.printf("[trace] %,d traces to warm the JIT%n", jit);
        store.close();
        if (os.equals("warm")) {
            try (var files = java.nio.file.Files.list(dir)) {
                for (Path f : files.toList()) {
                    try (var in = java.nio.file.Files.newInputStream(f)) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
            }
        }
    }

    @Setup(Level.Invocation)
    public void openCold() throws IOException, InterruptedException {
        if (os.equals("evicted")) {
            evict(dir);
        }
        store = ChainStore.openReadOnly(dir);
    }

    /** Drops every file of the store from the operating system's page cache (GNU dd's nocache flag: posix_fadvise DONTNEED). */
    static void evict(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "for f in \"$1\"/*; do dd if=\"$f\" iflag=nocache count=0 status=none || exit 1; done", "evict",
                dir.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("could not drop " + dir + " from the page cache (dd iflag=nocache)");
        }
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
