package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/data, which the build passes as the system property chaintrace.shared. */
final class SharedData {
    private SharedData() {
    }

    static Path btc() {
        String prop = System.getProperty("chaintrace.shared");
        Path shared = prop != null ? Path.of(prop) : Path.of("..", "..", "shared");
        Path btc = shared.resolve("data").resolve("btc");
        if (!Files.isDirectory(btc)) {
            fail("real block data not found at " + btc.toAbsolutePath()
                    + ": these tests need ../shared/data beside the repository (set -Dchaintrace.shared=DIR)");
        }
        return btc;
    }

    static Path blk(String name) {
        return btc().resolve("blk").resolve(name);
    }
}
