package io.chaintrace.ingest.labels;

import io.chaintrace.core.model.Label;
import java.nio.file.Path;
import java.util.List;

/** One label file format. */
public interface LabelSource {
    /** Whether this source reads {@code file} (by name, extension or first line). */
    boolean reads(Path file, String firstLine);

    /** The labels of a file; invalid rows are reported, not fatal. */
    Result read(Path file);

    /** Labels read, rows rejected (with why), and rows skipped because they name another chain. */
    record Result(List<Label> labels, List<Rejected> rejected, int otherChains) {
        public Result {
            labels = List.copyOf(labels);
            rejected = List.copyOf(rejected);
        }
    }

    /** A row that could not be read: where and why. */
    record Rejected(Path file, long line, String reason) {
        @Override
        public String toString() {
            return file + ": line " + line + ": " + reason;
        }
    }
}
