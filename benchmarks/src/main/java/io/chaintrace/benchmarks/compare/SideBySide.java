package io.chaintrace.benchmarks.compare;


import io.chaintrace.benchmarks.IngestBenchmark;
import io.chaintrace.benchmarks.SyntheticStores;
import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.compact.OutputRefs;
import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.compact.Reachability;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.graph.ChainStore;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultDirectedWeightedGraph;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.traverse.BreadthFirstIterator;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * Chaintrace side by side with what an investigator would use instead, in one run on one machine,
 * on the same data and the same queries: (a) Neo4j embedded, the transaction graph loaded as
 * {@code (:Tx {id})-[:SPENT_BY {value}]->(:Tx)} and queried with a Cypher variable-length path;
 * (b) a plain JGraphT {@code DefaultDirectedWeightedGraph} walked breadth first; (c) Chaintrace's
 * compact rows read from its RocksDB store. The data: the synthetic chain (seed 42) of about N
 * transactions, written through the store's ingest path. The queries: forward reachability from a
 * seed transaction within k hops, k = 1..8, for seeds drawn from the first tenth of the chain; the
 * three answers are compared, seed by seed and k by k, before anything is timed. Then the poison
 * and haircut traces, which only Chaintrace expresses as amounts (a poison trace reaches exactly
 * the reachable set). Prints and writes a Markdown report.
 *
 * A Cypher query that runs past the timeout is stopped and counted; the same seed is not asked
 * deeper (the answer only grows), so a run ends in bounded time.
 * <pre>benchmarks/compare [--transactions 1000000] [--seeds 30] [--max-hops 8] [--neo4j-timeout 10] [--warmups 20] [--warmup-seconds 5]
 *                    [--rounds 10]</pre>
 */
public final class SideBySide {
    /**
     * What to run. {@code neo4jTimeout}: a Cypher query longer than this is stopped and counted as timed out. Each system
     * is warmed by at least {@code warmups} untimed passes and for at least {@code warmupTime}, whichever is longer.
     */
    public record Settings(long transactions, int seeds, int maxHops, Path work, Duration neo4jTimeout, long pageCacheBytes, int warmups,
                           Duration warmupTime, int rounds) {
        public static Settings of(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
            }
            return new Settings(Long.parseLong(m.getOrDefault("transactions", "1000000").replace("_", "")),
                    Integer.parseInt(m.getOrDefault("seeds", "30")), Integer.parseInt(m.getOrDefault("max-hops", "8")),
                    Path.of(m.getOrDefault("work", "compare")), Duration.ofSeconds(Long.parseLong(m.getOrDefault("neo4j-timeout", "10"))),
                    Long.parseLong(m.getOrDefault("page-cache-mb", "1024")) << 20, Integer.parseInt(m.getOrDefault("warmups", "20")),
                    Duration.ofMillis(Math.round(1000 * Double.parseDouble(m.getOrDefault("warmup-seconds", "5")))),
                    Integer.parseInt(m.getOrDefault("rounds", "10")));
        }
    }

    /** One system's answer to a reachability query: the transactions within k hops of the seed, or null when it timed out. */
    @FunctionalInterface
    interface Query {
        int[] reach(int seed, int k);
    }

    /** Latencies of one system at one k, nanoseconds, one per seed (-1: timed out). */
    record Latencies(long[] nanos) {
        long percentile(double p) {
            long[] done = Arrays.stream(nanos).filter(x -> x >= 0).sorted().toArray();
            if (done.length == 0) {
                return -1;
            }
            return done[(int) Math.min(done.length - 1, Math.ceil(p * done.length) - 1)];
        }

        int timeouts() {
            return (int) Arrays.stream(nanos).filter(x -> x < 0).count();
        }
    }

    /** Every figure of a run. */
    public record Report(Settings settings, long transactions, long edges, Map<String, Double> loadSeconds, Map<String, Long> diskBytes,
                         Map<String, Long> memoryBytes, Map<String, Map<Integer, Latencies>> latency,
                         Map<String, Map<Integer, Latencies>> firstPass, Map<Integer, Double> meanReached,
                         int verified, int unverified, Map<String, Latencies> traces, String markdown) {
    }

    private SideBySide() {
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.of(args);
        Report r = run(s);
        Path md = s.work().resolve("side-by-side.md");
        Files.writeString(md, r.markdown());
        System.out.println(r.markdown());
        System.out.println("written to " + md.toAbsolutePath());
    }

    public static Report run(Settings s) throws Exception {
        Files.createDirectories(s.work());
        Map<String, Double> load = new LinkedHashMap<>();
        Map<String, Long> disk = new LinkedHashMap<>();
        Map<String, Long> memory = new LinkedHashMap<>();

        // Chaintrace: written through the store's ingest path.
        Path ctStore = s.work().resolve("chaintrace-store");
        log("writing the synthetic chain of about %,d transactions into Chaintrace's store", s.transactions());
        ScaleIngest.Figures ingest = ScaleIngest.ingest(s.transactions(), ctStore);
        load.put("Chaintrace", ingest.seconds());
        disk.put("Chaintrace", ingest.bytes());

        try (ChainStore cs = ChainStore.openReadOnly(ctStore)) {
            // The part that answers every query here (and holds more: owners, input values, unspent outputs).
            disk.put("Chaintrace trace rows", cs.familySizes().get("tx_pages"));
            PagedChain rows = cs.compactRows(Set.of(), s.pageCacheBytes());
            int n = rows.transactions();
            // The spend graph, as the peers get it: one edge per spent output, creator -> spender, with the output's value.
            IntArrayList src = new IntArrayList();
            IntArrayList dst = new IntArrayList();
            LongArrayList val = new LongArrayList();
            new Reachability(rows).spendEdges(n, src, dst, val);
            log("%,d transactions, %,d spend edges", n, src.size());

            // JGraphT.
            long heap0 = usedHeap();
            long t0 = System.nanoTime();
            Graph<Integer, DefaultWeightedEdge> g = jgrapht(n, src, dst, val);
            load.put("JGraphT", (System.nanoTime() - t0) / 1e9);
            memory.put("JGraphT", usedHeap() - heap0);
            disk.put("JGraphT", 0L);

            // Neo4j.
            Path neoHome = s.work().resolve("neo4j");
            IngestBenchmark.delete(neoHome);
            t0 = System.nanoTime();
            DatabaseManagementService dbms = Neo4jPeer.neo4j(neoHome, s);
            GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            Neo4jPeer.loadNeo4j(db, n, src, dst, val);
            load.put("Neo4j", (System.nanoTime() - t0) / 1e9);
            dbms.shutdown(); // flushes: the size on disk is what a restart reads
            disk.put("Neo4j", SyntheticStores.size(neoHome.resolve("data")));
            disk.put("Neo4j store", SyntheticStores.size(neoHome.resolve("data").resolve("databases")));
            disk.put("Neo4j transaction logs", SyntheticStores.size(neoHome.resolve("data").resolve("transactions")));
            dbms = Neo4jPeer.neo4j(neoHome, s);
            db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            memory.put("Neo4j", s.pageCacheBytes());

            // Neo4j with what Chaintrace's store holds, in the model people load Bitcoin into it with:
            // (:Tx {id, txid, height, time})-[:OUT {vout}]->(:Output {id, value})-[:IN]->(:Tx), (:Output)-[:LOCKED]->(:Address {id, address}).
            Path utxoHome = s.work().resolve("neo4j-utxo");
            IngestBenchmark.delete(utxoHome);
            t0 = System.nanoTime();
            DatabaseManagementService utxoDbms = Neo4jPeer.neo4j(utxoHome, s);
            Neo4jPeer.loadNeo4jUtxo(utxoDbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME), cs);
            load.put("Neo4j UTXO", (System.nanoTime() - t0) / 1e9);
            utxoDbms.shutdown();
            disk.put("Neo4j UTXO", SyntheticStores.size(utxoHome.resolve("data")));
            disk.put("Neo4j UTXO store", SyntheticStores.size(utxoHome.resolve("data").resolve("databases")));
            utxoDbms = Neo4jPeer.neo4j(utxoHome, s);
            GraphDatabaseService utxo = utxoDbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
            memory.put("Neo4j UTXO", s.pageCacheBytes());

            // Seeds from the first tenth: their value has the whole chain ahead of it.
            SplittableRandom rnd = new SplittableRandom(42);
            int[] seeds = new int[s.seeds()];
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = rnd.nextInt(Math.max(1, n / 10));
            }
            Reachability reach = new Reachability(rows);
            GraphDatabaseService neo = db;
            Map<String, Query> systems = new LinkedHashMap<>();
            systems.put("Chaintrace", (seed, k) -> reach.forward(new int[] {seed}, k));
            systems.put("JGraphT", (seed, k) -> bfs(g, seed, k));
            systems.put("Neo4j", (seed, k) -> Neo4jPeer.cypher(neo, seed, k, s.neo4jTimeout()));
            systems.put("Neo4j UTXO", (seed, k) -> Neo4jPeer.cypherUtxo(utxo, seed, k, s.neo4jTimeout()));
            // Per Neo4j model and seed, the smallest k at which it ran out of time: deeper queries are not run (they only grow).
            Map<String, int[]> timedOutAt = new LinkedHashMap<>();
            for (String model : List.of("Neo4j", "Neo4j UTXO")) {
                int[] limit = new int[seeds.length];
                Arrays.fill(limit, Integer.MAX_VALUE);
                timedOutAt.put(model, limit);
            }
            // Verify: all answer alike for every seed and k (Neo4j where it finishes in time).
            int verified = 0;
            int unverified = 0;
            Map<Integer, Double> meanReached = new LinkedHashMap<>();
            for (int k = 1; k <= s.maxHops(); k++) {
                long reachedSum = 0;
                for (int si = 0; si < seeds.length; si++) {
                    int seed = seeds[si];
                    int[] ct = sorted(systems.get("Chaintrace").reach(seed, k));
                    int[] jg = sorted(systems.get("JGraphT").reach(seed, k));
                    if (!Arrays.equals(ct, jg)) {
                        throw new IllegalStateException("JGraphT and Chaintrace disagree from transaction " + seed + " at k = " + k
                                + ": " + jg.length + " vs " + ct.length);
                    }
                    for (Map.Entry<String, int[]> model : timedOutAt.entrySet()) {
                        int[] limit = model.getValue();
                        int[] nj = k >= limit[si] ? null : systems.get(model.getKey()).reach(seed, k);
                        if (nj == null) {
                            limit[si] = Math.min(limit[si], k);
                            unverified++;
                        } else if (!Arrays.equals(ct, sorted(nj))) {
                            throw new IllegalStateException(model.getKey() + " and Chaintrace disagree from transaction " + seed + " at k = " + k
                                    + ": " + nj.length + " vs " + ct.length);
                        } else {
                            verified++;
                        }
                    }
                    reachedSum += ct.length;
                }
                meanReached.put(k, (double) reachedSum / seeds.length);
                log("k = %d: all agree (%,d transactions reached on average)", k, reachedSum / seeds.length);
            }

            // Time: each system on its own, steady state, as JMH would measure it: every (k, seed) query asked at least
            // `warmups` times and for at least `warmupTime` untimed (the JIT compiles each system's path, Neo4j's plans are
            // cached, pages are in memory: a count alone warmed Chaintrace for some 10 ms, less than its compilation takes,
            // and Neo4j for seconds), then `rounds` passes; a (seed, k)'s latency is the median of its rounds, so one GC
            // pause or one slow pass does not make a seed's figure. The first pass is also reported on its own: the method
            // of the earlier runs (one timed pass right after the check), each system's code still mostly cold.
            Map<String, Map<Integer, Latencies>> latency = new LinkedHashMap<>();
            Map<String, Map<Integer, Latencies>> firstPass = new LinkedHashMap<>();
            Map<String, String> warmedUp = new LinkedHashMap<>();
            for (Map.Entry<String, Query> system : systems.entrySet()) {
                int[] limit = timedOutAt.get(system.getKey());
                long[][][] firstNs = new long[s.maxHops() + 1][seeds.length][1];
                long[][][] ns = new long[s.maxHops() + 1][seeds.length][s.rounds()];
                long warmStart = System.nanoTime();
                timePass(system.getValue(), seeds, limit, s.maxHops(), firstNs, 0);
                int warmPasses = 1;
                while (warmPasses < s.warmups() || System.nanoTime() - warmStart < s.warmupTime().toNanos()) {
                    timePass(system.getValue(), seeds, limit, s.maxHops(), null, 0);
                    warmPasses++;
                }
                warmedUp.put(system.getKey(), String.format("%,d %s in %.1f s", warmPasses, warmPasses == 1 ? "pass" : "passes",
                        (System.nanoTime() - warmStart) / 1e9));
                for (int round = 0; round < s.rounds(); round++) {
                    timePass(system.getValue(), seeds, limit, s.maxHops(), ns, round);
                }
                Map<Integer, Latencies> byK = new LinkedHashMap<>();
                Map<Integer, Latencies> firstByK = new LinkedHashMap<>();
                for (int k = 1; k <= s.maxHops(); k++) {
                    long[] median = new long[seeds.length];
                    long[] first = new long[seeds.length];
                    for (int i = 0; i < seeds.length; i++) {
                        // A query that ran out of time in any timed pass counts as timed out.
                        long[] timed = ns[k][i];
                        median[i] = Arrays.stream(timed).anyMatch(t -> t < 0) ? -1 : median(timed);
                        first[i] = firstNs[k][i][0];
                    }
                    byK.put(k, new Latencies(median));
                    firstByK.put(k, new Latencies(first));
                }
                latency.put(system.getKey(), byK);
                firstPass.put(system.getKey(), firstByK);
                log("%s timed (warmed up by %s)", system.getKey(), warmedUp.get(system.getKey()));
            }
            // Chaintrace's own cache: what its pages hold after all the queries.
            memory.put("Chaintrace", rows.cachedBytes());

            // Amounts: poison and haircut, 6 hops, every output of the seed transaction (only Chaintrace has them).
            Map<String, Latencies> traces = new LinkedHashMap<>();
            CompactTracer tracer = new CompactTracer(rows);
            OutputRefs[] seedOutputs = new OutputRefs[seeds.length];
            for (int i = 0; i < seeds.length; i++) {
                seedOutputs[i] = allOutputs(rows, seeds[i]);
            }
            for (String policy : List.of("poison", "haircut")) {
                long[][] ns = new long[seeds.length][s.rounds()];
                for (int round = -s.warmups(); round < s.rounds(); round++) {
                    for (int i = 0; i < seeds.length; i++) {
                        long a = System.nanoTime();
                        tracer.forward(seedOutputs[i], TaintPolicy.named(policy), 6);
                        if (round >= 0) {
                            ns[i][round] = System.nanoTime() - a;
                        }
                    }
                }
                long[] median = new long[seeds.length];
                for (int i = 0; i < seeds.length; i++) {
                    median[i] = median(ns[i]);
                }
                traces.put(policy, new Latencies(median));
            }
            dbms.shutdown();
            utxoDbms.shutdown();
            String md = markdown(s, n, src.size(), load, disk, memory, latency, firstPass, warmedUp, meanReached, verified, unverified,
                    traces);
            return new Report(s, n, src.size(), load, disk, memory, latency, firstPass, meanReached, verified, unverified, traces, md);
        }
    }

    /**
     * One pass of every (k, seed) query, each timed into {@code ns[k][seed][slot]} (-1: timed out, or not asked because the
     * seed timed out at a smaller k); {@code ns} null: untimed.
     */
    private static void timePass(Query system, int[] seeds, int[] limit, int maxHops, long[][][] ns, int slot) {
        for (int k = 1; k <= maxHops; k++) {
            for (int i = 0; i < seeds.length; i++) {
                long took = -1;
                if (limit == null || k < limit[i]) {
                    long a = System.nanoTime();
                    int[] r = system.reach(seeds[i], k);
                    took = r == null ? -1 : System.nanoTime() - a;
                }
                if (ns != null) {
                    ns[k][i][slot] = took;
                }
            }
        }
    }

    /** Every output of one transaction, as trace seeds. */
    static OutputRefs allOutputs(PagedChain rows, int tx) {
        int outputs = new Reachability(rows).outputs(tx);
        int[] t = new int[outputs];
        int[] v = new int[outputs];
        for (int i = 0; i < outputs; i++) {
            t[i] = tx;
            v[i] = i;
        }
        return new OutputRefs(t, v);
    }

    static Graph<Integer, DefaultWeightedEdge> jgrapht(int n, IntArrayList src, IntArrayList dst, LongArrayList val) {
        Graph<Integer, DefaultWeightedEdge> g = new DefaultDirectedWeightedGraph<>(DefaultWeightedEdge.class);
        for (int i = 0; i < n; i++) {
            g.addVertex(i);
        }
        for (int i = 0; i < src.size(); i++) {
            int a = src.getInt(i);
            int b = dst.getInt(i);
            DefaultWeightedEdge e = g.getEdge(a, b);
            if (e == null) {
                e = g.addEdge(a, b);
                g.setEdgeWeight(e, val.getLong(i));
            } else {
                // One edge per pair of transactions in this graph type: several outputs spent by one transaction add up.
                g.setEdgeWeight(e, g.getEdgeWeight(e) + val.getLong(i));
            }
        }
        return g;
    }

    /** The naive traversal: JGraphT's breadth-first iterator, stopped past depth k. */
    static int[] bfs(Graph<Integer, DefaultWeightedEdge> g, int seed, int k) {
        BreadthFirstIterator<Integer, DefaultWeightedEdge> it = new BreadthFirstIterator<>(g, seed);
        IntArrayList out = new IntArrayList();
        while (it.hasNext()) {
            Integer v = it.next();
            int depth = it.getDepth(v);
            if (depth > k) {
                break;
            }
            if (depth > 0) {
                out.add(v.intValue());
            }
        }
        return out.toIntArray();
    }

    /** The middle of the samples (the upper one of an even count); sorts them. */
    static long median(long[] samples) {
        Arrays.sort(samples);
        return samples[samples.length / 2];
    }

    static int[] sorted(int[] a) {
        int[] b = a.clone();
        Arrays.sort(b);
        return b;
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static void log(String format, Object... args) {
        System.err.printf("[%s] %s%n", Instant.now().toString().substring(11, 19), String.format(format, args));
    }

    static String ms(long nanos) {
        // Four decimals below 0.1 ms: a warm Chaintrace query takes a few microseconds.
        return nanos < 0 ? "timeout" : nanos < 100_000 ? String.format("%.4f", nanos / 1e6)
                : nanos < 10_000_000 ? String.format("%.3f", nanos / 1e6) : String.format("%,.0f", nanos / 1e6);
    }

    static String markdown(Settings s, int n, int edges, Map<String, Double> load, Map<String, Long> disk, Map<String, Long> memory,
                           Map<String, Map<Integer, Latencies>> latency, Map<String, Map<Integer, Latencies>> firstPass,
                           Map<String, String> warmedUp, Map<Integer, Double> meanReached, int verified, int unverified,
                           Map<String, Latencies> traces) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Side by side, %s: %,d transactions, %,d spend edges (synthetic chain, seed 42); %d seeds from the first"
                + " tenth; k = 1..%d; Neo4j page cache %,d MB, queries stopped after %d s.%n%n", Instant.now().toString().substring(0, 10), n, edges,
                s.seeds(), s.maxHops(), s.pageCacheBytes() >> 20, s.neo4jTimeout().toSeconds()));
        sb.append(String.format("Latencies: each system on its own, every (k, seed) query asked untimed at least %d times and for at least %.0f s"
                + " (%s), then %d timed passes; a seed's latency is the median of its passes, p50 and p95 are over the seeds.%n%n", s.warmups(),
                s.warmupTime().toMillis() / 1e3, warmedUp.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                        .collect(java.util.stream.Collectors.joining("; ")), s.rounds()));
        sb.append(String.format("Answers compared before timing: %,d (seed, k, Neo4j model) triples equal to Chaintrace's and JGraphT's; %,d where"
                + " Neo4j timed out (Chaintrace and JGraphT equal there too).%n%n", verified, unverified));
        sb.append("| | Chaintrace | Neo4j, spend graph | Neo4j, UTXO model | JGraphT |\n|---|---|---|---|---|\n");
        sb.append(String.format("| what it holds | everything ingested: txids, addresses, indexes, compact rows | transactions (ids) and spends with"
                + " values | transactions (txid, height, time), outputs (value), addresses, spends; indexes on ids, txid, address | the spend graph |%n"));
        sb.append(String.format("| load (s) | %.1f | %.1f | %.1f | %.1f |%n", load.get("Chaintrace"), load.get("Neo4j"), load.get("Neo4j UTXO"),
                load.get("JGraphT")));
        sb.append(String.format("| on disk, all (MB) | %,.0f | %,.0f | %,.0f | (in memory) |%n", disk.get("Chaintrace") / 1e6, disk.get("Neo4j") / 1e6,
                disk.get("Neo4j UTXO") / 1e6));
        sb.append(String.format("| on disk, store files without transaction logs (MB) | %,.0f | %,.1f | %,.0f | |%n", disk.get("Chaintrace") / 1e6,
                disk.get("Neo4j store") / 1e6, disk.get("Neo4j UTXO store") / 1e6));
        sb.append(String.format("| on disk, what the reachability queries read (MB) | %,.1f (compact rows) | %,.1f | | |%n",
                disk.get("Chaintrace trace rows") / 1e6, disk.get("Neo4j store") / 1e6));
        sb.append(String.format("| memory (MB) | %,.0f (pages cached after all queries) | %,.0f (page cache) | %,.0f (page cache) | %,.0f (heap) |%n",
                memory.get("Chaintrace") / 1e6, memory.get("Neo4j") / 1e6, memory.get("Neo4j UTXO") / 1e6, memory.get("JGraphT") / 1e6));
        sb.append(String.format("%nStore size: Neo4j (UTXO model, same information) / Chaintrace = **%.1fx** all on disk, %.1fx store files alone."
                + " Spend graph only: Neo4j's store files / Chaintrace's compact rows = %.1fx (%.1fx with Neo4j's transaction logs).%n%n",
                (double) disk.get("Neo4j UTXO") / disk.get("Chaintrace"), (double) disk.get("Neo4j UTXO store") / disk.get("Chaintrace"),
                (double) disk.get("Neo4j store") / disk.get("Chaintrace trace rows"), (double) disk.get("Neo4j") / disk.get("Chaintrace trace rows")));
        sb.append("| k | reached (mean) | Chaintrace p50 / p95 (ms) | Neo4j spend graph p50 / p95 (ms) | Neo4j UTXO p50 / p95 (ms) | JGraphT p50 / p95 (ms)"
                + " | Neo4j spend / Chaintrace (p50, p95) | Neo4j UTXO / Chaintrace (p50, p95) | JGraphT / Chaintrace (p50) | Neo4j timeouts (spend, UTXO) |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (int k = 1; k <= s.maxHops(); k++) {
            Latencies c = latency.get("Chaintrace").get(k);
            Latencies nj = latency.get("Neo4j").get(k);
            Latencies nu = latency.get("Neo4j UTXO").get(k);
            Latencies j = latency.get("JGraphT").get(k);
            long c50 = Math.max(1, c.percentile(0.5));
            sb.append(String.format("| %d | %,.0f | %s / %s | %s / %s | %s / %s | %s / %s | %s, %s | %s, %s | %.1fx | %d, %d of %d |%n", k,
                    meanReached.get(k), ms(c.percentile(0.5)), ms(c.percentile(0.95)), ms(nj.percentile(0.5)), ms(nj.percentile(0.95)),
                    ms(nu.percentile(0.5)), ms(nu.percentile(0.95)), ms(j.percentile(0.5)), ms(j.percentile(0.95)), ratio(nj, c, 0.5),
                    ratio(nj, c, 0.95), ratio(nu, c, 0.5), ratio(nu, c, 0.95),
                    (double) j.percentile(0.5) / c50, nj.timeouts(), nu.timeouts(), s.seeds()));
        }
        sb.append(String.format("%nThe first pass alone (each query timed once, right after the check: the earlier method, code still mostly"
                + " cold):%n%n| k | Chaintrace p50 / p95 (ms) | Neo4j spend graph p50 / p95 | Neo4j UTXO p50 / p95 | JGraphT p50 / p95"
                + " | Neo4j spend / Chaintrace (p50) | Neo4j UTXO / Chaintrace (p50) |%n|---|---|---|---|---|---|---|%n"));
        for (int k = 1; k <= s.maxHops(); k++) {
            Latencies c = firstPass.get("Chaintrace").get(k);
            Latencies nj = firstPass.get("Neo4j").get(k);
            Latencies nu = firstPass.get("Neo4j UTXO").get(k);
            Latencies j = firstPass.get("JGraphT").get(k);
            sb.append(String.format("| %d | %s / %s | %s / %s | %s / %s | %s / %s | %s | %s |%n", k, ms(c.percentile(0.5)), ms(c.percentile(0.95)),
                    ms(nj.percentile(0.5)), ms(nj.percentile(0.95)), ms(nu.percentile(0.5)), ms(nu.percentile(0.95)), ms(j.percentile(0.5)),
                    ms(j.percentile(0.95)), ratio(nj, c, 0.5), ratio(nu, c, 0.5)));
        }
        sb.append(String.format("%nAmounts (Chaintrace only; Neo4j and a plain graph walk do not express them), 6 hops from every output of"
                + " the seed transaction: poison p50 %s ms, p95 %s ms; haircut p50 %s ms, p95 %s ms.%n", ms(traces.get("poison").percentile(0.5)),
                ms(traces.get("poison").percentile(0.95)), ms(traces.get("haircut").percentile(0.5)), ms(traces.get("haircut").percentile(0.95))));
        return sb.toString();
    }

    /** A peer's percentile over Chaintrace's, "-" when the peer timed out on too many seeds to have one. */
    private static String ratio(Latencies peer, Latencies chaintrace, double p) {
        return peer.percentile(p) < 0 ? "-" : String.format("%.0fx", (double) peer.percentile(p) / Math.max(1, chaintrace.percentile(p)));
    }
}
