package io.chaintrace.cli.serve;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.chaintrace.cli.report.CaseReport;
import io.chaintrace.cli.report.ReportWriter;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Case files in one directory: {@code NAME.case.json} (seeds, policy, direction, hops, the nodes expanded, the notes, and
 * the digest of the store they were made on) and the report exported from each ({@code NAME.report/}). Names are plain
 * (letters, digits, {@code . _ -}): nothing outside the directory is read or written. A case already saved is replaced
 * only when asked; every file is written whole (to a temporary file, then moved into place).
 */
public final class SavedCases {
    /** The format a case file declares: a later reader knows what it reads. */
    public static final String FORMAT = "chaintrace-case/1";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String SUFFIX = ".case.json";
    static final int MAX_NOTES = 10_000;
    static final int MAX_NOTE = 10_000;
    static final int MAX_EXPANDED = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;

    public SavedCases(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** A node expanded in a case, on one side (out or in). */
    public record Expanded(String node, String side) {
    }

    /**
     * A case as saved: what it traces, what the investigator opened and wrote, and the store it was made on ({@code
     * storeDigest}: a case loaded on another store says so).
     */
    public record InvestigationCase(String format, List<String> seeds, String policy, String direction, int hops, List<Expanded> expanded,
                                    Map<String, String> notes, String storeDigest, String saved) {
        public InvestigationCase {
            expanded = expanded == null ? List.of() : List.copyOf(expanded);
            notes = notes == null ? Map.of() : Map.copyOf(notes);
        }

        /** Checks what a file or a request holds before anything is written or traced; returns the case's trace. */
        public Workspace.CaseSpec check() {
            if (!FORMAT.equals(format)) {
                throw new IllegalArgumentException("a case declares format " + FORMAT + ", not " + format);
            }
            if (expanded.size() > MAX_EXPANDED) {
                throw new IllegalArgumentException("a case keeps at most " + MAX_EXPANDED + " expanded nodes, not " + expanded.size());
            }
            for (Expanded e : expanded) {
                if (e == null || e.node() == null || !(e.node().startsWith("btc:") || e.node().startsWith("eth:")) || e.node().length() > 300
                        || !("out".equals(e.side()) || "in".equals(e.side()))) {
                    throw new IllegalArgumentException("an expanded node is {\"node\": \"btc:ADDRESS\" or \"eth:ADDRESS\", \"side\": \"out\" or \"in\"}");
                }
            }
            if (notes.size() > MAX_NOTES) {
                throw new IllegalArgumentException("a case keeps at most " + MAX_NOTES + " notes, not " + notes.size());
            }
            notes.forEach((on, text) -> {
                if (on.length() > 1_000 || text == null || text.length() > MAX_NOTE) {
                    throw new IllegalArgumentException("a note is at most " + MAX_NOTE + " characters, on a node or flow id of at most 1,000");
                }
            });
            return new Workspace.CaseSpec(seeds, policy, direction, hops);
        }
    }

    /** Names of the saved cases, sorted. */
    public List<String> list() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(SUFFIX))
                    .map(n -> n.substring(0, n.length() - SUFFIX.length())).filter(n -> NAME.matcher(n).matches()).sorted().toList();
        }
    }

    public InvestigationCase load(String name) throws IOException {
        Path f = file(name);
        if (!Files.exists(f)) {
            throw new Workspace.NotFound("no case named '" + name + "' in " + dir);
        }
        InvestigationCase c;
        try {
            c = JSON.readValue(f.toFile(), InvestigationCase.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException(f + ": not a case file (" + firstLine(e.getOriginalMessage()) + ")", e);
        }
        c.check();
        return c;
    }

    /** Saves a case; one already saved under the name is replaced only when {@code replace} is set. */
    public Path save(String name, InvestigationCase c, boolean replace) throws IOException {
        c.check();
        Path f = file(name);
        if (Files.exists(f) && !replace) {
            throw new FileAlreadyExistsException(f.toString(), null, "a case named '" + name + "' is saved already: replace it or choose another name");
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            JSON.writeValue(tmp.toFile(), c);
            try {
                Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return f;
    }

    /** Writes a case's report beside it ({@code NAME.report/}), replacing the case's earlier export: each export is asked for. */
    public ReportWriter.Written export(String name, CaseReport report) {
        checkName(name);
        return ReportWriter.write(report, reportDir(name), true);
    }

    public Path reportDir(String name) {
        checkName(name);
        return dir.resolve(name + ".report");
    }

    private Path file(String name) {
        checkName(name);
        return dir.resolve(name + SUFFIX);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a case name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit; not '"
                    + (name == null ? "" : name.length() > 80 ? name.substring(0, 80) + "…" : name) + "'");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
