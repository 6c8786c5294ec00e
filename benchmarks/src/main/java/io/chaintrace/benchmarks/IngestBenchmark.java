package io.chaintrace.benchmarks;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Ingest throughput of real blocks into RocksDB: block2019Jan.blk (2,898 txs) and
 * scriptwitness2.blk (4,699 txs), parsed with bitcoinj, inputs resolved, every column family
 * written, each block in one atomic batch. Each invocation ingests both files into a fresh
 * store, so one operation is one transaction and the score is transactions per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class IngestBenchmark {
    /** Transactions in block2019Jan.blk + scriptwitness2.blk (REFERENCE.jsonl). */
    static final int TXS = 2_898 + 4_699;

    private List<Path> files;
    private Path dir;
    private ChainStore store;

    @Setup(Level.Trial)
    public void locate() throws IOException {
        Path blk = SharedData.btc().resolve("blk");
        files = List.of(blk.resolve("block2019Jan.blk"), blk.resolve("scriptwitness2.blk"));
        dir = Files.createTempDirectory("chaintrace-bench");
    }

    @Setup(Level.Invocation)
    public void freshStore() throws IOException {
        store = ChainStore.open(Files.createTempDirectory(dir, "store"));
    }

    @TearDown(Level.Invocation)
    public void dropStore() throws IOException {
        Path p = store.path();
        store.close();
        delete(p);
    }

    @TearDown(Level.Trial)
    public void cleanUp() throws IOException {
        delete(dir);
    }

    @Benchmark
    @OperationsPerInvocation(TXS)
    public long ingestRealBlocks() {
        return new BlockFileSource(store, files).run(IngestListener.NONE).transactions();
    }

    /** Deletes a folder and all it holds; nothing when it does not exist. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
