package io.chaintrace.cli.app;

import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.UtxoTracer.SeedNotFoundException;
import io.chaintrace.graph.ChainStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;

/**
 * Many Bitcoin seeds traced forward in parallel on the compact engine, one JSON line per seed
 * ({@link Documents.BatchResult}, or {@link Documents.BatchError} for a seed that cannot be traced).
 * Resumable: the results file is the record of what is done ({@link ResultsFile}). Memory is bounded
 * by the page caches (shared out among the threads) and a bounded queue of seeds, whatever the size
 * of the seeds file.
 */
public final class BatchRun {
    /** What to run: the store, seeds and results files, the trace settings and the resources. */
    public record Settings(Path store, Path seeds, Path out, TaintPolicy policy, int hops, Set<LabelCategory> stopAt, int threads,
                           long cacheBytes, boolean progress) {
    }

    /** What a run did. */
    public record Summary(long done, long failed, long skipped, double seconds) {
        public double rate() {
            return (done + failed) / Math.max(1e-9, seconds);
        }
    }

    private static final String NOT_STORED = " (ingest the blocks that hold it: chaintrace ingest btc-blocks <blocks dir> --store DIR)";

    private final Settings settings;
    private final MeterRegistry registry;

    public BatchRun(Settings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
    }

    public Summary run() throws Exception {
        Settings s = settings;
        long total = s.progress() ? countSeeds(s.seeds()) : 0; // only the progress bar needs it: a pass over the file
        int n = s.threads();
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
        BlockingQueue<SeedFile.SeedLine> queue = new ArrayBlockingQueue<>(4 * 1024);
        SeedFile.SeedLine end = new SeedFile.SeedLine(-1, "", "", null);
        long skipped = 0;
        try (ChainStore cs = ChainStore.openReadOnly(s.store());
             ResultsFile w = ResultsFile.open(s.out(), s.seeds());
             ProgressBar bar = !s.progress() ? null : ProgressBars.builder("seeds", total).showSpeed().setUnit(" seeds", 1).build()) {
            Map<Integer, String> entities = new ConcurrentHashMap<>();
            List<Thread> workers = new ArrayList<>();
            List<Throwable> crashed = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < n; i++) {
                PagedChain rows = cs.compactRows(s.stopAt(), s.cacheBytes() / n);
                CompactTracer tracer = new CompactTracer(rows);
                Thread t = Thread.ofPlatform().name("batch-" + i).start(() -> {
                    try {
                        for (SeedFile.SeedLine line = queue.take(); line != end; line = queue.take()) {
                            Object result;
                            if (line.error() != null) {
                                result = new Documents.BatchError(line.id(), line.seed(), line.line(), line.error());
                            } else {
                                try {
                                    long t0 = System.nanoTime();
                                    result = trace(cs, tracer, line, entities, edges);
                                    latency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                                } catch (SeedNotFoundException e) {
                                    result = new Documents.BatchError(line.id(), line.seed(), line.line(), e.getMessage() + NOT_STORED);
                                } catch (IllegalArgumentException e) { // a bad seed
                                    result = new Documents.BatchError(line.id(), line.seed(), line.line(), e.getMessage());
                                }
                            }
                            w.append(Json.line(result));
                            boolean error = result instanceof Documents.BatchError;
                            (error ? failed : traced).incrementAndGet();
                            (error ? failedCounter : tracedCounter).increment();
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
                        w.flush();
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        crashed.add(e);
                        return;
                    }
                }
            });
            try (BoundedLines r = new BoundedLines(s.seeds(), SeedFile.MAX_LINE)) {
                SeedFile reader = new SeedFile(s.seeds());
                for (BoundedLines.Line text = r.next(); text != null; text = r.next()) {
                    SeedFile.SeedLine line = reader.parse(text);
                    if (line == null) {
                        continue; // the header, a blank line or a comment: not a seed, not counted
                    }
                    if (w.has(line.id(), line.seed())) {
                        skipped++;
                        skippedCounter.increment();
                        if (bar != null) {
                            bar.step();
                        }
                        continue;
                    }
                    String before = w.seedOf(line.id());
                    if (before != null && line.error() == null) {
                        // An id names one seed: a second seed under it would be taken for done on a rerun.
                        line = new SeedFile.SeedLine(line.line(), line.id(), line.seed(), s.seeds().getFileName() + " line " + line.line()
                                + ": id " + line.id() + " was already used for seed " + before + "; give each seed an id of its own");
                    }
                    w.claim(line.id(), line.seed()); // a seed listed twice is traced once
                    // Never block on a queue nobody drains: a worker that failed ends the run.
                    while (!queue.offer(line, 100, TimeUnit.MILLISECONDS)) {
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
                    while (!queue.offer(end, 100, TimeUnit.MILLISECONDS)) {
                        if (!crashed.isEmpty()) {
                            queue.clear();
                        }
                    }
                }
                for (Thread t : workers) {
                    t.join();
                }
                flusher.interrupt();
                w.flush();
            }
            if (!crashed.isEmpty()) {
                Throwable e = crashed.getFirst();
                throw switch (e) {
                    case RuntimeException re -> re;
                    case IOException io -> new UncheckedIOException(io);
                    default -> new UncheckedIOException(new IOException(e));
                };
            }
        }
        return new Summary(traced.get(), failed.get(), skipped, (System.nanoTime() - start) / 1e9);
    }

    private Documents.BatchResult trace(ChainStore cs, CompactTracer tracer, SeedFile.SeedLine line, Map<Integer, String> entities,
                                        Counter edges) {
        CompactTracer.Result r = tracer.forward(CompactSeeds.rows(cs, List.of(Seed.parse(line.seed()))), settings.policy(), settings.hops());
        edges.increment(r.edgesVisited());
        Map<String, Long> byEntity = new TreeMap<>();
        r.endpointTaint().forEach((owner, amount) -> byEntity.merge(
                entities.computeIfAbsent(owner, o -> CompactSeeds.entity(cs, o, settings.stopAt())), amount, Long::sum));
        return Documents.BatchResult.of(line.id(), line.seed(), settings.policy().name(), settings.hops(), r, byEntity);
    }

    /** The seed lines of the file (as the run will read them: not the header, blank lines or comments), for the progress bar. */
    public static long countSeeds(Path file) throws IOException {
        long n = 0;
        try (BoundedLines r = new BoundedLines(file, SeedFile.MAX_LINE)) {
            SeedFile reader = new SeedFile(file);
            for (BoundedLines.Line text = r.next(); text != null; text = r.next()) {
                n += reader.parse(text) == null ? 0 : 1;
            }
        }
        return n;
    }
}
