package io.chaintrace.cli;

import io.chaintrace.cli.app.BatchRun;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chaintrace batch}: many Bitcoin seeds traced forward in parallel on the compact engine,
 * one JSON line per seed ({@link BatchRun} does the work). Resumable: a rerun skips every seed with a
 * line and appends the rest (a line cut short by a kill is dropped and its seed traced again). A seed
 * that cannot be traced gets an error line and the run goes on.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Trace many Bitcoin seeds forward (compact engine), one JSON result line per seed, in parallel.",
            "Seeds: CSV with a 'seed' column (and optionally 'id'), JSON lines {\"id\":..,\"seed\":..}, or one seed per line.",
            "A seed is txid:vout, a txid or a Bitcoin address (what it received from others). Rerunning with the same --out skips seeds already done."})
final class BatchCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, description = "Store directory.")
    Path store;

    @Option(names = "--seeds", required = true, description = "Seeds file (.csv, .jsonl, or one seed per line).")
    Path seeds;

    @Option(names = "--out", required = true, description = "Results file (JSON lines); appended to, never overwritten.")
    Path out;

    @Option(names = "--policy", defaultValue = "haircut", description = "poison, haircut, fifo, lifo or tiho (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--hops", defaultValue = "6", description = "Transactions to follow from each seed, as trace (default: ${DEFAULT-VALUE}).")
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TaintPolicy p = TaintPolicy.named(policy);
        if (hops < 1) {
            throw new IllegalArgumentException("--hops must be at least 1, got " + hops);
        }
        if (!Files.isRegularFile(seeds)) {
            throw new IllegalArgumentException("seeds file " + seeds + " not found");
        }
        Set<LabelCategory> stops = stopAt == null ? TraceRequest.SERVICES : stopAt.stream().map(LabelCategory::fromId).collect(Collectors.toSet());
        int n = Threads.bounded(threads, spec);
        BatchRun.Settings settings = new BatchRun.Settings(store, seeds, out, p, hops, stops, n, cacheMb << 20, !noProgress);
        BatchRun.Summary s;
        try (MetricsOptions.Session m = metrics.start()) {
            s = new BatchRun(settings, m.registry()).run();
            System.err.printf("batch: %,d seeds traced, %,d failed (error lines), %,d already done and skipped, in %.1f s (%,.0f seeds/s); results in %s%n",
                    s.done(), s.failed(), s.skipped(), s.seconds(), s.rate(), out);
        }
        // Every seed has its line in --out either way; a script must still learn that some could not be traced.
        return s.failed() > 0 ? ExitCode.BAD_INPUT : ExitCode.OK;
    }
}
