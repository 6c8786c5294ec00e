package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.demo.EtlShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ethereum-etl {@code export_all} directory is imported a block range at a time (its {@code start_block=/end_block=}
 * partitions, read ahead while the one before is written): the store equals the one the same files give read as one
 * part, the transfers are the generator's own count of value moves, and a bad row in a later range stops the import
 * with its file and line, the ranges before stored whole, the rest after the fix.
 */
class EtlPartsTest {
    @TempDir
    Path dir;

    private Path export;
    private EtlShape.Summary written;

    @BeforeEach
    void export() throws IOException {
        export = dir.resolve("export");
        written = EtlShape.write(12_000, 7, export, 20, n -> { });
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(export)) {
            return s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
    }

    @Test
    void rangesImportAsOneExportDoes() throws IOException {
        List<Path> files = files();
        long ranges = files.stream().filter(f -> f.getFileName().toString().startsWith("transactions_")).count();
        assertTrue(ranges >= 4, "several block ranges: " + ranges);
        // The same files outside the partitioned layout: one part, every row read before a block is written.
        Path flat = Files.createDirectories(dir.resolve("flat"));
        List<Path> flatFiles = new ArrayList<>();
        for (Path f : files) {
            flatFiles.add(Files.copy(f, flat.resolve(f.getFileName())));
        }
        String partsDigest;
        AtomicLong started = new AtomicLong();
        AtomicLong blocks = new AtomicLong();
        try (ChainStore cs = ChainStore.open(dir.resolve("parts"))) {
            EtlSource.Summary s = new EtlSource(cs, List.of(export)).run(new IngestListener() {
                @Override
                public void started(long total, long alreadyStored) {
                    started.set(total);
                }

                @Override
                public void block(long transactions) {
                    blocks.incrementAndGet();
                }
            });
            assertEquals(written.blocks(), s.blocks());
            assertEquals(written.valueMoves(), s.transfers(), "every value move the generator wrote, once");
            assertEquals(written.blocks(), blocks.get(), "progress for every block");
            assertEquals(ranges * 20, started.get(), "the total the ranges' names give");
            assertEquals(written.blocks(), cs.checkpoint(EtlSource.CHECKPOINT).map(Checkpoint::blocksDone).orElseThrow());
            partsDigest = cs.chainDigest();
        }
        try (ChainStore cs = ChainStore.open(dir.resolve("flat-store"))) {
            EtlSource.Summary s = new EtlSource(cs, flatFiles).run(IngestListener.NONE);
            assertEquals(written.valueMoves(), s.transfers());
            assertEquals(partsDigest, cs.chainDigest(), "a range at a time stores what one part stores");
        }
        // A heap too small for two ranges: each read after the one before is written, the same store.
        try (ChainStore cs = ChainStore.open(dir.resolve("one-at-a-time"))) {
            EtlSource.Summary s = new EtlSource(cs, List.of(export), 0).run(IngestListener.NONE);
            assertEquals(written.valueMoves(), s.transfers());
            assertEquals(partsDigest, cs.chainDigest(), "without reading ahead");
        }
    }

    @Test
    void aBadRowInALaterRangeNamesItsLineAndLeavesTheRangesBeforeStoredWhole() throws IOException {
        List<Path> transactions = files().stream().filter(f -> f.getFileName().toString().startsWith("transactions_")).toList();
        Path third = transactions.get(2);
        List<String> lines = new ArrayList<>(Files.readAllLines(third));
        String good = lines.get(5);
        lines.set(5, good.replaceFirst(",0x[0-9a-f]{40},", ",0xnot-an-address,"));
        Files.write(third, lines);
        Path store = dir.resolve("store");
        try (ChainStore cs = ChainStore.open(store)) {
            EtlFiles.EtlFormatException e = assertThrows(EtlFiles.EtlFormatException.class,
                    () -> new EtlSource(cs, List.of(export)).run(IngestListener.NONE));
            assertEquals(third + ": line 6: bad transaction row: from_address '0xnot-an-address' is not an Ethereum address (0x and 40 hex digits)",
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            // The two ranges before it, whole, with their checkpoint; nothing of the third.
            assertEquals(40, cs.checkpoint(EtlSource.CHECKPOINT).map(Checkpoint::blocksDone).orElseThrow());
            assertTrue(cs.ethBlock(18_000_039).isPresent());
            assertTrue(cs.ethBlock(18_000_040).isEmpty());
        }
        lines.set(5, good);
        Files.write(third, lines);
        try (ChainStore cs = ChainStore.open(store)) {
            EtlSource.Summary s = new EtlSource(cs, List.of(export)).run(IngestListener.NONE);
            assertEquals(40, s.skipped());
            assertEquals(written.blocks() - 40, s.blocks());
        }
        try (ChainStore resumed = ChainStore.openReadOnly(store); ChainStore whole = ChainStore.open(dir.resolve("whole"))) {
            new EtlSource(whole, List.of(export)).run(IngestListener.NONE);
            assertEquals(whole.chainDigest(), resumed.chainDigest(), "resumed after the fix = imported in one go");
        }
    }

    /** A JSON-lines file named {@code tokens} says each row's table: its other rows are imported, each row counted once. */
    @Test
    void aTokensFileHoldingOtherTablesRowsImportsThemToo() throws IOException {
        Path f = dir.resolve("tokens.json");
        Files.writeString(f, """
                {"type":"token","address":"0xdac17f958d2ee523a2206206994597c13d831ec7","symbol":"USDT","name":"Tether USD","decimals":6}
                {"type":"transaction","hash":"0x99f1097abd8f33a68f0ed63d60de5f3e7e2a3e0579b90d5f46a4f201c658b46d","nonce":9,                "block_hash":"0x889c421abc62a48641eee140519e6da8c9dc01d85d8f5c4fbc3c13e3c6e4cb3e","block_number":47218,"transaction_index":0,                "from_address":"0x1406854d149e081ac09cb4ca560da463f3123059","to_address":"0xa0e74ae010d51894734c308d612131056bb721ad",                "value":110000000000000000000,"block_timestamp":1438936285,"receipt_status":1}
                """);
        try (ChainStore cs = ChainStore.open(dir.resolve("store"))) {
            EtlSource.Summary s = new EtlSource(cs, List.of(f)).run(IngestListener.NONE);
            assertEquals(2, s.rows());
            assertEquals(1, s.blocks());
            assertEquals(1, s.transfers(), "the transaction's ether, not dropped for its file's name");
        }
    }
}
