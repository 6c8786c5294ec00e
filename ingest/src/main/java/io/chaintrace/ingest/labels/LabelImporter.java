package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.graph.LabelSink;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads label files in any known format and writes their labels to the store: the source of labels. */
public final class LabelImporter implements Source<LabelImporter.Summary> {
    private static final List<LabelSource> SOURCES = List.of(new TagPackSource(), new OfacListSource(), new OfacNamedSource(),
            new EtherscanCsvSource(), new PlainCsvSource(), new EtherscanCombinedSource());

    private final LabelSink store;
    private final List<Path> files;

    /** Imports {@code files} when run; {@link #importFile} imports one file at a time. */
    public LabelImporter(LabelSink store, List<Path> files) {
        this.store = store;
        this.files = List.copyOf(files);
    }

    public LabelImporter(LabelSink store) {
        this(store, List.of());
    }

    @Override
    public String name() {
        return "labels";
    }

    @Override
    public Kind kind() {
        return Kind.LABELS;
    }

    /** What a run did: one report per file. Label files are not blocks: nothing to compact or cluster afterwards. */
    public record Summary(List<FileReport> files) implements Source.Report {
        @Override
        public long written() {
            return 0;
        }

        @Override
        public String describe() {
            return String.format("imported %,d labels from %,d files", files.stream().mapToLong(FileReport::labels).sum(), files.size());
        }
    }

    /** Imports every file, each reported to {@code listener} as one step with its label count. */
    @Override
    public Summary run(IngestListener listener) {
        listener.started(files.size(), 0);
        List<FileReport> reports = new ArrayList<>();
        for (Path f : files) {
            FileReport r = importFile(f);
            reports.add(r);
            listener.block(r.labels());
        }
        return new Summary(reports);
    }

    /** What one file gave. */
    public record FileReport(Path file, String format, int labels, Map<LabelCategory, Integer> byCategory,
                             List<LabelSource.Rejected> rejected, int otherChains) {
    }

    /** The source that reads this file. */
    public static LabelSource sourceFor(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such label file");
        }
        String first = LineSource.firstLine(file);
        return SOURCES.stream().filter(s -> s.reads(file, first)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                file + ": unknown label format (TagPack YAML, OFAC sanctioned_addresses_*.txt, address,name CSV,"
                        + " Etherscan CSV or JSON, or chain,address,label,category,source CSV)"));
    }

    /** Imports one file: valid rows are stored, invalid ones reported in the result. */
    public FileReport importFile(Path file) {
        LabelSource source = sourceFor(file);
        LabelSource.Result r = source.read(file);
        Map<Address, List<Label>> byAddress = new LinkedHashMap<>();
        Map<LabelCategory, Integer> counts = new EnumMap<>(LabelCategory.class);
        for (Label l : r.labels()) {
            byAddress.computeIfAbsent(l.address(), k -> new ArrayList<>()).add(l);
            counts.merge(l.category(), 1, Integer::sum);
        }
        byAddress.forEach(store::putLabels);
        return new FileReport(file, source.getClass().getSimpleName().replace("Source", ""), r.labels().size(), counts, r.rejected(),
                r.otherChains());
    }
}
