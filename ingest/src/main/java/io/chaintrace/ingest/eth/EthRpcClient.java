package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.ingest.CorruptAnswerException;
import io.chaintrace.ingest.Secrets;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.core.BatchRequest;
import org.web3j.protocol.core.BatchResponse;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthGetBlockReceipts;
import org.web3j.protocol.core.methods.response.EthGetTransactionReceipt;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import tools.jackson.databind.JsonNode;

/**
 * A JSON-RPC node through web3j: blocks, receipts, traces in either format, logs, calls. Every
 * call has a timeout and is retried with exponential backoff on transport errors and rate limits
 * ({@code maxAttempts} in all); any other JSON-RPC error is permanent and stops with its message.
 */
public final class EthRpcClient implements AutoCloseable {
    private static final int METHOD_NOT_FOUND = -32601;

    private final String url;
    private final Web3jService service;
    private final Web3j web3j;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private Boolean blockReceipts;
    /** Set when a batch failed as a whole: the node or a proxy before it does not take batches, so none is sent again. */
    private volatile boolean batchesFail;
    private TraceFormat traceFormat;

    /** Settings: per-request timeout, attempts per call, first backoff (doubling). */
    public record Settings(Duration timeout, int maxAttempts, Duration firstBackoff) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(30), 5, Duration.ofMillis(250));
    }

    /**
     * A client of the node at {@code url}. Credentials in the URL ({@code user:password@}) are sent as HTTP Basic
     * authentication; they, and API keys in the path or query, never appear in messages ({@link Secrets}).
     */
    public EthRpcClient(String url, Settings settings) {
        this.url = Secrets.remember(url);
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .retryOnConnectionFailure(false)
                .build();
        HttpService http1 = new HttpService(Secrets.withoutUserInfo(url), http);
        String[] user = Secrets.userInfo(url);
        if (user.length == 2) {
            http1.addHeader("Authorization", Credentials.basic(user[0], user[1], StandardCharsets.UTF_8));
        }
        this.service = http1;
        this.web3j = Web3j.build(service);
        this.maxAttempts = settings.maxAttempts();
        this.firstBackoff = settings.firstBackoff();
    }

    /** The node's URL as it may be shown: credentials and keys replaced by {@code ***}. */
    public String url() {
        return url;
    }

    /** JSON-RPC response whose result is kept as a JSON tree (traces). */
    public static final class JsonResponse extends Response<JsonNode> {
    }

    public BigInteger chainId() {
        return call("eth_chainId", () -> web3j.ethChainId().send()).getChainId();
    }

    public long head() {
        return call("eth_blockNumber", () -> web3j.ethBlockNumber().send()).getBlockNumber().longValueExact();
    }

    /** A block with its full transactions, held to its hash and its transactions root (see {@link BlockCheck}). */
    public EthRows.Block block(long number) {
        return checkedBlock(number).block();
    }

    private CheckedBlock checkedBlock(long number) {
        JsonResponse r = call("eth_getBlockByNumber(" + number + ")", () -> blockCall(number).send());
        return CheckedBlock.of(r.getResult(), number, url);
    }

    private Request<?, JsonResponse> blockCall(long number) {
        return new Request<>("eth_getBlockByNumber", List.of(Rpc.hex(number), true), service, JsonResponse.class);
    }

    /**
     * The receipts of a block's transactions: {@code eth_getBlockReceipts}, else one batch of per-transaction receipts;
     * held, with the block's header fetched again, to its receipts root.
     */
    public Map<Hash256, EthRows.Receipt> receipts(EthRows.Block block) {
        CheckedBlock checked = checkedBlock(block.number());
        if (!checked.block().hash().equals(block.hash())) {
            throw new EthRpcException("node at " + url + ": block " + block.number() + " is now 0x" + checked.block().hash().hex()
                    + ", not 0x" + block.hash().hex() + ": the chain reorganised; rerun to roll back and continue");
        }
        return receipts(checked);
    }

    private Map<Hash256, EthRows.Receipt> receipts(CheckedBlock checked) {
        EthRows.Block block = checked.block();
        if (block.transactions().isEmpty()) {
            return verified(checked, List.of());
        }
        if (blockReceipts == null || blockReceipts) {
            EthGetBlockReceipts r = callOrUnsupported("eth_getBlockReceipts(" + block.number() + ")", () ->
                    web3j.ethGetBlockReceipts(DefaultBlockParameter.valueOf(BigInteger.valueOf(block.number()))).send());
            blockReceipts = r != null;
            if (r != null) {
                return verified(checked, r.getBlockReceipts().orElse(List.of()));
            }
        }
        BatchRequest batch = web3j.newBatch();
        for (EthRows.Tx tx : block.transactions()) {
            batch.add(web3j.ethGetTransactionReceipt("0x" + tx.hash().hex()));
        }
        BatchResponse responses = call("eth_getTransactionReceipt x" + block.transactions().size() + " (block " + block.number() + ")",
                batch::send);
        List<TransactionReceipt> receipts = new ArrayList<>();
        for (Response<?> resp : responses.getResponses()) {
            if (resp.hasError()) {
                throw new EthRpcException("node at " + url + ": eth_getTransactionReceipt: " + resp.getError().getMessage());
            }
            receipts.add(((EthGetTransactionReceipt) resp).getTransactionReceipt()
                    .orElseThrow(() -> new EthRpcException("node at " + url + " has no receipt for a transaction of block " + block.number())));
        }
        return verified(checked, receipts);
    }

    /** The receipts as rows, once held to the block's receipts root (see {@link BlockCheck#receiptsInvalidity}). */
    private Map<Hash256, EthRows.Receipt> verified(CheckedBlock checked, List<TransactionReceipt> receipts) {
        Optional<String> invalid = BlockCheck.receiptsInvalidity(checked.block().number(), checked.receiptsRoot(), checked.txs(),
                receipts);
        if (invalid.isPresent()) {
            throw new CorruptAnswerException("node at " + url + ": the receipts of block " + checked.block().number() + " (0x"
                    + checked.block().hash().hex() + ") are not those the chain holds: " + invalid.get() + "; nothing of the block was stored");
        }
        Map<Hash256, EthRows.Receipt> out = new HashMap<>();
        for (TransactionReceipt tr : receipts) {
            EthRows.Receipt receipt = receipt(tr);
            out.put(receipt.txHash(), receipt);
        }
        return out;
    }

    /** A block with what its transfers are made from: its receipts and, when the node has them, its traces. */
    public record BlockDetails(EthRows.Block block, Map<Hash256, EthRows.Receipt> receipts, List<EthRows.Trace> traces) {
    }

    /**
     * Blocks with their receipts and traces, in the order of {@code numbers}, asked in one JSON-RPC batch: one HTTP
     * request carries each block's {@code eth_getBlockByNumber}, {@code eth_getBlockReceipts} and trace call. Asked
     * block by block instead ({@link #block}, {@link #receipts}, {@link #traces}, each retried and its error reported
     * as by itself) when the node has no {@code eth_getBlockReceipts}, refuses any part of the batch, or answers out of
     * the order asked (web3j pairs answers with requests by position; their ids tell); and from then on when a batch
     * fails as a whole (an answer that is not a batch's, an HTTP error after the retries).
     */
    public List<BlockDetails> blocks(List<Long> numbers) {
        TraceFormat format = traceFormat(numbers.get(0));
        if (numbers.size() == 1 || Boolean.FALSE.equals(blockReceipts) || batchesFail) {
            return oneByOne(numbers, format);
        }
        BatchRequest batch = web3j.newBatch();
        for (long n : numbers) {
            DefaultBlockParameter at = DefaultBlockParameter.valueOf(BigInteger.valueOf(n));
            batch.add(blockCall(n));
            batch.add(web3j.ethGetBlockReceipts(at));
            if (format != TraceFormat.NONE) {
                batch.add(traceCall(format, n));
            }
        }
        String what = "a batch of blocks " + numbers.get(0) + ".." + numbers.get(numbers.size() - 1);
        BatchResponse answer;
        try {
            answer = call(what, batch::send);
        } catch (EthRpcException e) {
            // Asked again one call at a time: a node that is down fails there with its own message, one that does not
            // take batches is served.
            batchesFail = true;
            return oneByOne(numbers, format);
        }
        List<? extends Response<?>> got = answer.getResponses();
        List<Request<?, ? extends Response<?>>> asked = batch.getRequests();
        if (got.size() != asked.size()) {
            // Not a batch's answer (some answer a batch with less, or with one error): this node is asked one by one.
            batchesFail = true;
            return oneByOne(numbers, format);
        }
        for (int i = 0; i < got.size(); i++) {
            if (got.get(i).getId() != asked.get(i).getId() || got.get(i).hasError()) {
                // Out of order, refused or failed: asked again one by one, where each call is retried and named.
                return oneByOne(numbers, format);
            }
        }
        int per = format == TraceFormat.NONE ? 2 : 3;
        List<BlockDetails> out = new ArrayList<>(numbers.size());
        for (int k = 0; k < numbers.size(); k++) {
            long n = numbers.get(k);
            CheckedBlock checked = CheckedBlock.of(((JsonResponse) got.get(k * per)).getResult(), n, url);
            EthRows.Block block = checked.block();
            Map<Hash256, EthRows.Receipt> receipts = verified(checked,
                    ((EthGetBlockReceipts) got.get(k * per + 1)).getBlockReceipts().orElse(List.of()));
            List<EthRows.Trace> traces = format == TraceFormat.NONE ? List.of()
                    : traces(format, ((JsonResponse) got.get(k * per + 2)).getResult(), block);
            out.add(new BlockDetails(block, receipts, traces));
        }
        blockReceipts = true;
        return out;
    }

    private List<BlockDetails> oneByOne(List<Long> numbers, TraceFormat format) {
        List<BlockDetails> out = new ArrayList<>(numbers.size());
        for (long n : numbers) {
            CheckedBlock checked = checkedBlock(n);
            EthRows.Block block = checked.block();
            out.add(new BlockDetails(block, receipts(checked), format == TraceFormat.NONE ? List.of() : traces(block)));
        }
        return out;
    }

    static EthRows.Receipt receipt(TransactionReceipt tr) {
        Optional<Boolean> success = tr.getStatus() == null ? Optional.empty()
                : Optional.of(Rpc.quantity(tr.getStatus()).signum() != 0);
        List<EthRows.Log> logs = new ArrayList<>();
        for (org.web3j.protocol.core.methods.response.Log l : tr.getLogs()) {
            logs.add(log(l));
        }
        return new EthRows.Receipt(Hash256.fromHex(tr.getTransactionHash()), tr.getTransactionIndex().intValueExact(), success,
                Optional.ofNullable(tr.getContractAddress()).map(EthRpcClient::lower), logs);
    }

    private static EthRows.Log log(org.web3j.protocol.core.methods.response.Log l) {
        return new EthRows.Log(Hash256.fromHex(l.getTransactionHash()), l.getTransactionIndex().intValueExact(), l.getLogIndex().intValueExact(),
                l.getBlockNumber().longValueExact(), lower(l.getAddress()), l.getTopics().stream().map(EthRpcClient::lower).toList(),
                l.getData());
    }

    /** Which trace API the node answers; asked once. */
    public TraceFormat traceFormat(long probeBlock) {
        if (traceFormat == null) {
            if (callOrUnsupported("trace_block", () -> traceCall(TraceFormat.PARITY, probeBlock).send()) != null) {
                traceFormat = TraceFormat.PARITY;
            } else if (callOrUnsupported("debug_traceBlockByNumber", () -> traceCall(TraceFormat.GETH, probeBlock).send()) != null) {
                traceFormat = TraceFormat.GETH;
            } else {
                traceFormat = TraceFormat.NONE;
            }
        }
        return traceFormat;
    }

    /** The block's traces in whichever format the node offers; empty when it offers none. */
    public List<EthRows.Trace> traces(EthRows.Block block) {
        TraceFormat format = traceFormat(block.number());
        if (format == TraceFormat.NONE) {
            return List.of();
        }
        Request<?, JsonResponse> r = traceCall(format, block.number());
        return traces(format, call(r.getMethod() + "(" + block.number() + ")", r::send).getResult(), block);
    }

    /** The call that asks a block's traces in {@code format} (PARITY or GETH). */
    private Request<?, JsonResponse> traceCall(TraceFormat format, long number) {
        return switch (format) {
            case PARITY -> new Request<>("trace_block", List.of(Rpc.hex(number)), service, JsonResponse.class);
            case GETH -> new Request<>("debug_traceBlockByNumber", List.of(Rpc.hex(number), Map.of("tracer", "callTracer")), service,
                    JsonResponse.class);
            case NONE -> throw new IllegalArgumentException("no trace call without a trace format");
        };
    }

    /** A trace call's answer as traces. */
    private static List<EthRows.Trace> traces(TraceFormat format, JsonNode result, EthRows.Block block) {
        return switch (format) {
            case PARITY -> Traces.parity(result);
            case GETH -> Traces.geth(result, block.number(), block.transactions().stream().map(EthRows.Tx::hash).toList());
            case NONE -> List.of();
        };
    }

    /** Parity traces touching these addresses as sender or receiver, in [from, to]. */
    public List<EthRows.Trace> traceFilter(long fromBlock, long toBlock, List<String> fromAddresses, List<String> toAddresses) {
        Map<String, Object> filter = new HashMap<>();
        filter.put("fromBlock", Rpc.hex(fromBlock));
        filter.put("toBlock", Rpc.hex(toBlock));
        if (!fromAddresses.isEmpty()) {
            filter.put("fromAddress", fromAddresses);
        }
        if (!toAddresses.isEmpty()) {
            filter.put("toAddress", toAddresses);
        }
        return Traces.parity(call("trace_filter", () -> request("trace_filter", List.of(filter))).getResult());
    }

    /** Logs of [from, to] matching topics (null = any) from any contract. */
    public List<EthRows.Log> logs(long fromBlock, long toBlock, List<String> topics) {
        return logsAnyOf(fromBlock, toBlock, topics.stream().map(t -> t == null ? List.<String>of() : List.of(t)).toList());
    }

    /** Logs of [from, to] whose topic i is any of {@code topics.get(i)} (empty = any), from any contract. */
    public List<EthRows.Log> logsAnyOf(long fromBlock, long toBlock, List<List<String>> topics) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), List.of());
        for (List<String> t : topics) {
            if (t.isEmpty()) {
                filter.addNullTopic();
            } else if (t.size() == 1) {
                filter.addSingleTopic(t.getFirst());
            } else {
                filter.addOptionalTopics(t.toArray(String[]::new));
            }
        }
        EthLog r = call("eth_getLogs", () -> web3j.ethGetLogs(filter).send());
        List<EthRows.Log> out = new ArrayList<>();
        for (EthLog.LogResult<?> lr : r.getLogs()) {
            out.add(log((org.web3j.protocol.core.methods.response.Log) lr.get()));
        }
        return out;
    }

    /** {@code eth_call} at the latest block; empty when the call reverts or the node refuses it. */
    public Optional<String> ethCall(String to, String data) {
        try {
            org.web3j.protocol.core.methods.response.EthCall r = call("eth_call", () -> web3j.ethCall(
                    org.web3j.protocol.core.methods.request.Transaction.createEthCallTransaction(null, to, data),
                    org.web3j.protocol.core.DefaultBlockParameterName.LATEST).send());
            return r.isReverted() || r.getValue() == null || r.getValue().equals("0x") ? Optional.empty() : Optional.of(r.getValue());
        } catch (EthRpcException | UnsupportedMethod e) {
            return Optional.empty(); // no answer: the token stays "unknown"
        }
    }

    private JsonResponse request(String method, List<?> params) throws IOException {
        return new Request<>(method, params, service, JsonResponse.class).send();
    }

    /** Something that talks to the node. */
    @FunctionalInterface
    interface Call<T> {
        T send() throws IOException;
    }

    /** Like {@link #call}, but null when the node says it has no such method. */
    private <T extends Response<?>> T callOrUnsupported(String what, Call<T> c) {
        try {
            return call(what, c);
        } catch (UnsupportedMethod e) {
            return null;
        }
    }

    private static final class UnsupportedMethod extends RuntimeException {
        UnsupportedMethod(String message) {
            super(message);
        }
    }

    private <T> T call(String what, Call<T> c) {
        long backoff = firstBackoff.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                T result = c.send();
                if (result instanceof Response<?> r && r.hasError()) {
                    Response.Error e = r.getError();
                    String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                    if (e.getCode() == METHOD_NOT_FOUND || msg.contains("method not found") || msg.contains("does not exist")
                            || msg.contains("not supported") || msg.contains("unsupported")) {
                        throw new UnsupportedMethod(what + ": " + e.getMessage());
                    }
                    boolean rateLimited = e.getCode() == -32005 || msg.contains("rate limit") || msg.contains("too many requests");
                    if (!rateLimited || attempt >= maxAttempts) {
                        throw new EthRpcException("node at " + url + ": " + what + " failed: " + e.getMessage() + " (code " + e.getCode() + ")");
                    }
                } else {
                    return result;
                }
            } catch (IOException e) {
                if (attempt >= maxAttempts) {
                    throw new EthRpcException("cannot reach Ethereum node at " + url + ": " + describe(e) + " (" + attempt + " attempts)", e);
                }
            } catch (org.web3j.protocol.exceptions.ClientConnectionException e) {
                // An HTTP error status (429 rate limit, 5xx): transport trouble, retried.
                if (attempt >= maxAttempts) {
                    throw new EthRpcException("Ethereum node at " + url + " keeps failing: " + firstLine(e.getMessage())
                            + " (" + attempt + " attempts)", e);
                }
            } catch (RuntimeException e) {
                if (e instanceof UnsupportedMethod || e instanceof EthRpcException) {
                    throw e;
                }
                // web3j wraps malformed answers in runtime exceptions (Jackson's), with the body in the message.
                throw new EthRpcException("node at " + url + ": " + what + ": malformed answer: " + firstLine(e.getMessage()), e);
            }
            sleep(backoff);
            backoff *= 2;
        }
    }

    private static String describe(IOException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        return firstLine(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no details";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EthRpcException("interrupted");
        }
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
