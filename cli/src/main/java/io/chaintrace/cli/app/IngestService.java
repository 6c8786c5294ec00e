package io.chaintrace.cli.app;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.Source;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Runs any {@link Source} the same way: opens the store for writing, wraps the source's listener
 * with the progress bar and the meters, prints what the run did, then compacts the new compact rows
 * (one look-up per page for the traces that follow) and clusters the new transactions into entities.
 */
public final class IngestService {
    private IngestService() {
    }

    /** Whether to draw progress, and whether to cluster afterwards. */
    public record Options(boolean progress, boolean cluster) {
    }

    /** Opens the store at {@code store}, builds the source on it and runs it. */
    public static <R extends Source.Report> R run(Path store, Function<ChainStore, Source<R>> build, Options options, MeterRegistry registry) {
        try (ChainStore cs = ChainStore.open(store)) {
            Source<R> source = build.apply(cs);
            R report;
            try (IngestProgress progress = new IngestProgress(options.progress(), source.kind().unit)) {
                report = source.run(new MeteredIngest(progress, registry, source.kind().chain, source.kind().unit));
            }
            System.err.println(report.describe());
            if (report.written() > 0) {
                cs.compactPages();
            }
            if (options.cluster()) {
                Clustering.run(cs, options.progress());
            }
            return report;
        }
    }
}
