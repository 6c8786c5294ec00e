package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chaintrace.cli.app.SeedFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Seeds and config files, whatever their bytes: a bad seed line is an error naming its file and
 * line (trace) or an error line (batch), a bad config file one error naming the file; nothing else
 * escapes. Inputs found by campaigns are kept in {@code CliFuzzTestInputs} and replayed by every
 * test run; {@code scripts/fuzz} runs a campaign.
 */
class CliFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void seedsFile(byte[] data) throws IOException {
        Path f = Files.createTempFile("chaintrace-fuzz", ".seeds");
        try {
            Files.write(f, data);
            try {
                SeedFile.traceSeeds(f);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith(f + ": line "), e.getMessage());
            }
            SeedFile batch = new SeedFile(f);
            long line = 0;
            for (String text : new String(data, StandardCharsets.UTF_8).split("\n", -1)) {
                SeedFile.SeedLine s = batch.parse(++line, text);
                if (s != null && s.error() != null) {
                    assertTrue(s.error().startsWith(f.getFileName() + " line " + line), s.error());
                }
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void configFile(byte[] data) throws IOException {
        Path f = Files.createTempFile("chaintrace-fuzz", ".properties");
        try {
            Files.write(f, data);
            try {
                ConfigFile c = ConfigFile.read(f);
                c.check(Chaintrace.commandLine());
                assertEquals(true, c.patterns() != null);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
