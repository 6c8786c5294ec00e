package io.chaintrace.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * A job's output written whole: into a temporary file or directory beside the target, moved into place when complete.
 * A job killed mid-run and run again writes its output once (the killed run leaves a hidden temporary, never a part of
 * the target); a target already there is replaced only when asked.
 */
final class Committed {
    private Committed() {
    }

    /** Refuses an existing target unless {@code replace}: checked before a job starts, so that it fails at once. */
    static void mayWrite(Path target, boolean replace) {
        if (Files.exists(target) && !replace) {
            throw new IllegalArgumentException(target + " exists; rerun with --force to replace it");
        }
    }

    /** Text (a results file) written whole. */
    static void text(Path target, CharSequence text, boolean replace) {
        mayWrite(target, replace);
        Path tmp = null;
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            tmp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the move took it, or the directory is gone: nothing of the target depends on it
                }
            }
        }
    }

    /** A table written as Parquet, whole: Spark writes the temporary directory, which is then moved to {@code target}. */
    static void table(Dataset<Row> rows, Path target, boolean replace) {
        mayWrite(target, replace);
        Path parent = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
        try {
            Path table = tmp.resolve("table");
            rows.write().mode(SaveMode.ErrorIfExists).parquet(table.toString());
            if (Files.exists(target)) {
                ParquetExport.delete(target);
            }
            Files.move(table, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the table into " + target + ": " + e.getMessage(), e);
        } finally {
            ParquetExport.delete(tmp);
        }
    }
}
