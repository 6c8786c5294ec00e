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

    @Test
    void batchResultsOnAFullDiskEndInACompleteLineAndARerunContinues() throws IOException {
        Path store = TestData.ingested(dir.resolve("store"), "firstblocks.blk");
        // Every coinbase output of blocks 0-589 as a seed (read from the store's own blocks): far more results than fit.
        List<String> seeds = new java.util.ArrayList<>(List.of("id,seed"));
        try (io.chaintrace.graph.ChainStore cs = io.chaintrace.graph.ChainStore.openReadOnly(store)) {
            for (int h = 1; h <= 300; h++) {
                seeds.add("s" + h + "," + cs.transactionIds(h).getFirst() + ":0");
            }
        }
        Path seedFile = Files.write(dir.resolve("seeds.csv"), seeds);
        Path out = small.resolve("results.jsonl");
        // Leave room for a few hundred result lines only.
        byte[] filler = new byte[200 * 1024];
        Files.write(small.resolve("filler"), filler);
        TestData.Run r = TestData.run("batch", "--store", store.toString(), "--seeds", seedFile.toString(), "--out", out.toString(),
                "--hops", "3", "--threads", "1", "--no-progress");
        assertEquals(ExitCode.OUTPUT, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("cannot write results to " + out), r.err());
        String written = Files.readString(out);
        assertTrue(written.endsWith("\n"), "the file ends in a complete line");
        List<String> lines = written.lines().toList();
        assertTrue(lines.size() < seeds.size(), "not every result fits: " + lines.size());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : lines) {
            assertTrue(json.readTree(line).isObject(), line);
        }
        // Room again: the rerun traces only what is missing and the file then holds each seed once.
        Files.delete(small.resolve("filler"));
        TestData.Run again = TestData.run("batch", "--store", store.toString(), "--seeds", seedFile.toString(), "--out", out.toString(),
                "--hops", "3", "--threads", "1", "--no-progress");
        assertEquals(0, again.exit(), again.err());
        List<String> all = Files.readAllLines(out);
        assertEquals(seeds.size(), all.size(), "the results header and one line per seed");
        assertEquals(seeds.size() - 1, all.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).distinct().count());
        assertTrue(all.stream().skip(1).noneMatch(l -> l.contains("\"error\"")), "every seed traced");
    }
}
