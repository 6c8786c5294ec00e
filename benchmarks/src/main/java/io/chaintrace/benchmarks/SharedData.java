package io.chaintrace.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds ../shared/data: -Dchaintrace.shared, $CHAINTRACE_SHARED, or ../shared from the working directory. */
final class SharedData {
    private SharedData() {
    }

    static Path shared() {
        String prop = System.getProperty("chaintrace.shared", System.getenv("CHAINTRACE_SHARED"));
        Path shared = prop != null ? Path.of(prop) : Path.of("..", "shared");
        if (!Files.isDirectory(shared.resolve("data"))) {
            throw new IllegalStateException("real data not found at " + shared.resolve("data").toAbsolutePath()
                    + " (set CHAINTRACE_SHARED to the shared/ folder)");
        }
        return shared;
    }

    static Path btc() {
        Path btc = shared().resolve("data").resolve("btc");
        if (!Files.isDirectory(btc)) {
            throw new IllegalStateException("real block data not found at " + btc.toAbsolutePath()
                    + " (set CHAINTRACE_SHARED to the shared/ folder)");
        }
        return btc;
    }
}
