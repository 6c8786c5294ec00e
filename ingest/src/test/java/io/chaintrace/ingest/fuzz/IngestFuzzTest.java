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
 * offset or line), and a failed block ingest leaves the store byte for byte as it was (its digest);
 * the other paths leave no partial row: the store still opens and its counters agree with what it holds. Inputs found by campaigns are kept in {@code IngestFuzzTestInputs}
 * and replayed by every test run; {@code scripts/fuzz} runs a campaign.
 */
class IngestFuzzTest {
    private static final Path GENESIS = genesis();

    private static Path genesis() {
        String prop = System.getProperty("chaintrace.shared");
        return (prop != null ? Path.of(prop) : Path.of("..", "..", "shared")).resolve("data/btc/blk/genesis.blk");
    }

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

    /** A block file (framed records, or one raw block), ingested into a store that already holds the genesis block. */
    @FuzzTest(maxDuration = "10m")
    void blockFile(byte[] data) throws IOException {
        ingestLeavesTheStoreAsBefore(data, "blk00000.dat");
    }

    /**
     * One raw serialized block, as a node's {@code getblock <hash> 0} gives it: the file never starts with a
     * block-file magic, so every input takes the raw-block path (header rules, parser, merkle root).
     */
    @FuzzTest(maxDuration = "10m")
    void rawBlock(byte[] data) throws IOException {
        byte[] raw = data.clone();
        if (raw.length >= 4 && (raw[0] & 0xff) == 0xf9 || raw.length >= 4 && (raw[0] & 0xff) == 0xfa || raw.length >= 4 && (raw[0] & 0xff) == 0x0b
                || raw.length >= 4 && (raw[0] & 0xff) == 0x0a) {
            raw[0] ^= 0x40; // not a magic (mainnet f9, regtest fa, testnet 0b, signet 0a): a raw block
        }
        ingestLeavesTheStoreAsBefore(raw, "block.raw");
    }

    /**
     * Ingests {@code data} as a file into a store holding the real genesis block: it works, or it stops with
     * its documented error naming the file, and then the store is byte for byte what it was before.
     */
    private static void ingestLeavesTheStoreAsBefore(byte[] data, String name) throws IOException {
        Path dir = scratch();
        try {
            Path f = dir.resolve(name);
            Files.write(f, data);
            try (ChainStore cs = ChainStore.open(dir.resolve("store"))) {
                new BlockFileSource(cs, List.of(GENESIS), 1).run(IngestListener.NONE);
                String before = cs.digest();
                try {
                    new BlockFileSource(cs, List.of(f), 1).run(IngestListener.NONE);
                } catch (BlockFileException e) {
                    // documented: names the file, and what it held is not stored
                    assertEquals(true, e.getMessage().startsWith(f.toString()), e.getMessage());
                    assertEquals(before, cs.digest(), "a failed ingest leaves the store as it was: " + e.getMessage());
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
