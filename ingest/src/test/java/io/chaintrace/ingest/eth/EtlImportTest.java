package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.TransferExtractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TransferKind;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.EthBlock;
import io.chaintrace.ingest.IngestListener;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** blockchain-etl exports into the store, checked against the export files and against the node path. */
class EtlImportTest {
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS).build();

    @TempDir
    Path dir;

    static Path stream(String name) {
        return MainnetConformanceTest.etl().resolve("test_stream").resolve(name);
    }

    @Test
    void twoMainnetBlocksImportWithExactCountsAndSumsPerAsset() throws IOException {
        Path d = stream("blocks_17173049_17173050");
        List<Path> files = List.of(d.resolve("expected_blocks.json"), d.resolve("expected_transactions.json"),
                d.resolve("expected_token_transfers.json"));
        // What the files say, read here independently: successful transactions with value, and
        // token transfers with a non-zero amount, summed per asset.
        Map<String, BigInteger> sums = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : Files.readAllLines(d.resolve("expected_transactions.json"))) {
            JsonNode t = JSON.readTree(line);
            BigInteger v = t.path("value").bigIntegerValue();
            if (v.signum() > 0 && t.path("receipt_status").asInt() == 1) {
                sums.merge("ETH", v, BigInteger::add);
                counts.merge("ETH", 1, Integer::sum);
            }
        }
        for (String line : Files.readAllLines(d.resolve("expected_token_transfers.json"))) {
            JsonNode t = JSON.readTree(line);
            BigInteger v = t.path("value").bigIntegerValue();
            if (v.signum() > 0) {
                sums.merge(t.path("token_address").asString(), v, BigInteger::add);
                counts.merge(t.path("token_address").asString(), 1, Integer::sum);
            }
        }
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            EtlSource.Summary s = new EtlSource(store, files).run(IngestListener.NONE);
            assertEquals(2, s.blocks());
            Map<String, BigInteger> storedSums = new TreeMap<>();
            Map<String, Integer> storedCounts = new TreeMap<>();
            for (AccountTransfer t : store.ethTransfers(17173049, 17173050)) {
                String asset = t.amount().asset().contract().map(a -> a.text().toLowerCase()).orElse("ETH");
                storedSums.merge(asset, t.amount().units(), BigInteger::add);
                storedCounts.merge(asset, 1, Integer::sum);
            }
            assertEquals(counts, storedCounts);
            assertEquals(sums, storedSums);
            assertTrue(counts.size() > 5, "several assets move in these blocks: " + counts.keySet());
            assertEquals(Hash256.fromHex("0xaa5ab9bb22d8020d438496a7edb4eff508b1c5128b0dc01fdecf57f96aac1bb3"),
                    store.ethBlock(17173049).orElseThrow().hash());
            // Importing again writes nothing.
            assertEquals(0, new EtlSource(store, files).run(IngestListener.NONE).blocks());
        }
    }

    @Test
    void exportAndNodeGiveTheSameTransfers() throws IOException {
        Path d = stream("blocks_1755634_1755635");
        Set<String> fromNode = new HashSet<>();
        try (RecordedNode node = new RecordedNode(d); EthRpcClient client = new EthRpcClient(node.url(), MainnetConformanceTest.FAST);
             ChainStore store = ChainStore.open(dir.resolve("node"))) {
            TransferExtractor extractor = new TransferExtractor(new TokenRegistry(client));
            for (long n = 1755634; n <= 1755635; n++) {
                EthRows.Block b = client.block(n);
                Map<Hash256, EthRows.Receipt> receipts = client.receipts(b);
                List<EthRows.TokenTransfer> tokens = receipts.values().stream()
                        .flatMap(r -> TransferExtractor.tokenTransfers(r.logs()).stream()).toList();
                store.appendEthBlock(new EthBlock(n, b.hash(), b.parent(), b.timestamp(), extractor.extract(b, receipts, List.of(), tokens)),
                        new Checkpoint("test", b.hash(), (int) n, 1));
            }
            store.ethTransfers(0, Long.MAX_VALUE).forEach(t -> fromNode.add(key(t)));
        }
        Set<String> fromExport;
        try (ChainStore store = ChainStore.open(dir.resolve("etl"))) {
            new EtlSource(store, List.of(d.resolve("expected_transactions.json"),
                    d.resolve("expected_token_transfers.json"))).run(IngestListener.NONE);
            fromExport = store.ethTransfers(0, Long.MAX_VALUE).stream().map(EtlImportTest::key).collect(Collectors.toSet());
        }
        assertTrue(fromNode.stream().anyMatch(k -> k.contains("TOKEN")), "these blocks hold token transfers");
        assertEquals(fromNode, fromExport);
    }

    private static String key(AccountTransfer t) {
        return String.join("|", t.txHash().hex(), String.valueOf(t.block().height()), String.valueOf(t.txIndex()), t.kind().name(),
                String.valueOf(t.index()), t.from().text(), t.to().text(), t.amount().units().toString(),
                t.amount().asset().contract().map(a -> a.text()).orElse("ETH"));
    }

    /**
     * A directory as ethereum-etl's export_all leaves it (a folder per table, partitioned by block range; its receipts
     * and contracts beside) imports the same as its files named one by one; a directory without an export is refused.
     */
    @Test
    void aDirectoryImportsAsItsFiles() throws IOException {
        Path d = stream("blocks_17173049_17173050");
        Path export = dir.resolve("export_all");
        for (String table : List.of("blocks", "transactions", "token_transfers")) {
            Path to = export.resolve(table + "/start_block=17173049/end_block=17173050/" + table + "_17173049_17173050.json");
            Files.createDirectories(to.getParent());
            Files.copy(d.resolve("expected_" + table + ".json"), to);
        }
        Files.writeString(export.resolve("receipts.csv"), "transaction_hash,status\n");
        String byFiles;
        String byDirectory;
        try (ChainStore a = ChainStore.open(dir.resolve("by-files")); ChainStore b = ChainStore.open(dir.resolve("by-directory"))) {
            new EtlSource(a, List.of(d.resolve("expected_blocks.json"), d.resolve("expected_transactions.json"),
                    d.resolve("expected_token_transfers.json"))).run(IngestListener.NONE);
            EtlSource.Summary s = new EtlSource(b, List.of(export)).run(IngestListener.NONE);
            assertEquals(2, s.blocks());
            assertTrue(s.transfers() > 100, s.toString());
            byFiles = a.digest();
            byDirectory = b.digest();
        }
        assertEquals(byFiles, byDirectory);
        Path empty = Files.createDirectories(dir.resolve("nothing-here"));
        Files.writeString(empty.resolve("notes.txt"), "not an export");
        try (ChainStore c = ChainStore.open(dir.resolve("empty-store"))) {
            EtlFiles.EtlFormatException e = assertThrows(EtlFiles.EtlFormatException.class,
                    () -> new EtlSource(c, List.of(empty)).run(IngestListener.NONE));
            assertTrue(e.getMessage().startsWith(empty + ": line 0: a directory without ethereum-etl files"), e.getMessage());
            assertEquals(0, c.ethStats().blocks());
        }
    }

    @Test
    void aBadRowIsReportedWithFileAndLine() throws IOException {
        Path f = dir.resolve("transactions.csv");
        Files.writeString(f, """
                hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,input,block_timestamp
                0x99f1097abd8f33a68f0ed63d60de5f3e7e2a3e0579b90d5f46a4f201c658b46d,9,0x889c421abc62a48641eee140519e6da8c9dc01d85d8f5c4fbc3c13e3c6e4cb3e,47218,0,0x1406854d149e081ac09cb4ca560da463f3123059,0xa0e74ae010d51894734c308d612131056bb721ad,110000000000000000000,40000,62227241854,0x,1438936285
                0x95844e6c54b4aafc8e1f75784127529280e75c3a980d91f6dfca1c1b0eb078fb,78,0x889c421abc62a48641eee140519e6da8c9dc01d85d8f5c4fbc3c13e3c6e4cb3e,47218,1,0xe6a7a1d47ff21b6321162aea7c6cb457d5476bca,0xee80ef3c49d9465c7fc2b3d7373fdbbbc3fe282f,lots,21000,62222792381,0x,1438936285
                """);
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            EtlFiles.EtlFormatException e = assertThrows(EtlFiles.EtlFormatException.class,
                    () -> new EtlSource(store, List.of(f)).run(IngestListener.NONE));
            assertEquals(f + ": line 3: bad transaction row: value 'lots' is not a whole number from 0 to 2^256-1", e.getMessage());
            assertEquals(0, store.ethStats().blocks(), "nothing of a file with a bad row is half-written");
        }
    }

    @Test
    void parityTracesFromAnExportGiveInternalTransfers() {
        Path d = MainnetConformanceTest.etl().resolve("test_export_traces_job").resolve("block_with_subtraces");
        List<EthRows.Trace> traces = EtlFiles.rows(d.resolve("expected_traces.csv")).stream().map(EtlFiles::trace).toList();
        Map<TransferKind, Integer> kinds = new HashMap<>();
        for (EthRows.Trace t : traces) {
            if (TransferExtractor.movesValue(t)) {
                kinds.merge(TransferKind.INTERNAL, 1, Integer::sum);
            }
        }
        // Block 1,000,000: a call with a nested CALLCODE (pays the caller itself: no transfer).
        assertEquals(Map.of(), kinds);
        assertTrue(traces.stream().anyMatch(t -> t.callType().equals(java.util.Optional.of("callcode")) && t.value().signum() > 0));
    }
}
