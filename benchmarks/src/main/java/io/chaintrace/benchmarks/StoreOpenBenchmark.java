package io.chaintrace.benchmarks;

import io.chaintrace.cli.app.Engine;
import io.chaintrace.cli.app.TraceOutcome;
import io.chaintrace.cli.app.TraceService;
import io.chaintrace.cli.app.TraceSpec;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.graph.ChainStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * A store opened and its first trace answered, as a trace from the command line does it (issue 19, "instant stores"):
 * each measured shot opens the synthetic store of {@code edges} outputs read-only (RocksDB's block cache empty, no table
 * file open; the files in the operating system's page cache), runs one 6-hop haircut trace with the engine named
 * ({@code object}: the command line's default, every limit; {@code compact}: the compact rows), and closes it. Each
 * shot takes the next of 200 seeds (outputs that were spent, spread over the chain), so no shot finds another's blocks
 * in a cache. The JVM is warm, as in a server or a batch; the command line's own start is measured by
 * {@code benchmarks/cli-trace}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 100)
@Measurement(iterations = 100)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx4g"})
public class StoreOpenBenchmark {
    @Param({"2590000", "25900000"})
    int edges;

    @Param({"object", "compact"})
    String engine;

    private Path dir;
    private final List<String> seeds = new ArrayList<>();
    private int next;

    @Setup(Level.Trial)
    public void seeds() throws IOException {
        dir = SyntheticStores.store(edges);
        try (ChainStore cs = ChainStore.openReadOnly(dir)) {
            int blocks = (int) cs.stats().blocks();
            for (int i = 0; seeds.size() < 200 && i < 100_000; i++) {
                int height = (int) ((i * 7919L + 11) % blocks);
                List<Hash256> txs = cs.transactionIds(height);
                Hash256 tx = txs.get(txs.size() > 1 ? 1 : 0);
                Outpoint o = new Outpoint(tx, 0);
                if (cs.spenderOf(o).isPresent()) {
                    seeds.add(o.toString());
                }
            }
        }
        System.out.printf("%n[open] %d seeds; engine %s%n", seeds.size(), engine);
    }

    @Benchmark
    public long openAndTrace() {
        String seed = seeds.get(next++ % seeds.size());
        try (ChainStore cs = ChainStore.openReadOnly(dir)) {
            TraceSpec spec = new TraceSpec(List.of(seed), TaintPolicy.named("haircut"), Direction.FORWARD, Limits.DEFAULT.withHops(6),
                    TraceRequest.SERVICES, false, Engine.valueOf(engine.toUpperCase(java.util.Locale.ROOT)), false, PatternSettings.defaults(), false);
            return switch (TraceService.trace(cs, spec)) {
                case TraceOutcome.Utxo u -> u.result().outputs().size();
                case TraceOutcome.Compact c -> c.result().edgesVisited();
                case TraceOutcome.Account a -> 0;
            };
        }
    }
}
