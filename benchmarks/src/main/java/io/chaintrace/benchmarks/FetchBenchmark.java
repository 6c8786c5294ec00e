package io.chaintrace.benchmarks;

import io.chaintrace.core.trace.Seed;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.btc.EsploraApi;
import io.chaintrace.ingest.btc.NeighbourhoodFetch;
import io.chaintrace.ingest.remote.HttpService;
import io.chaintrace.loopback.BitcoinCoreServer;
import io.chaintrace.loopback.EsploraServer;
import io.chaintrace.loopback.Loopback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bitcoinj.base.BitcoinNetwork;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * A seed's neighbourhood fetched from Esplora's API on loopback (real blocks 0-589), forward from
 * block 9's coinbase ({@value #HOPS} hops: ten transactions), into a fresh store per invocation
 * ({@code cold}) or into a store that fetched it before ({@code rerun}: answers from the store's
 * cache). Score: milliseconds per fetch; the requests each makes are printed at tear-down
 * (benchmarks/README.md). The loopback server answers at once: this measures the client, not a
 * network.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class FetchBenchmark {
    static final int HOPS = 6;
    static final Seed SEED = Seed.parse("0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0");

    @Param({"cold", "rerun"})
    public String mode;

    private EsploraServer esplora;
    private Path dir;
    private ChainStore store;
    private long fetches;
    private long requests;
    private long cacheHits;
    private long transactions;

    @Setup(Level.Trial)
    public void serve() throws IOException {
        List<byte[]> blocks = Loopback.framedBlocks(SharedData.btc().resolve("blk/firstblocks.blk"));
        esplora = new EsploraServer(BitcoinNetwork.MAINNET, BitcoinCoreServer.inChainOrder(blocks), 0);
        dir = Files.createTempDirectory("chaintrace-fetch-bench");
        if (mode.equals("rerun")) {
            store = ChainStore.open(dir.resolve("warm"));
            fetch(store);
        }
    }

    @Setup(Level.Invocation)
    public void freshStore() throws IOException {
        if (mode.equals("cold")) {
            store = ChainStore.open(Files.createTempDirectory(dir, "store"));
        }
    }

    @TearDown(Level.Invocation)
    public void closeStore() {
        if (mode.equals("cold")) {
            store.close();
        }
    }

    private NeighbourhoodFetch.Summary fetch(ChainStore into) {
        try (EsploraApi api = new EsploraApi(esplora.url(), BitcoinNetwork.MAINNET, HttpService.Settings.DEFAULT)) {
            return new NeighbourhoodFetch(api, into, "bench").run(SEED, new NeighbourhoodFetch.Settings(HOPS, true, false, Long.MAX_VALUE,
                    Long.MAX_VALUE), p -> { });
        }
    }

    @Benchmark
    public void fetchNeighbourhood(Blackhole bh) {
        NeighbourhoodFetch.Summary s = fetch(store);
        fetches++;
        requests += s.requests();
        cacheHits += s.cacheHits();
        transactions += s.transactions();
        bh.consume(s);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        System.out.printf("%n%s: %d fetches, per fetch %.1f requests, %.1f answered from the cache, %.1f transactions%n", mode, fetches,
                (double) requests / fetches, (double) cacheHits / fetches, (double) transactions / fetches);
        if (store != null && mode.equals("rerun")) {
            store.close();
        }
        esplora.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
