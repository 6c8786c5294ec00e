package io.chaintrace.benchmarks;

import io.chaintrace.cli.Chaintrace;
import io.chaintrace.graph.ChainStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code chaintrace batch} as an analyst runs it: 10,000 seeds (an output each, drawn at random
 * across the chain) over the synthetic store of about 10^6 transactions, 3-hop haircut traces, all
 * cores, a fresh results file per run. Seeds per second = 10,000 / time. The command is run in
 * the benchmark's JVM through {@code Chaintrace.run}, as from the shell (store opened, seeds read,
 * results written, all included).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class BatchBenchmark {
    /** 2.59 million outputs: about 1.0 million transactions. */
    @Param({"2590000"})
    int edges;

    @Param({"10000"})
    int seeds;

    @Param({"haircut"})
    String policy;

    Path store;
    Path seedFile;
    Path out;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        store = SyntheticStores.store(edges);
        seedFile = store.resolveSibling("batch-seeds-" + edges + "-" + seeds + ".csv");
        StringBuilder sb = new StringBuilder("id,seed\n");
        try (ChainStore cs = ChainStore.openReadOnly(store)) {
            long txs = cs.stats().txs();
            SplittableRandom rnd = new SplittableRandom(42);
            for (int i = 0; i < seeds; i++) {
                long seq = rnd.nextLong(txs);
                int n = i;
                cs.forEachTransaction(seq, 1, t -> sb.append('s').append(n).append(',').append(t.txid().hex()).append(":0\n"));
            }
            System.out.printf("%n[batch] store of %,d transactions; %,d seeds%n", txs, seeds);
        }
        Files.writeString(seedFile, sb);
        out = store.resolveSibling("batch-results.jsonl");
    }

    @Setup(Level.Invocation)
    public void freshResults() throws IOException {
        Files.deleteIfExists(out);
    }

    @Benchmark
    public int batch() {
        int code = Chaintrace.run("batch", "--store", store.toString(), "--seeds", seedFile.toString(), "--out", out.toString(),
                "--policy", policy, "--hops", "3", "--no-progress");
        if (code != 0) {
            throw new IllegalStateException("batch exited " + code);
        }
        return code;
    }
}
