package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.TransferExtractor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.TransferKind;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real mainnet JSON-RPC responses (recorded by ethereum-etl, ../shared/data/eth/etl) served on
 * loopback to the web3j client yield exactly the rows ethereum-etl exported from them:
 * transactions, token transfers, and traces in both the Parity and the geth format.
 */
class MainnetConformanceTest {
    static final EthRpcClient.Settings FAST = new EthRpcClient.Settings(Duration.ofSeconds(10), 2, Duration.ofMillis(10));

    static Path etl() {
        String prop = System.getProperty("chaintrace.shared");
        Path dir = (prop != null ? Path.of(prop) : Path.of("..", "..", "shared")).resolve("data").resolve("eth").resolve("etl");
        if (!Files.isDirectory(dir)) {
            fail("Ethereum data not found at " + dir.toAbsolutePath() + ": these tests need ../shared/data beside the repository");
        }
        return dir;
    }

    /** Directories holding a recording whose name matches {@code pattern} and an expected file starting with {@code expected}. */
    static Stream<Path> dirs(String pattern, String expected) throws IOException {
        try (Stream<Path> all = Files.walk(etl(), 2)) {
            return all.filter(Files::isDirectory).filter(d -> !numbers(d, pattern).isEmpty() && expectedFile(d, expected).isPresent())
                    .sorted().toList().stream();
        }
    }

    static List<Long> numbers(Path dir, String pattern) {
        Pattern p = Pattern.compile("web3_response\\." + pattern + "\\.json");
        List<Long> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher m = p.matcher(f.getFileName().toString());
                if (m.matches()) {
                    out.add(Long.parseLong(m.group(1), 16));
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        out.sort(null);
        return out;
    }

    static boolean hasRecording(Path dir, String prefix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("web3_response." + prefix));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Optional<Path> expectedFile(Path dir, String prefix) {
        for (String ext : List.of(".csv", ".json")) {
            Path f = dir.resolve(prefix + ext);
            if (Files.isRegularFile(f)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    static final String BLOCK = "eth_getBlockByNumber_0x([0-9a-f]+)_true";

    static Stream<Path> transactionDirs() throws IOException {
        return dirs(BLOCK, "expected_transactions");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transactionDirs")
    void transactionsMatchEthereumEtl(Path dir) throws IOException {
        List<EthRows.Tx> actual = new ArrayList<>();
        try (RecordedNode node = new RecordedNode(dir); EthRpcClient client = new EthRpcClient(node.url(), FAST)) {
            for (long n : numbers(dir, BLOCK)) {
                actual.addAll(client.block(n).transactions());
            }
        }
        List<EthRows.Tx> expected = EtlFiles.rows(expectedFile(dir, "expected_transactions").get()).stream()
                .map(r -> EtlFiles.transaction(r).tx()).sorted(Comparator.comparingLong(EthRows.Tx::blockNumber)
                        .thenComparingInt(EthRows.Tx::index)).toList();
        assertEquals(expected, actual);
    }

    static Stream<Path> parityTraceDirs() throws IOException {
        return dirs("trace_block_0x([0-9a-f]+)", "expected_traces");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parityTraceDirs")
    void parityTracesMatchEthereumEtl(Path dir) throws IOException {
        List<EthRows.Trace> actual = new ArrayList<>();
        try (RecordedNode node = new RecordedNode(dir); EthRpcClient client = new EthRpcClient(node.url(), FAST)) {
            for (long n : numbers(dir, "trace_block_0x([0-9a-f]+)")) {
                actual.addAll(client.traces(new EthRows.Block(n, io.chaintrace.core.model.Hash256.ZERO,
                        io.chaintrace.core.model.Hash256.ZERO, 0, List.of())));
                assertEquals(TraceFormat.PARITY, client.traceFormat(n));
            }
        }
        List<EthRows.Trace> expected = EtlFiles.rows(expectedFile(dir, "expected_traces").get()).stream().map(EtlFiles::trace).toList();
        assertRowsEqual(expected, actual, true);
    }

    static Stream<Path> gethTraceDirs() throws IOException {
        return dirs("debug_traceBlockByNumber_0x([0-9a-f]+)_tracer_calltracer", "expected_traces");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("gethTraceDirs")
    void gethTracesMatchEthereumEtl(Path dir) throws IOException {
        List<EthRows.Trace> actual = new ArrayList<>();
        try (RecordedNode node = new RecordedNode(dir); EthRpcClient client = new EthRpcClient(node.url(), FAST)) {
            for (long n : numbers(dir, "debug_traceBlockByNumber_0x([0-9a-f]+)_tracer_calltracer")) {
                actual.addAll(client.traces(new EthRows.Block(n, io.chaintrace.core.model.Hash256.ZERO,
                        io.chaintrace.core.model.Hash256.ZERO, 0, List.of())));
                assertEquals(TraceFormat.GETH, client.traceFormat(n), "no trace_block here: the client falls back to geth's tracer");
            }
        }
        List<EthRows.Trace> expected = EtlFiles.rows(expectedFile(dir, "expected_traces").get()).stream().map(EtlFiles::trace).toList();
        assertRowsEqual(expected, actual, false);
    }

    /** Field for field; ethereum-etl's geth extraction leaves transaction hash and status empty, so those are compared for Parity only. */
    private static void assertRowsEqual(List<EthRows.Trace> expected, List<EthRows.Trace> actual, boolean parity) {
        assertEquals(expected.size(), actual.size(), "row count");
        for (int i = 0; i < expected.size(); i++) {
            EthRows.Trace e = expected.get(i);
            EthRows.Trace a = actual.get(i);
            String where = "row " + i + ": " + a;
            assertEquals(e.blockNumber(), a.blockNumber(), where);
            assertEquals(e.txIndex(), a.txIndex(), where);
            assertEquals(e.from(), a.from(), where);
            assertEquals(e.to(), a.to(), where);
            assertEquals(e.value(), a.value(), where);
            assertEquals(e.traceType(), a.traceType(), where);
            assertEquals(e.callType(), a.callType(), where);
            assertEquals(e.traceAddress(), a.traceAddress(), where);
            assertEquals(e.error(), a.error(), where);
            if (parity) {
                assertEquals(e.txHash(), a.txHash(), where);
                assertEquals(e.success(), a.success(), where);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenDirs")
    void tokenTransfersMatchEthereumEtl(Path dir) throws IOException {
        List<EthRows.TokenTransfer> actual = new ArrayList<>();
        try (RecordedNode node = new RecordedNode(dir); EthRpcClient client = new EthRpcClient(node.url(), FAST)) {
            List<Long> blocks = numbers(dir, BLOCK.replace("_true", "_(?:true|false)"));
            if (!hasRecording(dir, "eth_getTransactionReceipt_")) {
                // ethereum-etl fetched these through a log filter: ask for the Transfer logs of the block.
                long n = Long.parseLong(dir.getFileName().toString().equals("block_with_transfers") ? "483920" : "0");
                actual.addAll(TransferExtractor.tokenTransfers(client.logs(n, n, List.of(TransferExtractor.TRANSFER_TOPIC))));
            } else {
                for (long n : blocks) {
                    EthRows.Block block = client.block(n);
                    for (EthRows.Receipt r : client.receipts(block).values()) {
                        actual.addAll(TransferExtractor.tokenTransfers(r.logs()));
                    }
                }
                assertTrue(node.methodsAsked.contains("eth_getTransactionReceipt"), "fell back to per-transaction receipts");
            }
        }
        actual.sort(Comparator.comparingLong(EthRows.TokenTransfer::blockNumber).thenComparingInt(EthRows.TokenTransfer::logIndex));
        List<EtlFiles.Row> rows = EtlFiles.rows(expectedFile(dir, "expected_token_transfers").get());
        assertEquals(rows.size(), actual.size(), "row count");
        assertFalse(rows.isEmpty());
        for (int i = 0; i < rows.size(); i++) {
            EthRows.TokenTransfer e = EtlFiles.tokenTransfer(rows.get(i), actual.get(i).txIndex());
            assertEquals(e, actual.get(i), "row " + i);
        }
    }

    static Stream<Path> tokenDirs() throws IOException {
        try (Stream<Path> all = Files.walk(etl(), 2)) {
            return all.filter(Files::isDirectory).filter(d -> expectedFile(d, "expected_token_transfers").isPresent())
                    .filter(d -> hasRecording(d, "eth_getFilterLogs_") || hasRecording(d, "eth_getTransactionReceipt_"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transactionDirs")
    void extractedTransfersAreTheValueMovingRows(Path dir) throws IOException {
        List<AccountTransfer> transfers = new ArrayList<>();
        long valued = 0;
        BigInteger sum = BigInteger.ZERO;
        try (RecordedNode node = new RecordedNode(dir); EthRpcClient client = new EthRpcClient(node.url(), FAST)) {
            TransferExtractor extractor = new TransferExtractor(t -> new Asset(io.chaintrace.core.model.Chain.ETHEREUM,
                    Optional.of(io.chaintrace.core.model.Address.parse(t)), "", OptionalInt.empty()));
            for (long n : numbers(dir, BLOCK)) {
                EthRows.Block block = client.block(n);
                for (EthRows.Tx tx : block.transactions()) {
                    if (tx.value().signum() > 0) {
                        valued++;
                        sum = sum.add(tx.value());
                    }
                }
                // No receipts or traces recorded here: every transaction counts as successful.
                transfers.addAll(extractor.extract(block, Map.of(), List.of(), List.of()));
            }
        }
        assertEquals(valued, transfers.size());
        assertTrue(transfers.stream().allMatch(t -> t.kind() == TransferKind.NATIVE));
        assertEquals(sum, transfers.stream().map(t -> t.amount().units()).reduce(BigInteger.ZERO, BigInteger::add));
    }
}
