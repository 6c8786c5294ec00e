package io.chaintrace.cli.app;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** A batch results file (JSON lines, one per seed): the record of what is done, so a rerun resumes. */
public final class ResultsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultsFile() {
    }

    /**
     * The ids with a result line. A last line cut short (the process was killed while writing it)
     * is cut off the file, so that its seed is traced again and the file stays JSON lines.
     */
    public static Set<String> finished(Path out) throws IOException {
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
}
