package io.chaintrace.cli.app;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A batch results file (JSON lines, one per seed), the record of what is done so that a rerun
 * resumes. Its first line is a header that names it, so a file that is not one (notes, the seeds
 * file itself) is never written to; it is locked while a batch writes it, so two batches never
 * interleave their lines in one file. A last line cut short by a kill is cut off, so its seed is
 * traced again and the file stays JSON lines; any other line that is not a result leaves the file
 * as it is and stops the run.
 */
public final class ResultsFile implements Closeable {
    /** The first line of every results file. */
    public static final String HEADER = "{\"chaintrace\":\"batch results\",\"format\":1}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    /** The first seed each id has a line for. */
    private final Map<String, String> done;
    /** Every (id, seed) pair with a line, result or error. */
    private final Set<String> lines = new HashSet<>();
    /** Complete lines not yet on disk. */
    private final StringBuilder pending = new StringBuilder();
    /** Where the last complete line on disk ends: a write that fails is cut back to it. */
    private long committed;

    private ResultsFile(Path path, FileChannel channel, FileLock lock, Map<String, String> done, Set<String> lines) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.done = done;
        this.lines.addAll(lines);
        try {
            this.committed = channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens {@code out} for a batch over {@code seeds}: created with its header when missing or empty, else
     * checked to be a results file; locked for this run; positioned after its last complete line.
     *
     * @throws IllegalArgumentException naming the file when it is the seeds file, not a results file, or in use
     */
    public static ResultsFile open(Path out, Path seeds) throws IOException {
        if (Files.isSymbolicLink(out)) {
            throw new IllegalArgumentException("--out " + out + " is a symbolic link: results are written to a file of their own");
        }
        if (Files.exists(out) && Files.exists(seeds) && Files.isSameFile(out, seeds)) {
            throw new IllegalArgumentException("--out " + out + " is the seeds file: results go to a file of their own");
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("--out " + out + " is not a regular file");
        }
        FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new IllegalArgumentException("--out " + out + " is being written by another chaintrace batch (it is locked);"
                        + " wait for it to finish or choose another --out");
            }
            Map<String, String> done = new HashMap<>();
            Set<String> lines = new HashSet<>();
            if (ch.size() == 0) {
                ch.write(StandardCharsets.UTF_8.encode(HEADER + "\n"));
            } else {
                long end = readResults(out, ch, done, lines);
                if (end < ch.size()) {
                    ch.truncate(end);
                }
            }
            ch.position(ch.size());
            return new ResultsFile(out, ch, lock, done, lines);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Reads the header and every result line into {@code done}; returns where the last complete line ends. */
    private static long readResults(Path out, FileChannel ch, Map<String, String> done, Set<String> lines) throws IOException {
        ch.position(0);
        BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        String first = r.readLine();
        if (first == null || !first.strip().equals(HEADER)) {
            throw new IllegalArgumentException("--out " + out + " is not a chaintrace batch results file (its first line is not "
                    + HEADER + "); it is left as it is: choose another --out");
        }
        long offset = first.getBytes(StandardCharsets.UTF_8).length + 1;
        long lineNo = 1;
        String line;
        String pending = null;
        long pendingStart = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (pending != null) {
                // A bad line before the last one is no kill's doing: the file was edited or is not ours.
                throw new IllegalArgumentException("--out " + out + " line " + (lineNo - 1) + ": not a result line; the file is left"
                        + " as it is: choose another --out");
            }
            long start = offset;
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = result(line);
            if (n == null) {
                pending = line;
                pendingStart = start;
                continue;
            }
            String id = n.get("id").asText();
            String seed = n.hasNonNull("seed") ? n.get("seed").asText() : "";
            done.putIfAbsent(id, seed); // the first line of an id names its seed; a later one is a conflict's error line
            lines.add(pair(id, seed));
        }
        if (pending != null) {
            return pendingStart; // cut by a kill while it was written: drop it, its seed is traced again
        }
        // A last line complete but for its newline is kept; the newline is added so the next line starts on its own.
        if (offset > ch.size()) {
            ch.position(ch.size());
            ch.write(StandardCharsets.UTF_8.encode("\n"));
        }
        return ch.size();
    }

    /** The line as a result (a JSON object with an id), or null when it is not one. */
    private static JsonNode result(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.hasNonNull("id") ? n : null;
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The seed a result id was first traced for, if this file has a line for it. */
    public String seedOf(String id) {
        return done.get(id);
    }

    /** Whether this file has a line (a result or an error) for this id and seed. */
    public boolean has(String id, String seed) {
        return lines.contains(pair(id, seed));
    }

    /** Records that a line for {@code id} and {@code seed} is being written (a seed listed twice is traced once). */
    public void claim(String id, String seed) {
        done.putIfAbsent(id, seed);
        lines.add(pair(id, seed));
    }

    private static String pair(String id, String seed) {
        return id + "\n" + seed;
    }

    /** Appends one result line. */
    public synchronized void append(String line) throws IOException {
        pending.append(line).append('\n');
        if (pending.length() >= 1 << 13) { // small writes: a failing disk loses little
            flush();
        }
    }

    /**
     * Writes the lines appended so far. When the disk refuses them (full, or gone) the file is cut back
     * to its last complete line, so it never ends in a torn line, and the error says how far it got.
     */
    public synchronized void flush() throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pending));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            try {
                channel.truncate(committed);
                channel.position(committed);
            } catch (IOException ignored) {
                // the error below is what matters; the next open drops a torn last line anyway
            }
            pending.setLength(0);
            throw new IOException("cannot write results to " + path + ": " + (e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage()) + "; the results written before are kept, run the batch again to continue", e);
        }
        committed = channel.position();
        pending.setLength(0);
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            flush();
            channel.force(false);
        } finally {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        }
    }
}
