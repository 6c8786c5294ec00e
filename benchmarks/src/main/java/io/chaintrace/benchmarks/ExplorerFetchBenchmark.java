package io.chaintrace.benchmarks;

import io.chaintrace.core.model.Address;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.eth.ExplorerApi;
import io.chaintrace.ingest.eth.ExplorerFetch;
import io.chaintrace.ingest.remote.HttpService;
import io.chaintrace.loopback.EtherscanServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * Ethereum neighbourhoods fetched from the Etherscan account API on loopback, answering from
 * ethereum-etl's mainnet recordings (../shared/data/eth/etl): one fetch of {@value #HOPS} hops, both
 * directions, from every address the recorded blocks move value between, into a fresh store per
 * invocation ({@code cold}) or into a store that fetched them before ({@code rerun}: answers from the
 * store's cache, only the head asked). Score: milliseconds for all of them; requests, addresses and
 * transactions per invocation are printed at tear-down (benchmarks/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class ExplorerFetchBenchmark {
    static final int HOPS = 2;

    @Param({"cold", "rerun"})
    public String mode;

    private EtherscanServer explorer;
    private List<String> seeds;
    private Path dir;
    private ChainStore store;
    private long runs;
    private long requests;
    private long cacheHits;
    private long asked;
    private long transactions;

    @Setup(Level.Trial)
    public void serve() throws IOException {
        explorer = EtherscanServer.fromRecordings(SharedData.shared().resolve("data/eth/etl"));
        seeds = explorer.addresses();
        dir = Files.createTempDirectory("chaintrace-explorer-bench");
        if (mode.equals("rerun")) {
            store = ChainStore.open(dir.resolve("warm"));
            fetchAll(store);
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

    private long[] fetchAll(ChainStore into) {
        long[] totals = new long[4];
        try (ExplorerApi api = new ExplorerApi(explorer.url(), Optional.empty(), HttpService.Settings.DEFAULT, 1000)) {
            ExplorerFetch fetch = new ExplorerFetch(api, into);
            for (String s : seeds) {
                ExplorerFetch.Summary r = fetch.run(Address.parse(s), new ExplorerFetch.Settings(HOPS, true, true, 0, Optional.empty(), 0,
                        Long.MAX_VALUE, Long.MAX_VALUE), p -> { });
                totals[2] += r.asked();
                totals[3] += r.transactions();
            }
            totals[0] = api.requests();
            totals[1] = api.cacheHits();
        }
        return totals;
    }

    @Benchmark
    public void fetchEveryNeighbourhood(Blackhole bh) {
        long[] t = fetchAll(store);
        runs++;
        requests += t[0];
        cacheHits += t[1];
        asked += t[2];
        transactions += t[3];
        bh.consume(t);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        System.out.printf("%n%s: %d runs of %d seeds, per run %.1f requests, %.1f answered from the cache, %.1f addresses asked,"
                        + " %.1f transactions read%n", mode, runs, seeds.size(), (double) requests / runs, (double) cacheHits / runs,
                (double) asked / runs, (double) transactions / runs);
        if (store != null && mode.equals("rerun")) {
            store.close();
        }
        explorer.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
