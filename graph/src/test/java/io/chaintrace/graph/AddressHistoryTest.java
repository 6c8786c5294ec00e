package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/**
 * The address history written in sorted runs after the blocks ({@link AddressHistory}) says what the blocks say, however
 * the runs are cut; a history left pending by a writer that stopped part-way is refused by a reader and rebuilt, key for
 * key, by the next writer.
 */
class AddressHistoryTest {
    @TempDir
    Path dir;

    /** Each owner's transactions in chain order, from the blocks themselves: paid by an output, or spending one of its. */
    private static Map<Address, List<Hash256>> historyOf(List<NewBlock> blocks) {
        Map<Outpoint, Address> ownerOf = new HashMap<>();
        Map<Address, List<Hash256>> history = new LinkedHashMap<>();
        for (NewBlock b : blocks) {
            for (NewBlock.NewTransaction tx : b.transactions()) {
                Set<Address> touched = new HashSet<>();
                for (Outpoint op : tx.spends()) {
                    Address a = ownerOf.get(op);
                    if (a != null) {
                        touched.add(a);
                    }
                }
                for (TxOutput o : tx.outputs()) {
                    Address a = o.owner().orElseThrow();
                    ownerOf.put(new Outpoint(tx.txid(), o.index()), a);
                    touched.add(a);
                }
                for (Address a : touched) {
                    history.computeIfAbsent(a, k -> new ArrayList<>()).add(tx.txid());
                }
            }
        }
        return history;
    }

    private String written(Path path, List<NewBlock> blocks, int historyRun) {
        try (ChainStore s = ChainStore.open(path, 60, BlockWriter.RECENT_OUTPUTS, historyRun)) {
            for (int i = 0; i < blocks.size(); i++) {
                NewBlock b = blocks.get(i);
                assertTrue(s.append(b, new Checkpoint("test", b.hash(), b.height(), i + 1)));
            }
        }
        try (ChainStore r = ChainStore.openReadOnly(path)) {
            Map<Address, List<Hash256>> expected = historyOf(blocks);
            // The chain's P2PKH owners are names, not Base58Check (their history would also list the key's payments).
            expected.keySet().removeIf(a -> a.kind() == ScriptKind.P2PKH);
            assertTrue(expected.size() > 150, "owners: " + expected.size());
            for (Map.Entry<Address, List<Hash256>> e : expected.entrySet()) {
                assertEquals(e.getValue(), r.transactionsOf(e.getKey()), "history of " + e.getKey() + " in runs of " + historyRun);
            }
            return r.digest();
        }
    }

    @Test
    void runsOfAnySizeHoldWhatTheBlocksSay() {
        for (long seed = 1; seed <= 2; seed++) {
            List<NewBlock> blocks = GroupedBlocksTest.chain(seed);
            String one = written(dir.resolve(seed + "-one"), blocks, AddressHistory.RUN_KEYS);
            for (int run : new int[] {1, 7, 100, 1_000}) {
                assertEquals(one, written(dir.resolve(seed + "-" + run), blocks, run), "runs of " + run);
            }
        }
    }

    @Test
    void aHistoryLeftPendingIsRefusedByAReaderAndRebuiltByTheNextWriter() {
        List<NewBlock> blocks = GroupedBlocksTest.chain(5);
        Path store = dir.resolve("store");
        String whole = written(store, blocks, 100);
        // What a kill leaves: the blocks from the 50th stored, their history not (the runs after the mark unwritten).
        List<NewBlock> lost = blocks.subList(50, blocks.size());
        long mark = 0;
        for (NewBlock b : blocks.subList(0, 50)) {
            mark += b.transactions().size();
        }
        Set<Hash256> lostTxs = new HashSet<>();
        lost.forEach(b -> b.transactions().forEach(t -> lostTxs.add(t.txid())));
        int deleted = 0;
        try (StoreFiles files = StoreFiles.open(store, false); RocksIterator it = files.iterator(Family.ADDRESS_TXS)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (lostTxs.contains(Hash256.of(it.key(), 12))) {
                    files.delete(Family.ADDRESS_TXS, it.key());
                    deleted++;
                }
            }
            files.put(Family.META, AddressHistory.MARK.getBytes(StandardCharsets.US_ASCII), Keys.number(mark));
        }
        assertTrue(deleted > 100, "keys of the lost history: " + deleted);
        Address owner = historyOf(blocks).keySet().stream().filter(a -> a.kind() != ScriptKind.P2PKH).findFirst().orElseThrow();
        try (ChainStore r = ChainStore.openReadOnly(store)) {
            assertNotEquals(whole, r.digest());
            StoreException e = assertThrows(StoreException.class, () -> r.transactionsOf(owner));
            assertTrue(e.getMessage().contains("address history is written up to transaction " + mark + " of "), e.getMessage());
        }
        try (ChainStore w = ChainStore.open(store, 60, BlockWriter.RECENT_OUTPUTS, 30)) {
            assertEquals(historyOf(blocks).get(owner), w.transactionsOf(owner));
        }
        try (ChainStore r = ChainStore.openReadOnly(store)) {
            assertEquals(whole, r.digest(), "rebuilt key for key, the mark gone");
        }
        try (StoreFiles files = StoreFiles.open(store, true)) {
            assertNull(files.get(Family.META, AddressHistory.MARK.getBytes(StandardCharsets.US_ASCII)));
        }
    }
}
