package io.chaintrace.benchmarks;

import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.eth.EthRpcClient;
import io.chaintrace.ingest.eth.EthRpcSource;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Ethereum ingest from a real node: an Anvil node (tools/, npm) holding {@value #TXS} generated
 * value transfers mined {@value #PER_BLOCK} per block is ingested by block range (block, receipts,
 * trace_block, extraction, one atomic batch per block) into a fresh store per invocation. Score:
 * milliseconds per full ingest; blocks/s and transfers/s follow (benchmarks/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class EthIngestBenchmark {
    static final int TXS = 3_000;
    static final int PER_BLOCK = 100;

    /** Blocks per JSON-RPC batch: 1 asks each block's three calls on their own. */
    @Param({"1", "8"})
    public int batch;
    /**
     * Round trip added to every HTTP request by a relay on loopback in front of Anvil: 0, or that of a node or provider
     * elsewhere (what batching saves is round trips, which Anvil on loopback barely has).
     */
    @Param({"0", "20"})
    public int rttMs;
    private Process anvil;
    private com.sun.net.httpserver.HttpServer relay;
    private java.util.concurrent.ExecutorService relayThreads;
    private String url;
    private long head;
    private Path dir;

    @Setup(Level.Trial)
    public void generate() throws Exception {
        Path bin = Path.of(System.getenv().getOrDefault("CHAINTRACE_TOOLS", "../tools"))
                .resolve("node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("Anvil not installed at " + bin + ": run 'npm ci --prefix tools'");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        anvil = new ProcessBuilder(bin.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port), "--silent", "--no-mining")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        url = "http://127.0.0.1:" + port;
        HttpService http = new HttpService(url);
        Web3j web3 = Web3j.build(http);
        for (int i = 0; ; i++) {
            try {
                web3.ethChainId().send();
                break;
            } catch (IOException e) {
                if (i > 300) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        // Anvil's development account 1 pays fresh addresses; blocks are mined explicitly.
        Credentials payer = Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d");
        BigInteger gasPrice = BigInteger.valueOf(3_000_000_000L);
        for (int i = 0; i < TXS; i++) {
            String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
            RawTransaction tx = RawTransaction.createEtherTransaction(BigInteger.valueOf(i), gasPrice, BigInteger.valueOf(21_000), to,
                    BigInteger.valueOf(1_000_000_000_000L + i));
            String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, 31337L, payer));
            var r = web3.ethSendRawTransaction(signed).send();
            if (r.hasError()) {
                throw new IllegalStateException(r.getError().getMessage());
            }
            if ((i + 1) % PER_BLOCK == 0) {
                new Request<>("evm_mine", List.of(), http, VoidResponse.class).send();
            }
        }
        head = web3.ethBlockNumber().send().getBlockNumber().longValueExact();
        web3.shutdown();
        if (rttMs > 0) {
            url = relay(url, rttMs);
        }
        dir = Files.createTempDirectory("chaintrace-eth-bench");
    }

    /** A loopback relay to {@code upstream} that holds every request {@code rtt} ms first; returns its URL. */
    private String relay(String upstream, int rtt) throws IOException {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        relay = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        relayThreads = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "relay");
            t.setDaemon(true);
            return t;
        });
        relay.setExecutor(relayThreads);
        relay.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] answer;
            try {
                Thread.sleep(rtt);
                answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(upstream)).header("Content-Type", "application/json")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (var out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        relay.start();
        return "http://127.0.0.1:" + relay.getAddress().getPort();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        if (relay != null) {
            relay.stop(0);
            relayThreads.shutdownNow();
        }
        anvil.destroy();
        IngestBenchmark.delete(dir);
    }

    @Benchmark
    public long ingestFromAnvil() throws IOException {
        Path store = Files.createTempDirectory(dir, "store");
        try (ChainStore cs = ChainStore.open(store); EthRpcClient client = new EthRpcClient(url, EthRpcClient.Settings.DEFAULT)) {
            EthRpcSource.Summary s = new EthRpcSource(cs, client, new EthRpcSource.Settings(0, 4, false, batch), 0, head).run(IngestListener.NONE);
            if (s.transfers() != TXS) {
                throw new IllegalStateException("expected " + TXS + " transfers, ingested " + s.transfers());
            }
            return s.blocks();
        } finally {
            IngestBenchmark.delete(store);
        }
    }
}
