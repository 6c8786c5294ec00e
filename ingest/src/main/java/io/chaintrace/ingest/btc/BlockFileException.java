package io.chaintrace.ingest.btc;

import java.nio.file.Path;

/**
 * Bad input in a block file, with where it is: file and byte offset (-1 when the problem is the
 * path itself, e.g. an unreadable directory).
 */
public final class BlockFileException extends RuntimeException {
    private final Path file;
    private final long offset;

    public BlockFileException(Path file, long offset, String problem, Throwable cause) {
        super(offset >= 0 ? file + ": offset " + offset + ": " + problem : file + ": " + problem, cause);
        this.file = file;
        this.offset = offset;
    }

    public BlockFileException(Path file, long offset, String problem) {
        this(file, offset, problem, null);
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
