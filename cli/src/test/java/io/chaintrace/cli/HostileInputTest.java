package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input as a careless or hostile user gives it: each once ran the machine out of threads or memory,
 * wrote RocksDB's files among a user's own, or answered with a message that misled. Each is now one
 * line with an exit code, and nothing of the user's is touched.
 */
class HostileInputTest {
    static final String BLOCK9 = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0";

    @TempDir
    static Path shared;
    static Path store;

    @TempDir
    Path dir;



    @BeforeAll
    static void ingest() {
        store = TestData.ingested(shared.resolve("store"), "firstblocks.blk");
    }

    @Test
    void threadsAreBoundedByTheCores() throws IOException {
        Path seeds = dir.resolve("seeds.txt");
        Files.writeString(seeds, BLOCK9 + "\n");
        TestData.Run r = TestData.run("batch", "--store", store.toString(), "--seeds", seeds.toString(), "--out", dir.resolve("out.jsonl").toString(),
                "--threads", "100000");
        assertEquals(ExitCode.USAGE, r.exit(), r.err());
        assertTrue(r.err().lines().findFirst().orElse("").contains("--threads 100000: from 1 to "), r.err());
        TestData.Run zero = TestData.run("ingest", "btc-blocks", TestData.blk("genesis.blk").toString(), "--store", dir.resolve("s").toString(), "--threads", "0");
        assertEquals(ExitCode.USAGE, zero.exit(), zero.err());
        assertFalse(Files.exists(dir.resolve("out.jsonl")) || Files.exists(dir.resolve("s")), "nothing started");
    }

    @Test
    void aDirectoryOfTheUsersIsNeverMadeAStore() throws IOException {
        Path mine = Files.createDirectories(dir.resolve("my-case"));
        Files.writeString(mine.resolve("LOG"), "my investigation log\n");
        Files.writeString(mine.resolve("notes.txt"), "block 9 coinbase\n");
        TestData.Run r = TestData.run("ingest", "btc-blocks", TestData.blk("genesis.blk").toString(), "--store", mine.toString(), "--no-progress");
        assertEquals(ExitCode.STORE, r.exit(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("not empty and not a Chaintrace store"), r.err());
        try (Stream<Path> files = Files.list(mine)) {
            assertEquals(List.of("LOG", "notes.txt"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("my investigation log\n", Files.readString(mine.resolve("LOG")));
    }

    @Test
    void aHugeSeedsLineIsAnErrorLineNotAnOutOfMemoryError() throws IOException {
        Path seeds = dir.resolve("seeds.txt");
        try (Writer w = Files.newBufferedWriter(seeds)) {
            for (int i = 0; i < 2_000_000; i++) {
                w.write('1'); // a 2 MB line stands for the 200 MB one: the bound is 10,000 characters either way
            }
            w.write('\n');
            w.write(BLOCK9 + "\n");
        }
        Path out = dir.resolve("out.jsonl");
        TestData.Run r = TestData.run("batch", "--store", store.toString(), "--seeds", seeds.toString(), "--out", out.toString(), "--no-progress",
                "--threads", "1");
        assertEquals(ExitCode.BAD_INPUT, r.exit(), "a seed failed: " + r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size(), "header, the error line, the traced seed");
        JsonNode error = new ObjectMapper().readTree(lines.get(1));
        assertTrue(error.get("error").asText().contains("seeds.txt line 1: 2,000,000 characters, more than a seeds line holds"), lines.get(1));
        assertEquals(5_000_000_000L, new ObjectMapper().readTree(lines.get(2)).get("seeded").asLong());
        TestData.Run trace = TestData.run("trace", "--store", store.toString(), "--seeds-file", seeds.toString());
        assertEquals(ExitCode.BAD_INPUT, trace.exit(), trace.err());
        assertTrue(trace.err().contains(seeds + ": line 1: 2,000,000 characters"), trace.err());
    }

    @Test
    void aHugeLabelIsARejectedRow() throws IOException {
        Path labels = dir.resolve("labels.csv");
        Files.writeString(labels, "chain,address,label,category,source\n"
                + "bitcoin,1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,Good Exchange,exchange,test\n"
                + "bitcoin,12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S," + "X".repeat(10_000) + ",exchange,test\n");
        Path s = dir.resolve("labels-store");
        TestData.Run r = TestData.run("labels", "import", labels.toString(), "--store", s.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains(labels + ": line 3: a label's entity and source are at most 256 characters; this one has 10000"), r.err());
        assertTrue(r.out().contains("1 labels"), r.out());
    }

    @Test
    void aMistypedBase58AddressSaysSo() {
        // 12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3S with its last character changed.
        TestData.Run r = TestData.run("trace", "--store", store.toString(), "--seed", "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu3T");
        assertEquals(ExitCode.BAD_INPUT, r.exit(), r.err());
        assertTrue(r.err().contains("its Base58 checksum does not match: a character is mistyped"), r.err());
        TestData.Run bad = TestData.run("trace", "--store", store.toString(), "--seed", "12cbQLTFMXRnSzktFkuoG3eHoMeFtpTu30");
        assertTrue(bad.err().contains("'0' at position 33 is not a Base58 character"), bad.err());
    }
}
