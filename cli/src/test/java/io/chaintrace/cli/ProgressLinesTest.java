package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.cli.app.ProgressBars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ingest's progress as a log receives it (stderr a file, as under nohup): lines of their own, no carriage return, the
 * last state once, with what was done; on a terminal the bar is redrawn in place as before. Real mainnet blocks (blocks
 * 0-589), the command in a child JVM told what stderr is as the script tells it.
 */
class ProgressLinesTest {
    @TempDir
    Path dir;

    private String ingestStderr(boolean terminal) throws Exception {
        Path err = dir.resolve("err-" + terminal + ".txt");
        Process p = TestData.child(List.of(), List.of("-D" + ProgressBars.TERMINAL + "=" + terminal), "ingest", "btc-blocks",
                        TestData.blk("firstblocks.blk").toString(), "--store", dir.resolve("store-" + terminal).toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the ingest ended");
        assertEquals(0, p.exitValue(), Files.readString(err));
        return Files.readString(err);
    }

    @Test
    void intoAFileEachStateIsALineOfItsOwn() throws Exception {
        String err = ingestStderr(false);
        assertFalse(err.contains("\r"), err);
        List<String> lines = err.lines().toList();
        List<String> done = lines.stream().filter(l -> l.startsWith("blocks 100%")).toList();
        assertEquals(1, done.size(), err);
        assertTrue(done.getFirst().contains("590/590") && done.getFirst().contains("605 transactions"), done.getFirst());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("blocks   0%")), err);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("cluster 100%") && l.contains("605/605")), err);
        assertTrue(lines.stream().filter(l -> l.startsWith("blocks ") || l.startsWith("cluster ")).allMatch(l -> l.length() <= 120), err);
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlace() throws Exception {
        String err = ingestStderr(true);
        assertTrue(err.contains("\rblocks 100%"), err);
    }
}
