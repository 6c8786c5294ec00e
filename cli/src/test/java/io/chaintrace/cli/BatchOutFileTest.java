package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.cli.app.ResultsFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch results file is never a file the user had for something else, never the seeds file,
 * and never written by two batches at once (each reproduced an earlier loss: a notes file
 * replaced, the seeds file emptied, two runs interleaving torn lines into one file).
 */
class BatchOutFileTest {
    static final String BLOCK9 = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0";
    static final String BLOCK496 = "a3b0e9e7cddbbe78270fa4182a7675ff00b92872d8df7d14265a2b1e379a9d33:0";

    @TempDir
    static Path shared;
    static Path store;

    @TempDir
    Path dir;

    @BeforeAll
    static void ingest() {
        store = TestData.ingested(shared.resolve("store"), "firstblocks.blk");
    }

    record Run(int exit, String err) {
    }

    private static Run batch(Path seeds, Path out) {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int exit = Chaintrace.run("batch", "--store", store.toString(), "--seeds", seeds.toString(), "--out", out.toString(),
                    "--no-progress", "--threads", "1");
            return new Run(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(saved);
        }
    }

    private Path seeds(String... lines) throws IOException {
        Path f = dir.resolve("seeds.csv");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    @Test
    void aFileThatIsNotAResultsFileIsLeftAsItIs() throws IOException {
        Path notes = dir.resolve("notes.txt");
        List<String> text = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            text.add("note " + i + ": followed the coins of block 9");
        }
        Files.write(notes, text);
        byte[] before = Files.readAllBytes(notes);
        Run r = batch(seeds("id,seed", "a," + BLOCK9), notes);
        assertEquals(1, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains(notes + " is not a chaintrace batch results file"), r.err());
        assertArrayEquals(before, Files.readAllBytes(notes));
    }

    @Test
    void theSeedsFileIsNeverTheResultsFile() throws IOException {
        Path seeds = seeds("id,seed", "a," + BLOCK9);
        byte[] before = Files.readAllBytes(seeds);
        Run r = batch(seeds, seeds);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("is the seeds file"), r.err());
        assertArrayEquals(before, Files.readAllBytes(seeds));
    }

    @Test
    void aResultsFileInUseIsRefused() throws IOException {
        Path seeds = seeds("id,seed", "a," + BLOCK9);
        Path out = dir.resolve("results.jsonl");
        try (ResultsFile held = ResultsFile.open(out, seeds)) {
            Run r = batch(seeds, out);
            assertEquals(1, r.exit(), r.err());
            assertTrue(r.err().contains("is being written by another chaintrace batch"), r.err());
        }
        assertEquals(List.of(ResultsFile.HEADER), Files.readAllLines(out), "the refused run wrote nothing");
        assertEquals(0, batch(seeds, out).exit(), "free again once the first run ends");
        assertEquals(2, Files.readAllLines(out).size());
    }

    @Test
    void resultsAreResumedAndAnIdNamesOneSeed() throws IOException {
        Path out = dir.resolve("results.jsonl");
        assertEquals(0, batch(seeds("id,seed", "a," + BLOCK9), out).exit());
        Run r = batch(seeds("id,seed", "a," + BLOCK9, "b," + BLOCK496, "a," + BLOCK496), out);
        assertEquals(ExitCode.BAD_INPUT, r.exit(), "the id conflict is a seed that failed: " + r.err());
        assertTrue(r.err().contains("1 already done and skipped"), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(ResultsFile.HEADER, lines.getFirst());
        assertEquals(4, lines.size(), lines.toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(lines.get(1));
        JsonNode b = json.readTree(lines.get(2));
        JsonNode conflict = json.readTree(lines.get(3));
        assertEquals(5_000_000_000L, a.get("seeded").asLong());
        assertEquals(BLOCK496, b.get("seed").asText());
        assertEquals("a", conflict.get("id").asText());
        assertTrue(conflict.get("error").asText().contains("id a was already used for seed " + BLOCK9), conflict.toString());
        // Run again: every line, the conflict's error line too, is done; nothing is written twice.
        byte[] before = Files.readAllBytes(out);
        Run again = batch(dir.resolve("seeds.csv"), out);
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("3 already done and skipped"), again.err());
        assertArrayEquals(before, Files.readAllBytes(out));
    }

    @Test
    void aDamagedLineInsideTheFileStopsTheRunAndTheFileIsKept() throws IOException {
        Path out = dir.resolve("results.jsonl");
        Path seeds = seeds("id,seed", "a," + BLOCK9, "b," + BLOCK496);
        assertEquals(0, batch(seeds, out).exit());
        List<String> lines = new ArrayList<>(Files.readAllLines(out));
        lines.set(1, lines.get(1).substring(0, 20));
        Files.write(out, lines);
        byte[] before = Files.readAllBytes(out);
        Run r = batch(seeds, out);
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains(out + " line 2: not a result line"), r.err());
        assertArrayEquals(before, Files.readAllBytes(out));
    }

    @Test
    void aLastLineCutByAKillIsDroppedAndTracedAgain() throws IOException {
        Path out = dir.resolve("results.jsonl");
        Path seeds = seeds("id,seed", "a," + BLOCK9, "b," + BLOCK496);
        assertEquals(0, batch(seeds, out).exit());
        String whole = Files.readString(out);
        Files.writeString(out, whole.substring(0, whole.length() - 30)); // the kill cut b's line
        Run r = batch(seeds, out);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("1 seeds traced") && r.err().contains("1 already done"), r.err());
        assertEquals(whole, Files.readString(out));
    }
}
