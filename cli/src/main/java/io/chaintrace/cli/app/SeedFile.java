package io.chaintrace.cli.app;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.core.trace.Seed;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seeds files: for {@code trace}, one seed per line; for {@code batch}, CSV with a header naming a
 * {@code seed} column (and optionally {@code id}), JSON lines {@code {"id":..,"seed":..}}, or bare seeds.
 */
public final class SeedFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private List<String> header;
    private boolean first = true;

    /** One line of a batch seeds file: its id and seed, or why it cannot be read. */
    public record SeedLine(long line, String id, String seed, String error) {
    }

    public SeedFile(Path file) {
        this.file = file;
    }

    /**
     * The seeds of a {@code trace --seeds-file}: one per line, {@code #} comments; a Bitcoin seed that does not
     * parse is an error naming its line.
     */
    public static List<String> traceSeeds(Path file) throws IOException {
        List<String> seeds = new ArrayList<>();
        try (BoundedLines lines = new BoundedLines(file, MAX_LINE)) {
            for (BoundedLines.Line line = lines.next(); line != null; line = lines.next()) {
                if (line.text() == null) {
                    throw new IllegalArgumentException(file + ": line " + line.number() + ": " + tooLong(line));
                }
                String l = line.text().strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                try {
                    if (!TraceService.isEthereum(l)) {
                        Seed.parse(l);
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + ": line " + line.number() + ": " + e.getMessage(), e);
                }
                seeds.add(l);
            }
        }
        return seeds;
    }

    /** The longest seeds line read: an id and a seed are far shorter; a longer line is refused, not held. */
    static final int MAX_LINE = 10_000;

    static String tooLong(BoundedLines.Line line) {
        return String.format("%,d characters, more than a seeds line holds (at most %,d)", line.tooLong(), MAX_LINE);
    }

    /** The seed on this line of a batch seeds file, an error line when it cannot be read, or null for a header or blank line. */
    SeedLine parse(BoundedLines.Line l) {
        if (l.text() == null) {
            first = false;
            String where = file.getFileName() + " line " + l.number();
            return new SeedLine(l.number(), where, "", where + ": " + tooLong(l));
        }
        return parse(l.number(), l.text());
    }

    /** The seed on this line of a batch seeds file, an error line when it cannot be read, or null for a header or blank line. */
    public SeedLine parse(long line, String text) {
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
