package io.chaintrace.cli;

import io.chaintrace.graph.RowRef;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.compact.OutputRefs;
import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.graph.ChainStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code chaintrace batch}: many Bitcoin seeds traced forward in parallel on the compact engine,
 * one JSON line per seed. Resumable: the results file is the record of what is done, so a rerun
 * skips every seed with a line and appends the rest (a line cut short by a kill is dropped and
 * its seed traced again). A seed that cannot be traced gets an error line and the run goes on.
 * Memory is bounded by the page caches ({@code --cache-mb}, shared out among the threads) and a
 * bounded queue of seeds, whatever the size of the seeds file.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Trace many Bitcoin seeds forward (compact engine), one JSON result line per seed, in parallel.",
            "Seeds: CSV with a 'seed' column (and optionally 'id'), JSON lines {\"id\":..,\"seed\":..}, or one seed per line.",
            "A seed is txid:vout, a txid or a Bitcoin address (what it received from others). Rerunning with the same --out skips seeds already done."})
final class BatchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--store", required = true, description = "Store directory.")
    Path store;

    @Option(names = "--seeds", required = true, description = "Seeds file (.csv, .jsonl, or one seed per line).")
    Path seeds;

    @Option(names = "--out", required = true, description = "Results file (JSON lines); appended to, never overwritten.")
    Path out;

    @Option(names = "--policy", defaultValue = "haircut", description = "poison, haircut, fifo, lifo or tiho (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--hops", defaultValue = "3", description = "Hops to follow (default: ${DEFAULT-VALUE}).")
    int hops;

    @Option(names = "--stop-at", split = ",", description = "Categories that end a path (default: exchange,deposit,bridge,mixer,dex,sanctioned).")
    List<String> stopAt;

    @Option(names = "--threads", description = "Tracing threads (default: one per core).")
    Integer threads;

    @Option(names = "--cache-mb", defaultValue = "512", description = "Page cache for all threads together, MB (default: ${DEFAULT-VALUE}).")
    long cacheMb;

    @Option(names = "--no-progress", description = "Do not draw a progress bar.")
    boolean noProgress;

    @Mixin
    MetricsOptions metrics;

    /** One line of the seeds file. */
    record SeedLine(long line, String id, String seed, String error) {
    }

    /** What a run did. */
    record Summary(long done, long failed, long skipped, double seconds) {
        double rate() {
            return (done + failed) / Math.max(1e-9, seconds);
        }
    }

    @Override
    public Integer call() throws Exception {
        TaintPolicy p = TaintPolicy.named(policy);
        if (hops < 1) {
            throw new IllegalArgumentException("--hops must be at least 1, got " + hops);
        }
        if (!Files.isRegularFile(seeds)) {
            throw new IllegalArgumentException("seeds file " + seeds + " not found");
        }
        try (MetricsOptions.Session m = metrics.start()) {
            Summary s = run(p, m.registry());
            System.err.printf("batch: %,d seeds traced, %,d failed (error lines), %,d already done and skipped, in %.1f s (%,.0f seeds/s); results in %s%n",
                    s.done(), s.failed(), s.skipped(), s.seconds(), s.rate(), out);
        }
        return ExitCode.OK;
    }

    Summary run(TaintPolicy p, MeterRegistry registry) throws Exception {
        Set<String> done = finished(out);
        long total = noProgress ? 0 : countLines(seeds); // only the progress bar needs it: a pass over the file
        Set<LabelCategory> stops = stopAt == null ? TraceRequest.SERVICES : stopAt.stream().map(LabelCategory::fromId)
                .collect(java.util.stream.Collectors.toSet());
        int n = threads != null ? Math.max(1, threads) : Runtime.getRuntime().availableProcessors();
        Counter tracedCounter = Counter.builder("chaintrace.batch.seeds").tag("outcome", "done").description("Seeds by outcome").register(registry);
        Counter failedCounter = Counter.builder("chaintrace.batch.seeds").tag("outcome", "failed").description("Seeds by outcome").register(registry);
        Counter skippedCounter = Counter.builder("chaintrace.batch.seeds").tag("outcome", "skipped").description("Seeds by outcome").register(registry);
        Timer latency = Timer.builder("chaintrace.trace.latency").tag("engine", "compact").publishPercentileHistogram()
                .description("Time per trace").register(registry);
        Counter edges = Counter.builder("chaintrace.trace.edges").description("Edges visited by traces").register(registry);
        AtomicLong traced = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        registry.gauge("chaintrace.batch.rate", traced, t -> (t.get() + failed.get()) / Math.max(1e-9, (System.nanoTime() - start) / 1e9));
        BlockingQueue<SeedLine> queue = new ArrayBlockingQueue<>(4 * 1024);
        SeedLine end = new SeedLine(-1, "", "", null);
        long skipped = 0;
        try (ChainStore cs = ChainStore.openReadOnly(store);
             BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
             ProgressBar bar = noProgress ? null : new ProgressBarBuilder().setTaskName("seeds").setInitialMax(total)
                     .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500)
                     .showSpeed().setUnit(" seeds", 1).build()) {
            Map<Integer, String> entities = new ConcurrentHashMap<>();
            List<Thread> workers = new ArrayList<>();
            List<Throwable> crashed = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < n; i++) {
                PagedChain rows = cs.compactRows(stops, (cacheMb << 20) / n);
                CompactTracer tracer = new CompactTracer(rows);
                Thread t = Thread.ofPlatform().name("batch-" + i).start(() -> {
                    try {
                        for (SeedLine s = queue.take(); s != end; s = queue.take()) {
                            Map<String, Object> line;
                            if (s.error() != null) {
                                line = error(s, s.error());
                            } else {
                                try {
                                    long t0 = System.nanoTime();
                                    line = trace(cs, tracer, s, p, stops, entities, edges);
                                    latency.record(System.nanoTime() - t0, java.util.concurrent.TimeUnit.NANOSECONDS);
                                } catch (IllegalArgumentException e) { // a bad seed or one not in the store
                                    line = error(s, e.getMessage());
                                }
                            }
                            String text = Json.line(line);
                            synchronized (w) {
                                w.write(text);
                                w.write('\n');
                            }
                            (line.containsKey("error") ? failed : traced).incrementAndGet();
                            (line.containsKey("error") ? failedCounter : tracedCounter).increment();
                            if (bar != null) {
                                bar.step();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (IOException | RuntimeException e) {
                        crashed.add(e);
                    }
                });
                workers.add(t);
            }
            Thread flusher = Thread.ofPlatform().daemon().start(() -> {
                // A line written is a seed done: flush often so that a kill loses little work.
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        Thread.sleep(500);
                        synchronized (w) {
                            w.flush();
                        }
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        crashed.add(e);
                        return;
                    }
                }
            });
            try (BufferedReader r = Files.newBufferedReader(seeds, StandardCharsets.UTF_8)) {
                SeedReader reader = new SeedReader(seeds);
                String text;
                long lineNo = 0;
                while ((text = r.readLine()) != null) {
                    lineNo++;
                    SeedLine s = reader.parse(lineNo, text);
                    if (s == null) {
                        if (bar != null) {
                            bar.step();
                        }
                        continue;
                    }
                    if (done.contains(s.id())) {
                        skipped++;
                        skippedCounter.increment();
                        if (bar != null) {
                            bar.step();
                        }
                        continue;
                    }
                    done.add(s.id()); // a seed listed twice is traced once
                    // Never block on a queue nobody drains: a worker that failed ends the run.
                    while (!queue.offer(s, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        if (!crashed.isEmpty()) {
                            break;
                        }
                    }
                    if (!crashed.isEmpty()) {
                        break;
                    }
                }
            } finally {
                if (!crashed.isEmpty()) {
                    queue.clear();
                }
                for (int i = 0; i < n; i++) {
                    while (!queue.offer(end, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        if (!crashed.isEmpty()) {
                            queue.clear();
                        }
                    }
                }
                for (Thread t : workers) {
                    t.join();
                }
                flusher.interrupt();
                synchronized (w) {
                    w.flush();
                }
            }
            if (!crashed.isEmpty()) {
                Throwable e = crashed.getFirst();
                throw e instanceof RuntimeException re ? re : new UncheckedIOException(new IOException(e));
            }
        }
        return new Summary(traced.get(), failed.get(), skipped, (System.nanoTime() - start) / 1e9);
    }

    private Map<String, Object> trace(ChainStore cs, CompactTracer tracer, SeedLine s, TaintPolicy p, Set<LabelCategory> stops,
                                      Map<Integer, String> entities, Counter edges) {
        OutputRefs refs = outputRefs(cs, List.of(Seed.parse(s.seed())));
        CompactTracer.Result r = tracer.forward(refs, p, hops);
        edges.increment(r.edgesVisited());
        Map<String, Long> byEntity = new TreeMap<>();
        r.endpointTaint().forEach((owner, amount) -> byEntity.merge(entities.computeIfAbsent(owner, o -> entity(cs, o, stops)), amount, Long::sum));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("seed", s.seed());
        m.put("policy", p.name());
        m.put("hops", hops);
        m.put("seeded", r.seeded());
        m.put("endpoints", r.endpoints());
        m.put("unspent", r.unspent());
        m.put("fees", r.fees());
        m.put("cutByHops", r.cutByHops());
        m.put("absorbedBySeeds", r.absorbedBySeeds());
        m.put("endpointsByEntity", byEntity);
        m.put("edgesVisited", r.edgesVisited());
        return m;
    }

    /**
     * The compact engine's seeds, found in the store: outputs ({@code txid:vout}), transactions (all
     * their outputs) and Bitcoin addresses (what the address received from others, as the object
     * tracer seeds it: outputs paying it in transactions that spend none of its own outputs, so its
     * change to itself is followed, not seeded twice).
     */
    static OutputRefs outputRefs(ChainStore cs, List<Seed> seeds) {
        List<Outpoint> outs = new ArrayList<>();
        for (Seed seed : seeds) {
            switch (seed) {
                case Seed.OutpointSeed o -> outs.add(o.outpoint());
                case Seed.TransactionSeed t -> cs.transaction(t.txid()).orElseThrow(() -> notFound("transaction " + t.txid())).outputs()
                        .forEach(o -> outs.add(new Outpoint(t.txid(), o.index())));
                case Seed.AddressSeed a when a.address().chain() == io.chaintrace.core.model.Chain.BITCOIN -> outs.addAll(inflows(cs, a.address()));
                case Seed.AddressSeed a -> throw new IllegalArgumentException(a + " is an Ethereum address: the compact engine traces Bitcoin"
                        + " (trace it with chaintrace trace --seed " + a + ")");
                default -> throw new IllegalArgumentException("the compact engine seeds whole outputs (txid:vout), transactions (txid) and"
                        + " addresses, not " + seed + " (part of an output: chaintrace trace --engine object)");
            }
        }
        int[] tx = new int[outs.size()];
        int[] vout = new int[outs.size()];
        for (int i = 0; i < outs.size(); i++) {
            Outpoint op = outs.get(i);
            RowRef r = cs.rowOf(op).orElseThrow(() -> notFound("output " + op));
            tx[i] = r.tx();
            vout[i] = r.vout();
        }
        return new OutputRefs(tx, vout);
    }

    private static List<Outpoint> inflows(ChainStore cs, Address address) {
        if (cs.addressId(address).isEmpty()) {
            throw notFound("address " + address.text()); // with how to ingest what holds it
        }
        List<Outpoint> outs = new ArrayList<>();
        io.chaintrace.core.trace.UtxoTracer.inflows(cs, address, (tx, o) -> outs.add(new Outpoint(tx.txid(), o.index())));
        return outs;
    }

    private static io.chaintrace.core.trace.UtxoTracer.SeedNotFoundException notFound(String what) {
        return new io.chaintrace.core.trace.UtxoTracer.SeedNotFoundException(what + " is not in the store (ingest the blocks that hold it:"
                + " chaintrace ingest btc-blocks <blocks dir> --store DIR)");
    }

    /** What to call an endpoint owner: its most confident label's entity among the stop categories, else its address. */
    static String entity(ChainStore cs, int owner, Set<LabelCategory> stops) {
        Address a = cs.address(owner);
        return cs.labelsOf(a).stream().filter(l -> stops.contains(l.category())).max(java.util.Comparator.comparingDouble(Label::confidence))
                .map(Label::entity).orElse(a.text());
    }

    private static Map<String, Object> error(SeedLine s, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("seed", s.seed());
        m.put("line", s.line());
        m.put("error", message);
        return m;
    }

    /**
     * The ids with a result line. A last line cut short (the process was killed while writing it)
     * is cut off the file, so that its seed is traced again and the file stays JSON lines.
     */
    static Set<String> finished(Path out) throws IOException {
        Set<String> ids = new HashSet<>();
        if (!Files.exists(out)) {
            return ids;
        }
        long good = 0;
        long offset = 0;
        try (BufferedReader r = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                long next = offset + line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (!line.isBlank()) {
                    try {
                        JsonNode n = JSON.readTree(line);
                        if (n == null || !n.hasNonNull("id")) {
                            break;
                        }
                        ids.add(n.get("id").asText());
                    } catch (JacksonException e) {
                        break;
                    }
                }
                offset = next;
                good = Math.min(offset, Files.size(out));
            }
        }
        try (RandomAccessFile f = new RandomAccessFile(out.toFile(), "rw")) {
            if (good < f.length()) {
                f.setLength(good);
            }
            // A whole last line whose newline was not written yet: end it, so the next line starts on its own.
            if (f.length() > 0) {
                f.seek(f.length() - 1);
                if (f.read() != '\n') {
                    f.write('\n');
                }
            }
        }
        return ids;
    }

    private static long countLines(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.count();
        }
    }

    /** Reads seed lines: CSV with a header naming a 'seed' column, JSON lines, or bare seeds. */
    static final class SeedReader {
        private final Path file;
        private List<String> header;
        private boolean first = true;

        SeedReader(Path file) {
            this.file = file;
        }

        /** The seed on this line, an error seed line when it cannot be read, or null for a header or blank line. */
        SeedLine parse(long line, String text) {
            String t = text.strip();
            if (first) {
                first = false;
                if (!t.startsWith("{") && t.toLowerCase(Locale.ROOT).matches("(.*,)?\\s*seed\\s*(,.*)?")) {
                    header = List.of(t.toLowerCase(Locale.ROOT).split("\\s*,\\s*"));
                    return null;
                }
            }
            if (t.isEmpty() || t.startsWith("#")) {
                return null;
            }
            String where = file.getFileName() + " line " + line;
            if (t.startsWith("{")) {
                try {
                    JsonNode n = JSON.readTree(t);
                    if (!n.hasNonNull("seed")) {
                        return new SeedLine(line, where, "", where + ": no \"seed\" field");
                    }
                    String seed = n.get("seed").asText().strip();
                    return new SeedLine(line, n.hasNonNull("id") ? n.get("id").asText() : seed, seed, null);
                } catch (JacksonException e) {
                    return new SeedLine(line, where, t, where + ": not JSON: " + e.getOriginalMessage());
                }
            }
            if (header != null) {
                String[] cells = t.split(",", -1);
                if (cells.length != header.size()) {
                    return new SeedLine(line, where, t, where + ": " + cells.length + " fields, the header has " + header.size());
                }
                String seed = cells[header.indexOf("seed")].strip();
                int idColumn = header.indexOf("id");
                return new SeedLine(line, idColumn >= 0 && !cells[idColumn].isBlank() ? cells[idColumn].strip() : seed, seed, null);
            }
            return new SeedLine(line, t, t, null);
        }
    }
}
