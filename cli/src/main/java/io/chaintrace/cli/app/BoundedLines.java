package io.chaintrace.cli.app;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lines of a text file, each at most {@code max} characters: a longer line is read to its end
 * without being held and reported as too long, so a file of one huge line cannot exhaust memory.
 */
final class BoundedLines implements Closeable {
    /** One line: its number, its text (null when too long), and its length when too long. */
    record Line(long number, String text, long tooLong) {
    }

    private final BufferedReader in;
    private final Path file;
    private final int max;
    private final StringBuilder buf = new StringBuilder();
    private long number;

    BoundedLines(Path file, int max) throws IOException {
        this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        this.file = file;
        this.max = max;
    }

    /**
     * The next line, or null at the end of the file.
     *
     * @throws IllegalArgumentException naming the file and line when the bytes are not UTF-8 text
     */
    Line next() throws IOException {
        try {
            return read();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": line " + (number + 1) + ": not UTF-8 text");
        }
    }

    private Line read() throws IOException {
        buf.setLength(0);
        long length = 0;
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c == '\r') {
                continue;
            }
            if (length++ < max) {
                buf.append((char) c);
            }
        }
        if (c < 0 && length == 0) {
            return null;
        }
        number++;
        return length > max ? new Line(number, null, length) : new Line(number, buf.toString(), 0);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
