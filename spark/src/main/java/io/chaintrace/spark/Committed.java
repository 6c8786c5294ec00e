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
import org.apache.spark.sql.SparkSession;

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

    /** As {@link #mayWrite} for a table that Spark writes (a local directory or a URI). */
    static void mayWriteTable(SparkSession spark, String target, boolean replace) {
        org.apache.hadoop.fs.Path t = new org.apache.hadoop.fs.Path(target);
        try {
            if (t.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(t) && !replace) {
                throw new IllegalArgumentException(target + " exists; rerun with --force to replace it");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * A table written as Parquet, whole: Spark writes a hidden directory beside {@code target} (a local directory or a URI
     * Spark writes: hdfs://, s3a://), which is then renamed to it (atomic on a local file system and HDFS; object stores
     * copy on rename).
     */
    static void table(SparkSession spark, Dataset<Row> rows, String target, boolean replace) {
        org.apache.hadoop.fs.Path t = new org.apache.hadoop.fs.Path(target);
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(t.getParent(), "." + t.getName() + "-" + java.util.UUID.randomUUID());
        try {
            org.apache.hadoop.fs.FileSystem fs = t.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(t) && !replace) {
                throw new IllegalArgumentException(target + " exists; rerun with --force to replace it");
            }
            try {
                rows.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
                if (fs.exists(t)) {
                    fs.delete(t, true);
                }
                if (!fs.rename(tmp, t)) {
                    throw new IOException("rename of " + tmp + " refused");
                }
            } finally {
                if (fs.exists(tmp)) {
                    fs.delete(tmp, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
