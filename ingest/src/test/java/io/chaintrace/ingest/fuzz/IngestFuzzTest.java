package io.chaintrace.ingest.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.StoreStats;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileException;
import io.chaintrace.ingest.btc.BlockFileSource;
import io.chaintrace.ingest.eth.EtlFiles;
import io.chaintrace.ingest.eth.EtlSource;
import io.chaintrace.ingest.labels.LabelImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Whatever the bytes, each input path either works or stops with its documented error (file and
 * offset or line), and a failed ingest leaves no partial block: the store still opens and its
 * counters agree with what it holds. Inputs found by campaigns are kept in {@code IngestFuzzTestInputs}
 * and replayed by every test run; {@code scripts/fuzz} runs a campaign.
 */
class IngestFuzzTest {
    private static Path scratch() {
        try {
            return Files.createTempDirectory("chaintrace-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A block file (framed records, or one raw block), ingested into a fresh store. */
    @FuzzTest(maxDuration = "10m")
    void blockFile(byte[] data) throws IOException {
        Path dir = scratch();
        try {
            Path f = dir.resolve("blk00000.dat");
            Files.write(f, data);
            try (ChainStore cs = ChainStore.open(dir.resolve("store"))) {
                try {
                    new BlockFileSource(cs, List.of(f), 1).run(IngestListener.NONE);
                } catch (BlockFileException e) {
                    // documented: names the file
                    assertEquals(true, e.getMessage().startsWith(f.toString()), e.getMessage());
                }
                StoreStats s = cs.stats();
                long heights = 0;
                for (int h = 0; h < 1_000 && cs.blockAt(h).isPresent(); h++) {
                    heights++;
                }
                assertEquals(true, heights <= s.blocks(), "every block at a height is counted");
            }
        } finally {
            delete(dir);
        }
    }

    /** An ethereum-etl export file (CSV, or JSON lines), imported into a fresh store. */
    @FuzzTest(maxDuration = "10m")
    void exportRows(byte[] data) throws IOException {
        Path dir = scratch();
        try {
            for (String name : List.of("transactions.csv", "token_transfers.json")) {
                Path f = dir.resolve(name);
                Files.write(f, data);
                try (ChainStore cs = ChainStore.open(dir.resolve("store-" + name))) {
                    try {
                        new EtlSource(cs, List.of(f)).run(IngestListener.NONE);
                    } catch (EtlFiles.EtlFormatException e) {
                        assertEquals(true, e.getMessage().startsWith(f + ": line "), e.getMessage());
                    }
                    assertEquals(cs.ethStats().transfers(), cs.ethTransfers(0, Long.MAX_VALUE).size());
                }
            }
        } finally {
            delete(dir);
        }
    }

    /** A label file in any format, imported: bad rows are reported with their line, never thrown. */
    @FuzzTest(maxDuration = "10m")
    void labelFile(byte[] data) throws IOException {
        Path dir = scratch();
        try {
            for (String name : List.of("labels.csv", "tagpack.yaml", "sanctioned_addresses_XBT.txt", "combined.json")) {
                Path f = dir.resolve(name);
                Files.write(f, data);
                try (ChainStore cs = ChainStore.open(dir.resolve("store-" + name))) {
                    try {
                        new LabelImporter(cs).importFile(f);
                    } catch (IllegalArgumentException e) {
                        // documented: a file of no known label format, named
                        assertEquals(true, e.getMessage().startsWith(f.toString()), e.getMessage());
                    }
                }
            }
        } finally {
            delete(dir);
        }
    }
}
