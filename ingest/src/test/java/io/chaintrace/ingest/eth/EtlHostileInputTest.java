package io.chaintrace.ingest.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.TransferKind;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports as a careless or hostile hand makes them: amounts no EVM word holds, negative amounts,
 * rows given twice, files of another kind. Each was once stored wrong or dropped without a word.
 */
class EtlHostileInputTest {
    static final String HEADER = "hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input,"
            + "block_timestamp,receipt_status";
    static final String ROW = "0x99f1097abd8f33a68f0ed63d60de5f3e7e2a3e0579b90d5f46a4f201c658b46d,9,"
            + "0x889c421abc62a48641eee140519e6da8c9dc01d85d8f5c4fbc3c13e3c6e4cb3e,47218,0,0x1406854d149e081ac09cb4ca560da463f3123059,"
            + "0xa0e74ae010d51894734c308d612131056bb721ad,VALUE,40000,62227241854,0x,1438936285,1";

    @TempDir
    Path dir;

    private Path transactions(String... rows) throws IOException {
        Path f = dir.resolve("transactions.csv");
        Files.writeString(f, HEADER + "\n" + String.join("\n", rows) + "\n");
        return f;
    }

    private EtlFiles.EtlFormatException refused(Path f) {
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            EtlFiles.EtlFormatException e = assertThrows(EtlFiles.EtlFormatException.class,
                    () -> new EtlSource(store, List.of(f)).run(IngestListener.NONE));
            assertEquals(0, store.ethStats().blocks(), "nothing stored: " + e.getMessage());
            return e;
        }
    }

    @Test
    void amountsOutsideUint256AreRefusedWithFileAndLine() throws IOException {
        BigInteger huge = BigInteger.ONE.shiftLeft(2050).add(BigInteger.valueOf(7));
        for (String value : List.of(huge.toString(), "9".repeat(5_000), "-5", BigInteger.ONE.shiftLeft(256).toString(), "1e18", "")) {
            EtlFiles.EtlFormatException e = refused(transactions(ROW.replace("VALUE", value)));
            assertTrue(e.getMessage().startsWith(dir.resolve("transactions.csv") + ": line 2: "), e.getMessage());
            assertTrue(e.getMessage().contains("value") && e.getMessage().length() < 300, e.getMessage());
        }
        // The largest word is an amount like any other, stored exactly.
        BigInteger max = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        try (ChainStore store = ChainStore.open(dir.resolve("max"))) {
            new EtlSource(store, List.of(transactions(ROW.replace("VALUE", max.toString())))).run(IngestListener.NONE);
            assertEquals(max, store.ethTransfers(0, Long.MAX_VALUE).getFirst().amount().units());
        }
    }

    @Test
    void aRowGivenTwiceIsStoredOnceAndTwoDifferentRowsForOneHashAreRefused() throws IOException {
        String row = ROW.replace("VALUE", "110000000000000000000");
        try (ChainStore store = ChainStore.open(dir.resolve("twice"))) {
            EtlSource.Summary s = new EtlSource(store, List.of(transactions(row, row))).run(IngestListener.NONE);
            assertEquals(1, s.transfers());
            assertEquals(1, store.ethTransfers(0, Long.MAX_VALUE).size());
        }
        EtlFiles.EtlFormatException e = refused(transactions(row, row.replace("110000000000000000000", "1")));
        assertTrue(e.getMessage().contains(": line 3: transaction 0x99f1097a") && e.getMessage().contains("other fields"), e.getMessage());
    }

    /** The same log in two overlapping exports moves its tokens once; the same log with another amount is refused with its line. */
    @Test
    void aLogGivenTwiceIsStoredOnceAndTwoDifferentRowsForOneLogAreRefused() throws IOException {
        Path tx = transactions(ROW.replace("VALUE", "0"));
        String log = "0xdac17f958d2ee523a2206206994597c13d831ec7,0x1406854d149e081ac09cb4ca560da463f3123059,"
                + "0xa0e74ae010d51894734c308d612131056bb721ad,AMOUNT,0x99f1097abd8f33a68f0ed63d60de5f3e7e2a3e0579b90d5f46a4f201c658b46d,3,47218";
        String header = "token_address,from_address,to_address,value,transaction_hash,log_index,block_number\n";
        Path logs = dir.resolve("token_transfers.csv");
        Files.writeString(logs, header + log.replace("AMOUNT", "5000000") + "\n" + log.replace("AMOUNT", "5000000") + "\n");
        try (ChainStore store = ChainStore.open(dir.resolve("logs"))) {
            new EtlSource(store, List.of(tx, logs)).run(IngestListener.NONE);
            List<AccountTransfer> tokens = store.ethTransfers(0, Long.MAX_VALUE).stream()
                    .filter(t -> t.kind() == TransferKind.TOKEN).toList();
            assertEquals(1, tokens.size(), tokens.toString());
            assertEquals(BigInteger.valueOf(5_000_000), tokens.getFirst().amount().units());
        }
        Files.writeString(logs, header + log.replace("AMOUNT", "5000000") + "\n" + log.replace("AMOUNT", "6000000") + "\n");
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            EtlFiles.EtlFormatException e = assertThrows(EtlFiles.EtlFormatException.class,
                    () -> new EtlSource(store, List.of(tx, logs)).run(IngestListener.NONE));
            assertEquals(logs + ": line 3: log 3 of transaction 0x99f1097abd8f33a68f0ed63d60de5f3e7e2a3e0579b90d5f46a4f201c658b46d again,"
                    + " with other fields than before", e.getMessage());
            assertEquals(0, store.ethStats().blocks(), "nothing stored");
        }
    }

    /** A row with more values than the header names, or fewer than a required column needs: its line, nothing stored. */
    @Test
    void rowsOfTheWrongWidthAreRefusedWithTheirLine() throws IOException {
        String row = ROW.replace("VALUE", "110000000000000000000");
        EtlFiles.EtlFormatException wide = refused(transactions(row, row.replace("0x99f1", "0x99f2") + ",extra"));
        assertEquals(dir.resolve("transactions.csv") + ": line 3: not a CSV row: 14 columns where the header names 13", wide.getMessage());
        String narrow = String.join(",", java.util.Arrays.copyOf(row.split(","), 6));
        EtlFiles.EtlFormatException missing = refused(transactions(row, narrow.replace("0x99f1", "0x99f2")));
        assertEquals(dir.resolve("transactions.csv") + ": line 3: missing value", missing.getMessage());
    }

    /**
     * A quote left open would make the rest of the file one value: the rows after it dropped without a word. A byte order
     * mark and Windows line ends are what spreadsheet tools write: read as the same rows.
     */
    @Test
    void anUnclosedQuoteIsRefusedAndByteOrderMarksAndCrLfAreRead() throws IOException {
        String row = ROW.replace("VALUE", "110000000000000000000");
        String open = row.replace("0x99f1", "0x99f3").replace(",0x,", ",\"0x,");
        EtlFiles.EtlFormatException e = refused(transactions(row, open, row.replace("0x99f1", "0x99f4")));
        assertEquals(dir.resolve("transactions.csv") + ": line 3: not a CSV row: a quoted value opened here or after is not closed"
                + " before the end of the file", e.getMessage());
        // A quoted value may hold a line break: a bad row after it is named by the line it starts on.
        String twoLines = row.replace(",0x,", ",\"0x\n\",");
        String bad = row.replace("0x99f1", "0x99f5").replace(",9,", ",\"9\"x,");
        e = refused(transactions(twoLines, bad));
        assertEquals(dir.resolve("transactions.csv") + ": line 4: not a CSV row: Unexpected character after closing quote: 'x' (0x78)",
                e.getMessage());
        Path windows = dir.resolve("transactions.csv");
        Files.writeString(windows, "\uFEFF" + HEADER + "\r\n" + row + "\r\n" + row.replace("0x99f1", "0x99f4").replace(",47218,0,", ",47218,1,") + "\r\n");
        try (ChainStore store = ChainStore.open(dir.resolve("windows"))) {
            EtlSource.Summary s = new EtlSource(store, List.of(windows)).run(IngestListener.NONE);
            assertEquals(2, s.transfers());
            assertEquals(new BigInteger("110000000000000000000"), store.ethTransfers(0, Long.MAX_VALUE).getFirst().amount().units());
        }
    }

    @Test
    void filesOfAnotherKindAreRefused() throws IOException {
        Path notes = dir.resolve("accounts.csv");
        Files.writeString(notes, "name,balance\nalice,10\n");
        EtlFiles.EtlFormatException e = refused(notes);
        assertTrue(e.getMessage().startsWith(notes + ": line 2: not a row of an ethereum-etl table"), e.getMessage());
        Path binary = dir.resolve("transactions.json");
        Files.write(binary, new byte[] {'{', '"', 'a', 0, 1, 2, (byte) 0xff});
        e = refused(binary);
        assertTrue(e.getMessage().contains("binary data at byte offset 3"), e.getMessage());
        Path badAddress = transactions(ROW.replace("VALUE", "1").replace("0x1406854d149e081ac09cb4ca560da463f3123059", "0x1406zz"));
        e = refused(badAddress);
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("from_address '0x1406zz' is not an Ethereum address"),
                e.getMessage());
    }

    /**
     * The call data an import does not read (a transaction's input) is passed over unread however it is written: quoted,
     * with commas, quotes and line ends, 100 KB long; the rows around it are read whole. A reader asking for a column
     * passed over is told so (a programming error), not handed an empty value.
     */
    @Test
    void callDataIsPassedOverWhateverItHolds() throws IOException {
        String input = "\"0x" + "ab".repeat(50_000) + ",\"\"quoted\"\"\n,next line\"";
        Path f = transactions(ROW.replace("VALUE", "5").replace(",0x,", "," + input + ","),
                ROW.replace("VALUE", "7").replace("0x99f1", "0x99f2").replace(",47218,0,", ",47218,1,"));
        List<EtlFiles.Row> rows = EtlFiles.rows(f);
        assertEquals(List.of(2L, 4L), rows.stream().map(EtlFiles.Row::line).toList());
        assertEquals("5", rows.get(0).columns().get("value"));
        assertEquals("1438936285", rows.get(0).columns().get("block_timestamp"));
        IllegalStateException unread = assertThrows(IllegalStateException.class, () -> rows.get(0).columns().get("input"));
        assertTrue(unread.getMessage().contains("input"), unread.getMessage());
        try (ChainStore store = ChainStore.open(dir.resolve("calldata"))) {
            EtlSource.Summary s = new EtlSource(store, List.of(f)).run(IngestListener.NONE);
            assertEquals(2, s.transfers());
            assertEquals(List.of(BigInteger.valueOf(5), BigInteger.valueOf(7)), store.ethTransfers(0, Long.MAX_VALUE).stream()
                    .map(t -> t.amount().units()).sorted().toList());
        }
    }

    /** A trace row given twice (overlapping exports) moves its value once, as a transaction row given twice does. */
    @Test
    void aTraceGivenTwiceMovesValueOnce() throws IOException {
        String hash = "0x99f1097abd8f33a68f0ed63d60de5f3e7e2a3e0579b90d5f46a4f201c658b46d";
        String contract = "0xa0e74ae010d51894734c308d612131056bb721ad";
        String header = "block_number,transaction_hash,transaction_index,from_address,to_address,value,input,output,trace_type,call_type,"
                + "reward_type,gas,gas_used,subtraces,trace_address,error,status";
        String root = "47218," + hash + ",0,0x1406854d149e081ac09cb4ca560da463f3123059," + contract + ",5,0x,0x,call,call,,40000,21000,1,,,1";
        String inner = "47218," + hash + ",0," + contract + ",0x00000000000000000000000000000000000000aa,3,0x,0x,call,call,,30000,0,0,0,,1";
        Path traces = dir.resolve("traces.csv");
        Files.writeString(traces, header + "\n" + root + "\n" + inner + "\n" + inner + "\n");
        Path txs = transactions(ROW.replace("VALUE", "5"));
        try (ChainStore store = ChainStore.open(dir.resolve("traced"))) {
            new EtlSource(store, List.of(txs, traces)).run(IngestListener.NONE);
            List<AccountTransfer> stored = store.ethTransfers(0, Long.MAX_VALUE);
            assertEquals(List.of(TransferKind.NATIVE, TransferKind.INTERNAL), stored.stream().map(AccountTransfer::kind).toList(), stored.toString());
            assertEquals(BigInteger.valueOf(3), stored.get(1).amount().units());
        }
    }

    /**
     * Two transactions at one index of a block (a hand-edited or mixed export): refused with the block and both hashes,
     * nothing stored. Their transfers would share one key, and the later was once dropped without a word.
     */
    @Test
    void twoTransactionsAtOneIndexAreRefused() throws IOException {
        Path f = transactions(ROW.replace("VALUE", "5"), ROW.replace("VALUE", "7").replace("0x99f1", "0x99f2"));
        try (ChainStore store = ChainStore.open(dir.resolve("clash"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EtlSource(store, List.of(f)).run(IngestListener.NONE));
            assertEquals("block 47218 has two transactions at index 0: 0x99f1097abd8f33a68f0ed63d60de5f3e7e2a3e0579b90d5f46a4f201c658b46d and "
                    + "0x99f2097abd8f33a68f0ed63d60de5f3e7e2a3e0579b90d5f46a4f201c658b46d", e.getMessage());
            assertEquals(0, store.ethStats().blocks(), "nothing stored");
        }
    }
}
