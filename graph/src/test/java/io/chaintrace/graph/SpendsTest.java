package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.trace.UtxoLedger.Spend;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/** Spends read from the compact rows, with {@code spends} holding only what they cannot (docs/STORE.md). */
class SpendsTest {
    @TempDir
    Path dir;

    private static List<Outpoint> spendsFamily(Path store) {
        List<Outpoint> keys = new ArrayList<>();
        try (StoreFiles files = StoreFiles.open(store, true); RocksIterator it = files.iterator(Family.SPENDS)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                keys.add(new Outpoint(Hash256.of(it.key(), 0), Keys.getInt(it.key(), 32)));
            }
        }
        return keys;
    }

    /** A block's spend of a stored output is read from the rows; only the spend of an output the store lacks is in `spends`. */
    @Test
    void aBlockWritesOnlyTheSpendsOfOutputsTheStoreLacks() {
        Path store = dir.resolve("s");
        try (ChainStore s = ChainStore.open(store)) {
            s.append(ChainStoreTest.block(), new Checkpoint("test", ChainStoreTest.h(200), 0, 1));
            Outpoint paid = new Outpoint(ChainStoreTest.h(1), 0);
            Outpoint unknown = new Outpoint(ChainStoreTest.h(99), 4);
            assertEquals(new Spend(paid, ChainStoreTest.h(2), 0), s.spenderOf(paid).orElseThrow());
            assertEquals(new Spend(unknown, ChainStoreTest.h(3), 0), s.spenderOf(unknown).orElseThrow());
            assertTrue(s.spenderOf(new Outpoint(ChainStoreTest.h(2), 0)).isEmpty(), "unspent");
            assertTrue(s.spenderOf(new Outpoint(ChainStoreTest.h(2), 7)).isEmpty(), "no such output");
            assertTrue(s.spenderOf(new Outpoint(ChainStoreTest.h(98), 0)).isEmpty(), "no such transaction");
        }
        assertEquals(List.of(new Outpoint(ChainStoreTest.h(99), 4)), spendsFamily(store));
    }

    /**
     * The rows are read as bytes, not as the compact tracer's 32-bit ids: a page past 2^31 transactions answers; of two
     * spends recorded for one output the later counts (as the compact rows read it).
     */
    @Test
    void aPageAnswersPastThirtyTwoBitIdsAndItsLaterSpendCounts() {
        long seq = (5L << 32) + 64 * 7 + 3; // local transaction 3 of its page
        long firstOutput = 9L << 32;
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        for (int j = 0; j < 6; j++) {
            long s = (seq & ~63L) + j;
            // Transaction j spends output firstOutput - 10 + j as its input j % 3 (of three), and has two outputs.
            TxPages.Body body = new TxPages.Body(s, 3, 2, firstOutput + 2L * j);
            for (int i = 0; i < 3; i++) {
                body.input(i == j % 3 ? firstOutput - 10 + j : firstOutput - 100 - i, s - 1000, 5);
            }
            body.output(7, 1);
            body.output(8, -1);
            page.writeBytes(body.encode());
            if (j == 3) {
                page.writeBytes(TxPages.spend(seq, 1, seq + 1));
                page.writeBytes(TxPages.spend(seq - 1, 1, seq + 2)); // transaction 2's output: not asked for
            }
        }
        byte[] records = page.toByteArray();
        assertEquals(seq + 1, TxPages.spenderOf(records, seq, 1));
        assertEquals(-1, TxPages.spenderOf(records, seq, 0), "output 0 unspent");
        assertEquals(seq + 2, TxPages.spenderOf(records, seq - 1, 1));
        page.writeBytes(TxPages.spend(seq, 1, seq + 40));
        assertEquals(seq + 40, TxPages.spenderOf(page.toByteArray(), seq, 1), "the later spend");
        assertEquals(java.util.List.of(-1L, seq + 40), java.util.Arrays.stream(TxPages.spendersOf(page.toByteArray(), seq, 2)).boxed().toList(),
                "both outputs at once");
    }

    /**
     * A format-5 store (every spend of a block in `spends` too) is read as it is, and marked format 6 when opened to write;
     * an older format is still refused.
     */
    @Test
    void aFormatFiveStoreIsReadAndMarkedSixWhenWritten() throws Exception {
        Path store = dir.resolve("five");
        try (ChainStore s = ChainStore.open(store)) {
            s.append(ChainStoreTest.block(), new Checkpoint("test", ChainStoreTest.h(200), 0, 1));
        }
        byte[] spend = new byte[36];
        ChainStoreTest.h(2).copyTo(spend, 0);
        ChainStoreTest.raw(store, (db, handles) -> {
            for (org.rocksdb.ColumnFamilyHandle h : handles) {
                String name = new String(h.getName());
                if (name.equals("meta")) {
                    db.put(h, "format".getBytes(), "chaintrace-store-5".getBytes());
                } else if (name.equals("spends")) {
                    db.put(h, Keys.outpoint(new Outpoint(ChainStoreTest.h(1), 0)), spend); // as format 5 wrote it
                }
            }
        });
        try (ChainStore s = ChainStore.openReadOnly(store)) {
            assertEquals(new Spend(new Outpoint(ChainStoreTest.h(1), 0), ChainStoreTest.h(2), 0),
                    s.spenderOf(new Outpoint(ChainStoreTest.h(1), 0)).orElseThrow());
        }
        assertEquals("chaintrace-store-5", marker(store), "a reader leaves the marker");
        try (ChainStore s = ChainStore.open(store)) {
            assertEquals(3, s.stats().txs());
        }
        assertEquals(StoreFiles.FORMAT, marker(store), "a writer marks it format 7");
        ChainStoreTest.raw(store, (db, handles) -> {
            for (org.rocksdb.ColumnFamilyHandle h : handles) {
                if (new String(h.getName()).equals("meta")) {
                    db.put(h, "format".getBytes(), "chaintrace-store-4".getBytes());
                }
            }
        });
        StoreException e = assertThrows(StoreException.class, () -> ChainStore.openReadOnly(store));
        assertTrue(e.otherVersion() && e.getMessage().contains("chaintrace-store-4"), e.getMessage());
    }

    private static String marker(Path store) {
        try (StoreFiles files = StoreFiles.open(store, true)) {
            return new String(files.get(Family.META, "format".getBytes()), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
