package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs on a disk that fills up: a 256 KB tmpfs (mounted as root, as the tests run here). A report
 * used to be left half-written with exit 4; now nothing of it is left, the user's file beside it is
 * untouched, and the error is one line with exit 6.
 */
class FullDiskIT {
    static final String SEED = "188de4d8330fe094c7961f01a702acad9cfc0cfaa17c7d90f5b58ca4c023c6a7:1";

    @TempDir
    Path dir;
    Path small;

    @BeforeEach
    void mount() throws Exception {
        small = Files.createDirectories(dir.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", small.toString()).inheritIO().start();
        assertEquals(0, p.waitFor(), "mount a 256 KB tmpfs (the tests run as root)");
    }

    @AfterEach
    void unmount() throws Exception {
        new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
    }

    @Test
    void aReportThatDoesNotFitLeavesNothingHalfWritten() throws IOException {
        Path store = dir.resolve("store");
        assertEquals(0, TestData.run("ingest", "btc-blocks", TestData.blk("block2019Jan.blk").toString(), "--store", store.toString(),
                "--no-progress").exit());
        Path report = Files.createDirectories(small.resolve("report"));
        Files.writeString(report.resolve("notes.txt"), "the user's own notes");
        TestData.Run r = TestData.run("trace", "--store", store.toString(), "--seed", SEED, "--hops", "10", "--report", report.toString());
        assertEquals(ExitCode.OUTPUT, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("cannot write the report into " + report), r.err());
        try (Stream<Path> files = Files.list(report)) {
            assertEquals(List.of("notes.txt"), files.map(p -> p.getFileName().toString()).toList(), "no report file, no temporary directory");
        }
        assertEquals("the user's own notes", Files.readString(report.resolve("notes.txt")));
    }
}
