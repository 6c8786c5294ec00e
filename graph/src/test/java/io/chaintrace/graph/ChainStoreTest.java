package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB store on a real database: resolution, indexes, labels, locking. */
class ChainStoreTest {
    static final Address ALICE = Address.parse("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    static final Address BOB = Address.parse("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4");

    @TempDir
    Path dir;

    static Hash256 h(int n) {
        byte[] b = new byte[32];
        b[31] = (byte) n;
        b[0] = (byte) 0x77;
        return new Hash256(b);
    }

    static TxOutput out(int index, long value, Address owner) {
        return new TxOutput(index, value, owner.kind(), Optional.of(owner));
    }

    /** Block 1: coinbase pays Alice 50; tx 2 spends it in the same block: 30 to Bob, 19 to Alice; tx 3 spends an unknown outpoint. */
    static NewBlock block() {
        NewBlock.NewTransaction coinbase = new NewBlock.NewTransaction(h(1), List.of(Outpoint.COINBASE), List.of(out(0, 50, ALICE)));
        NewBlock.NewTransaction pay = new NewBlock.NewTransaction(h(2), List.of(new Outpoint(h(1), 0)),
                List.of(out(0, 30, BOB), out(1, 19, ALICE)));
        NewBlock.NewTransaction unknown = new NewBlock.NewTransaction(h(3), List.of(new Outpoint(h(99), 4)),
                List.of(new TxOutput(0, 0, ScriptKind.OP_RETURN, Optional.empty())));
        return new NewBlock(h(200), Hash256.ZERO, 0, 1_231_006_505L, BigInteger.ONE, List.of(coinbase, pay, unknown));
    }

    /** The same block in memory, for tests that need a ledger but not a store. */
    static io.chaintrace.core.trace.MemoryLedger memoryChain() {
        io.chaintrace.core.trace.MemoryLedger l = new io.chaintrace.core.trace.MemoryLedger();
        NewBlock b = block();
        int pos = 0;
        for (NewBlock.NewTransaction t : b.transactions()) {
            l.add(t.txid(), new io.chaintrace.core.model.BlockRef(b.height(), b.hash(), b.time()), pos++, t.spends(), t.outputs());
        }
        return l;
    }

    @Test
    void resolvesInputsWithinTheBlockAndMarksUnknownOnesUnresolved() {
        try (ChainStore s = ChainStore.open(dir.resolve("s"))) {
            assertTrue(s.append(block(), new Checkpoint("test", h(200), 0, 1)));
            assertFalse(s.append(block(), new Checkpoint("test", h(200), 0, 2)), "a stored block is not written twice");
            UtxoTransaction pay = s.transaction(h(2)).orElseThrow();
            assertEquals(InputStatus.RESOLVED, pay.inputs().getFirst().status());
            assertEquals(50, pay.inputs().getFirst().value());
            assertEquals(ALICE, pay.inputs().getFirst().owner().orElseThrow());
            assertEquals(1, pay.fee().orElseThrow());
            UtxoTransaction unknown = s.transaction(h(3)).orElseThrow();
            assertEquals(InputStatus.UNRESOLVED, unknown.inputs().getFirst().status());
            assertTrue(unknown.fee().isEmpty(), "no fee is guessed for unresolved inputs");
            assertEquals(h(2), s.spenderOf(new Outpoint(h(1), 0)).orElseThrow().spendingTx());
            assertTrue(s.spenderOf(new Outpoint(h(2), 0)).isEmpty());
            assertEquals(List.of(h(1), h(2)), s.transactionsOf(ALICE));
            assertEquals(List.of(h(2)), s.transactionsOf(BOB));
            StoreStats st = s.stats();
            assertEquals(new StoreStats(1, 3, 3, 4, 99, 2, 2, 1), st);
            assertEquals(1, s.checkpoint("test").orElseThrow().blocksDone());
        }
    }

    /**
     * A block's transfers are written once each, however they come: in key order (an extractor's, no set of keys made),
     * out of it, or the same one twice in a row or apart. The stored count is what is there.
     */
    @Test
    void aTransferGivenTwiceInABlockIsStoredOnce() {
        java.util.function.IntFunction<io.chaintrace.core.model.AccountTransfer> transfer = tx -> new io.chaintrace.core.model.AccountTransfer(
                Hash256.fromHex(String.format("%064x", 0x7000 + tx)), new io.chaintrace.core.model.BlockRef(5, Hash256.fromHex(String.format("%064x", 0xb5)),
                1_600_000_000L), tx, io.chaintrace.core.model.TransferKind.NATIVE, 0, Address.parse(String.format("0x%040x", 0x5000 + tx)),
                Address.parse(String.format("0x%040x", 0x6000 + tx)), new io.chaintrace.core.model.Amount(io.chaintrace.core.model.Asset.ETH,
                BigInteger.valueOf(1_000 + tx)));
        List<List<Integer>> orders = List.of(List.of(0, 1, 2), List.of(0, 0, 1, 2), List.of(0, 1, 2, 1), List.of(2, 0, 1, 0, 2));
        for (int k = 0; k < orders.size(); k++) {
            try (ChainStore store = ChainStore.open(dir.resolve("twice" + k))) {
                Hash256 hash = Hash256.fromHex(String.format("%064x", 0xb5));
                store.appendEthBlock(new EthBlock(5, hash, Hash256.ZERO, 1_600_000_000L, orders.get(k).stream().map(transfer::apply).toList()),
                        new Checkpoint("eth", hash, 5, 1));
                assertEquals(3, store.ethStats().transfers(), "order " + orders.get(k));
                assertEquals(List.of(1_000L, 1_001L, 1_002L), store.ethTransfers(0, Long.MAX_VALUE).stream()
                        .map(t -> t.amount().units().longValueExact()).toList(), "order " + orders.get(k));
            }
        }
    }

    @Test
    void labelsMergeBySourceAndEntity() {
        try (ChainStore s = ChainStore.open(dir.resolve("s"))) {
            s.putLabels(BOB, List.of(new Label(BOB, "Binance", LabelCategory.EXCHANGE, "etherscan", 0.9)));
            s.putLabels(BOB, List.of(new Label(BOB, "Binance", LabelCategory.DEPOSIT, "etherscan", 1.0),
                    new Label(BOB, "OFAC SDN", LabelCategory.SANCTIONED, "ofac", 1.0)));
            List<Label> labels = s.labelsOf(BOB);
            assertEquals(2, labels.size());
            assertEquals(LabelCategory.DEPOSIT, labels.getFirst().category());
            assertTrue(s.labelsOf(ALICE).isEmpty());
        }
    }

    @Test
    void secondWriterIsToldTheStoreIsInUseWhileReadersMayRead() {
        try (ChainStore writer = ChainStore.open(dir.resolve("s"))) {
            writer.append(block(), new Checkpoint("test", h(200), 0, 1));
            writer.sync(); // appended blocks reach the files a group at a time; another process reads what is written
            StoreException e = assertThrows(StoreException.class, () -> ChainStore.open(dir.resolve("s")));
            assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
            try (ChainStore reader = ChainStore.openReadOnly(dir.resolve("s"))) {
                assertEquals(3, reader.stats().txs());
                assertThrows(IllegalStateException.class, () -> reader.putLabels(ALICE, List.of()));
            }
        }
    }

    @Test
    void aStoreOpenedToScanReadsWhatALookUpReaderReads() {
        try (ChainStore writer = ChainStore.open(dir.resolve("s"))) {
            writer.append(block(), new Checkpoint("test", h(200), 0, 1));
            writer.putLabels(BOB, List.of(new Label(BOB, "Binance", LabelCategory.EXCHANGE, "etherscan", 0.9)));
            try (ChainStore lookups = ChainStore.openReadOnly(dir.resolve("s")); ChainStore scan = ChainStore.openToScan(dir.resolve("s"))) {
                List<UtxoTransaction> seen = new java.util.ArrayList<>();
                List<UtxoTransaction> scanned = new java.util.ArrayList<>();
                lookups.forEachTransaction(seen::add);
                scan.forEachTransaction(scanned::add);
                assertEquals(3, scanned.size());
                assertEquals(seen, scanned);
                assertEquals(lookups.digest(), scan.digest());
                assertEquals(h(2), scan.spenderOf(new Outpoint(h(1), 0)).orElseThrow().spendingTx());
                assertEquals(lookups.labelsOf(BOB), scan.labelsOf(BOB));
                assertThrows(IllegalStateException.class, () -> scan.putLabels(ALICE, List.of()), "a scan only reads");
            }
        }
        StoreException missing = assertThrows(StoreException.class, () -> ChainStore.openToScan(dir.resolve("nothing")));
        assertTrue(missing.getMessage().contains("no store here"), missing.getMessage());
    }

    @Test
    void aScanReadsEveryTransactionInChainOrderAcrossItsBatches() {
        // 2,550 transactions over 50 blocks, each spending outputs of the transaction before it: a scan reads them a
        // batch at a time; what it hands on is what a look-up by id reads, in chain order, from any sequence number.
        List<Hash256> written = new java.util.ArrayList<>();
        try (ChainStore s = ChainStore.open(dir.resolve("s"))) {
            Hash256 prevBlock = Hash256.ZERO;
            for (int b = 0; b < 50; b++) {
                List<NewBlock.NewTransaction> txs = new java.util.ArrayList<>();
                for (int t = 0; t < 51; t++) {
                    Hash256 id = numbered(1, written.size());
                    List<Outpoint> spends = t == 0 ? List.of(Outpoint.COINBASE) : List.of(new Outpoint(written.getLast(), 0));
                    List<TxOutput> outs = new java.util.ArrayList<>();
                    for (int o = 0; o <= written.size() % 3; o++) {
                        outs.add(out(o, 1_000_000L - written.size() - o, o % 2 == 0 ? ALICE : BOB));
                    }
                    txs.add(new NewBlock.NewTransaction(id, spends, outs));
                    written.add(id);
                }
                Hash256 hash = numbered(2, b);
                s.append(new NewBlock(hash, prevBlock, b, 1_600_000_000L + b * 600L, BigInteger.valueOf(b + 1), txs), new Checkpoint("test", hash, b, b + 1));
                prevBlock = hash;
            }
        }
        try (ChainStore scan = ChainStore.openToScan(dir.resolve("s"))) {
            List<UtxoTransaction> all = new java.util.ArrayList<>();
            scan.forEachTransaction(all::add);
            assertEquals(written, all.stream().map(UtxoTransaction::txid).toList());
            for (int i : new int[] {0, 999, 1000, 1001, 2549}) {
                assertEquals(scan.transaction(written.get(i)).orElseThrow(), all.get(i));
            }
            assertEquals(written.get(1000), all.get(1000).txid());
            assertEquals(3, all.get(2).outputs().size());
            assertEquals(InputStatus.RESOLVED, all.get(1001).inputs().getFirst().status());
            List<UtxoTransaction> part = new java.util.ArrayList<>();
            scan.forEachTransaction(998, 1_004, part::add);
            assertEquals(all.subList(998, 2_002), part);
        }
    }

    private static Hash256 numbered(int kind, int n) {
        byte[] b = new byte[32];
        b[0] = (byte) kind;
        b[28] = (byte) (n >>> 24);
        b[29] = (byte) (n >>> 16);
        b[30] = (byte) (n >>> 8);
        b[31] = (byte) n;
        // Ids that sort apart from chain order, as real ones do.
        b[1] = (byte) (n * 0x9E3779B1 >>> 24);
        return new Hash256(b);
    }

    @Test
    void directoriesThatAreNoStoreAreRefused() throws Exception {
        StoreException missing = assertThrows(StoreException.class, () -> ChainStore.openReadOnly(dir.resolve("nothing")));
        assertTrue(missing.getMessage().contains("no store here"), missing.getMessage());
        Path garbage = dir.resolve("garbage");
        Files.createDirectories(garbage);
        Files.writeString(garbage.resolve("CURRENT"), "MANIFEST-000001\n");
        StoreException corrupt = assertThrows(StoreException.class, () -> ChainStore.openReadOnly(garbage));
        assertTrue(corrupt.getMessage().startsWith("store " + garbage), corrupt.getMessage());
    }

    @Test
    void aStoreFromBeforeTheEthereumFamiliesOpensForReading() throws Exception {
        Path old = dir.resolve("old");
        try (ChainStore s = ChainStore.open(old)) {
            s.append(block(), new Checkpoint("test", h(200), 0, 1));
        }
        // Drop the newer families, as a store written before them would lack them.
        raw(old, (db, handles) -> {
            for (org.rocksdb.ColumnFamilyHandle h : handles) {
                String name = new String(h.getName());
                if (name.startsWith("eth_") || name.startsWith("asset") || name.equals("transfers") || name.equals("account_transfers")) {
                    db.dropColumnFamily(h);
                }
            }
        });
        try (ChainStore s = ChainStore.openReadOnly(old)) {
            assertEquals(3, s.stats().txs());
            assertEquals(0, s.ethStats().blocks());
        }
    }

    @Test
    void aStoreOfAnotherFormatIsRefusedWithWhatToDo() throws Exception {
        Path old = dir.resolve("format1");
        try (ChainStore s = ChainStore.open(old)) {
            s.append(block(), new Checkpoint("test", h(200), 0, 1));
        }
        raw(old, (db, handles) -> {
            for (org.rocksdb.ColumnFamilyHandle h : handles) {
                if (new String(h.getName()).equals("meta")) {
                    db.put(h, "format".getBytes(), "chaintrace-store-1".getBytes());
                }
            }
        });
        StoreException e = assertThrows(StoreException.class, () -> ChainStore.openReadOnly(old));
        assertTrue(e.otherVersion());
        assertTrue(e.getMessage().contains("chaintrace-store-1") && e.getMessage().contains("ingest again"), e.getMessage());
    }

    @Test
    void theCompactRowsStopAtTheOwnersWhoseLatestLabelsAreInTheStopSet() {
        Path store = dir.resolve("endpoints");
        try (ChainStore s = ChainStore.open(store)) {
            s.append(block(), new Checkpoint("test", h(200), 0, 1));
            s.putLabels(BOB, List.of(new Label(BOB, "Binance", LabelCategory.EXCHANGE, "list-a", 1.0)));
            s.putLabels(ALICE, List.of(new Label(ALICE, "Alice", LabelCategory.THEFT, "case", 1.0)));
        }
        int alice;
        int bob;
        try (ChainStore s = ChainStore.openReadOnly(store)) {
            alice = idOf(s, ALICE);
            bob = idOf(s, BOB);
            io.chaintrace.core.compact.PagedChain services = s.compactRows(io.chaintrace.core.trace.TraceRequest.SERVICES, 1 << 20);
            assertTrue(services.endpoint(bob), "an exchange is a service");
            assertFalse(services.endpoint(alice), "a theft label is not");
            assertFalse(services.endpoint(-1), "no owner");
            assertFalse(services.endpoint(Integer.MAX_VALUE), "an id past every label");
            io.chaintrace.core.compact.PagedChain thefts = s.compactRows(java.util.Set.of(LabelCategory.THEFT), 1 << 20);
            assertTrue(thefts.endpoint(alice));
            assertFalse(thefts.endpoint(bob));
        }
        // The same source corrects its label: the later record wins, the exchange bit is cleared.
        try (ChainStore s = ChainStore.open(store)) {
            s.putLabels(BOB, List.of(new Label(BOB, "Binance", LabelCategory.OTHER, "list-a", 1.0)));
        }
        try (ChainStore s = ChainStore.openReadOnly(store)) {
            assertFalse(s.compactRows(io.chaintrace.core.trace.TraceRequest.SERVICES, 1 << 20).endpoint(bob));
        }
    }

    private static int idOf(ChainStore s, Address a) {
        for (int id = 0; id < s.stats().addresses(); id++) {
            if (s.address(id).equals(a)) {
                return id;
            }
        }
        throw new AssertionError(a + " has no id");
    }

    @Test
    void aStoreKilledBeforeItsMarkerOpensEmptyButOneWithDataAndNoMarkerIsRefused() throws Exception {
        // A kill between RocksDB creating its files and the marker being written leaves an empty database.
        Path killed = dir.resolve("killed-at-creation");
        ChainStore.open(killed).close();
        raw(killed, (db, handles) -> deleteMarker(db, handles));
        try (ChainStore s = ChainStore.openReadOnly(killed)) {
            assertEquals(0, s.stats().txs());
        }
        try (ChainStore s = ChainStore.open(killed)) {
            s.append(block(), new Checkpoint("test", h(200), 0, 1));
        }
        try (ChainStore s = ChainStore.openReadOnly(killed)) {
            assertEquals(3, s.stats().txs());
        }

        // Data without a marker is not ours to read or to stamp.
        raw(killed, (db, handles) -> deleteMarker(db, handles));
        for (boolean readOnly : new boolean[] {true, false}) {
            StoreException e = assertThrows(StoreException.class, () -> (readOnly ? ChainStore.openReadOnly(killed) : ChainStore.open(killed)).close());
            assertTrue(e.getMessage().contains("not a Chaintrace store") && e.getMessage().contains(killed.toString()), e.getMessage());
        }
    }

    private static void deleteMarker(org.rocksdb.RocksDB db, java.util.List<org.rocksdb.ColumnFamilyHandle> handles) throws org.rocksdb.RocksDBException {
        for (org.rocksdb.ColumnFamilyHandle h : handles) {
            if (new String(h.getName()).equals("meta")) {
                db.delete(h, "format".getBytes());
            }
        }
    }

    interface RawAction {
        void run(org.rocksdb.RocksDB db, java.util.List<org.rocksdb.ColumnFamilyHandle> handles) throws org.rocksdb.RocksDBException;
    }

    /** Opens a store with plain RocksDB (every family, the page families with their merge operator) to change it behind ChainStore's back. */
    static void raw(Path store, RawAction action) throws org.rocksdb.RocksDBException {
        try (org.rocksdb.Options o = new org.rocksdb.Options();
             org.rocksdb.DBOptions d = new org.rocksdb.DBOptions();
             org.rocksdb.StringAppendOperator append = new org.rocksdb.StringAppendOperator("");
             org.rocksdb.ColumnFamilyOptions merging = new org.rocksdb.ColumnFamilyOptions().setMergeOperator(append)) {
            java.util.List<org.rocksdb.ColumnFamilyDescriptor> all = new java.util.ArrayList<>();
            for (byte[] n : org.rocksdb.RocksDB.listColumnFamilies(o, store.toString())) {
                String name = new String(n);
                all.add(name.equals("tx_pages") || name.equals("owner_labels") ? new org.rocksdb.ColumnFamilyDescriptor(n, merging)
                        : new org.rocksdb.ColumnFamilyDescriptor(n));
            }
            java.util.List<org.rocksdb.ColumnFamilyHandle> handles = new java.util.ArrayList<>();
            try (org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(d, store.toString(), all, handles)) {
                action.run(db, handles);
                handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
            }
        }
    }

    /**
     * A first ingest killed while RocksDB created the store (its files written, CURRENT not yet): the next run creates the
     * store afresh instead of refusing the directory as not a store. A directory with a file of the user's among RocksDB
     * names is still refused and left as it is.
     */
    @Test
    void aStoreWhoseCreationWasKilledIsCreatedAfreshButAUsersDirectoryIsNot() throws Exception {
        Path killed = dir.resolve("killed");
        ChainStore.open(killed).close();
        Files.delete(killed.resolve("CURRENT")); // as a SIGKILL before RocksDB named its first manifest current
        assertTrue(StoreFiles.killedCreation(killed));
        try (ChainStore cs = ChainStore.open(killed)) {
            assertEquals(0, cs.stats().blocks());
        }
        // What a SIGKILL a second into a first ingest left, seen by hand: RocksDB's lock, its info log and a temporary file.
        Path early = Files.createDirectories(dir.resolve("early"));
        Files.writeString(early.resolve("LOCK"), "");
        Files.writeString(early.resolve("LOG"), "2026/12/02-13:59:01.000000 7f RocksDB version: 11.8.1\n");
        Files.write(early.resolve("000000.dbtmp"), new byte[] {0});
        try (ChainStore cs = ChainStore.open(early)) {
            assertEquals(0, cs.stats().blocks());
        }
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(mine.resolve("IDENTITY"), "x");
        Files.writeString(mine.resolve("notes.txt"), "my notes");
        Path log = Files.createDirectories(dir.resolve("log"));
        Files.writeString(log.resolve("LOCK"), "");
        Files.writeString(log.resolve("LOG"), "my investigation log\n");
        assertFalse(StoreFiles.killedCreation(log), "a LOG of the user's is not RocksDB's");
        assertFalse(StoreFiles.killedCreation(mine));
        StoreException e = assertThrows(StoreException.class, () -> ChainStore.open(mine));
        assertTrue(e.getMessage().contains("not empty and not a Chaintrace store"), e.getMessage());
        assertEquals("my notes", Files.readString(mine.resolve("notes.txt")));
    }
}
