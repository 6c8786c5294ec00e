package io.chaintrace.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The export's count as a log receives it (a line, no carriage return) and as a terminal shows it (redrawn in place). */
class ExportProgressTest {
    private static String printed(boolean terminal, long... counts) {
        PrintStream err = System.err;
        String before = System.getProperty("chaintrace.stderr.terminal");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        System.setProperty("chaintrace.stderr.terminal", Boolean.toString(terminal));
        try {
            SparkCommand.ExportProgress p = new SparkCommand.ExportProgress();
            for (long n : counts) {
                p.accept(n);
            }
            p.end();
        } finally {
            System.setErr(err);
            if (before == null) {
                System.clearProperty("chaintrace.stderr.terminal");
            } else {
                System.setProperty("chaintrace.stderr.terminal", before);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void intoALogTheCountIsALineWithoutCarriageReturns() {
        // Counts given within ten seconds: only the last is written, once, as a line.
        assertEquals("export: 30,000 transactions\n", printed(false, 10_000, 20_000, 30_000).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void onATerminalTheCountIsRedrawnInPlace() {
        String out = printed(true, 10_000, 20_000);
        assertTrue(out.startsWith("\rexport: 10,000 transactions\rexport: 20,000 transactions"), out);
        assertTrue(out.endsWith(System.lineSeparator()), out);
    }
}
