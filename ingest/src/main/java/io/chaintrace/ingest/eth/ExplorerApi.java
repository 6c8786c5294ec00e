package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.ingest.Secrets;
import io.chaintrace.ingest.ServiceException;
import io.chaintrace.ingest.remote.HttpService;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Etherscan-compatible explorer API (Etherscan, or a Blockscout, which implements the same
 * {@code ?module=account} calls) for what a fetch needs: an address's transactions
 * ({@code txlist}), internal transactions ({@code txlistinternal}) and ERC-20 transfers
 * ({@code tokentx}), paged by block range; a transaction's internal transactions
 * ({@code txlistinternal&txhash=}); a receipt and the head through the {@code proxy} module, which
 * answers as a node does.
 *
 * <p>The API key goes in the query (the protocol has no other place for it) and is hidden from
 * every message ({@link Secrets}); cached answers are keyed without it. Etherscan answers a rate
 * limit with HTTP 200 and {@code "Max rate limit reached"} in the body: that is retried like a 429.
 */
public final class ExplorerApi implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** Etherscan and Blockscout serve at most this many rows of one query (page x offset). */
    static final int WINDOW = 10_000;

    private final HttpService http;
    private final String separator;
    private final String keyParam;
    private final int pageSize;
    private HttpService.Cache cache = HttpService.Cache.NONE;


    /**
     * @param url      the API's base, such as {@code https://api.etherscan.io/v2/api?chainid=1} or a Blockscout's
     *                 {@code https://host/api}
     * @param apiKey   the key, when the API wants one
     * @param pageSize rows asked for per page (at most {@link #WINDOW})
     */
    public ExplorerApi(String url, Optional<String> apiKey, HttpService.Settings settings, int pageSize) {
        if (pageSize < 1 || pageSize > WINDOW) {
            throw new IllegalArgumentException("page size must be 1.." + WINDOW);
        }
        apiKey.ifPresent(Secrets::hide);
        this.http = new HttpService("explorer API", url, settings, Map.of());
        this.separator = url.contains("?") ? "&" : "?";
        this.keyParam = apiKey.map(k -> "&apikey=" + URLEncoder.encode(k, StandardCharsets.UTF_8)).orElse("");
        this.pageSize = pageSize;
    }

    public String describe() {
        return http.describe();
    }

    public long requests() {
        return http.requests();
    }

    public long cacheHits() {
        return http.cacheHits();
    }

    /** Keeps answers in {@code cache}: lists over a fixed block range that is final, receipts, a transaction's internal list. */
    public void cacheIn(HttpService.Cache cache) {
        this.cache = cache;
    }

    /** The number of the newest block the explorer knows ({@code proxy eth_blockNumber}); never cached. */
    public long head() {
        JsonNode r = proxyResult(http.get(query("module=proxy&action=eth_blockNumber"), "head block", ExplorerApi::judge).body(), "head block");
        return Rpc.quantity(r.asString()).longValueExact();
    }

    /**
     * Every row of {@code action} ({@code txlist}, {@code txlistinternal} or {@code tokentx}) for an address over blocks
     * {@code from..to}, oldest first. Pages through the explorer's window of {@link #WINDOW} rows by restarting at the
     * block of the last row read (rows of that block are read twice and kept once).
     */
    public List<JsonNode> rows(String action, String address, long from, long to) {
        List<JsonNode> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long start = from;
        while (true) {
            long lastBlock = -1;
            boolean more = false;
            for (int page = 1; (long) page * pageSize <= WINDOW; page++) {
                String q = "module=account&action=" + action + "&address=" + address + "&startblock=" + start + "&endblock=" + to
                        + "&page=" + page + "&offset=" + pageSize + "&sort=asc";
                JsonNode result = listResult(get(q, action + " of " + address + " (blocks " + start + "-" + to + ", page " + page + ")"),
                        action + " of " + address);
                for (JsonNode row : result) {
                    long block = row.path("blockNumber").asLong(-1);
                    if (block < from || block > to) {
                        throw new ServiceException(describe() + ": " + action + " of " + address + " for blocks " + from + "-" + to
                                + " answered a row of block " + row.path("blockNumber").asString("?"));
                    }
                    if (seen.add(identity(row))) {
                        out.add(row);
                    }
                    lastBlock = block;
                }
                if (result.size() < pageSize) {
                    return out;
                }
                more = true;
            }
            if (!more) {
                return out;
            }
            if (lastBlock <= start) {
                throw new ServiceException(describe() + ": " + action + " of " + address + " has more than " + WINDOW
                        + " rows in block " + start + ", more than the API can page through");
            }
            start = lastBlock;
        }
    }

    /** The internal transactions of one transaction ({@code txlistinternal&txhash=}), in the order the API gives them. */
    public List<JsonNode> internalOf(Hash256 tx) {
        String q = "module=account&action=txlistinternal&txhash=0x" + tx.hex();
        List<JsonNode> out = new ArrayList<>();
        listResult(get(q, "internal transactions of 0x" + tx.hex()), "internal transactions of 0x" + tx.hex()).forEach(out::add);
        return out;
    }

    /** A receipt with the block it names. */
    public record Receipt(EthRows.Receipt receipt, long block, Hash256 blockHash) {
    }

    /** A transaction's receipt ({@code proxy eth_getTransactionReceipt}), read as a node's is; empty when the API has none. */
    public Optional<Receipt> receipt(Hash256 tx) {
        String what = "receipt of 0x" + tx.hex();
        JsonNode r = proxyResult(get("module=proxy&action=eth_getTransactionReceipt&txhash=0x" + tx.hex(), what), what);
        if (r.isNull() || r.isMissingNode()) {
            return Optional.empty();
        }
        try {
            TransactionReceipt tr = ObjectMapperFactory.getObjectMapper().readValue(r.toString(), TransactionReceipt.class);
            EthRows.Receipt receipt = EthRpcClient.receipt(tr);
            if (!receipt.txHash().equals(tx)) {
                throw new io.chaintrace.ingest.CorruptAnswerException(describe() + ": asked for the receipt of 0x" + tx.hex()
                        + ", got that of 0x" + receipt.txHash().hex());
            }
            return Optional.of(new Receipt(receipt, tr.getBlockNumber().longValueExact(), Hash256.fromHex(tr.getBlockHash())));
        } catch (io.chaintrace.ingest.CorruptAnswerException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ServiceException(describe() + ": " + what + ": not a receipt: " + abbreviate(r.toString()));
        }
    }

    /** GET through the cache; what is asked is final, so it is kept for good once the API answered it. */
    private String get(String q, String what) {
        return http.get(query(q), what, ExplorerApi::judge, cache, "explorer " + describe() + " " + q, ExplorerApi::lasting).body();
    }

    private String query(String q) {
        return separator + q + keyParam;
    }

    /** A row's identity: the row without what changes between requests (confirmations). */
    private static String identity(JsonNode row) {
        if (row instanceof ObjectNode o) {
            ObjectNode c = o.deepCopy();
            c.remove("confirmations");
            return c.toString();
        }
        return row.toString();
    }

    private JsonNode listResult(String body, String what) {
        JsonNode n = JSON.readTree(body);
        JsonNode result = n.path("result");
        if (!result.isArray()) {
            throw new ServiceException(describe() + ": " + what + ": " + abbreviate(result.asString(n.toString())));
        }
        return result;
    }

    private JsonNode proxyResult(String body, String what) {
        JsonNode n = JSON.readTree(body);
        if (n.has("error")) {
            throw new ServiceException(describe() + ": " + what + ": " + abbreviate(n.path("error").path("message").asString(n.toString())));
        }
        return n.path("result");
    }

    /** Whether an answer can be kept for good: a list or a proxy result, not a refusal. */
    private static boolean lasting(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            return n.path("result").isArray() || (n.has("jsonrpc") && n.has("result") && !n.path("result").isNull());
        } catch (JacksonException e) {
            return false;
        }
    }

    /**
     * What an answer is worth. {@code status 1}, or {@code 0} with "No transactions/records found", is a list; a proxy
     * answer is a node's; "rate limit" in the body is retried; a refused key or any other refusal fails in one line.
     */
    static HttpService.Verdict judge(HttpService.Answer a) {
        if (a.status() != 200) {
            return new HttpService.Verdict.Fail("HTTP " + a.status() + ": " + abbreviate(a.body()));
        }
        JsonNode n;
        try {
            n = JSON.readTree(a.body());
        } catch (JacksonException e) {
            return new HttpService.Verdict.Retry("malformed JSON in the answer");
        }
        if (n == null || !n.isObject()) {
            return new HttpService.Verdict.Retry("an answer that is not a JSON object");
        }
        String status = n.path("status").asString("");
        String message = n.path("message").asString("");
        JsonNode result = n.path("result");
        String text = result.isString() ? result.asString() : "";
        String lower = (message + " " + text).toLowerCase(Locale.ROOT);
        if (lower.contains("rate limit")) {
            return new HttpService.Verdict.Retry("rate limited: " + abbreviate(text.isEmpty() ? message : text));
        }
        if (n.has("jsonrpc")) {
            return n.has("result") || n.has("error") ? HttpService.Verdict.USE : new HttpService.Verdict.Retry("a JSON-RPC answer with no result");
        }
        if (status.equals("1") && result.isArray()) {
            return HttpService.Verdict.USE;
        }
        if (status.equals("0") && result.isArray() && result.isEmpty() && lower.contains("no ") && lower.contains("found")) {
            return HttpService.Verdict.USE; // "No transactions found", "No records found", "No internal transactions found"
        }
        if (lower.contains("api key") || lower.contains("apikey")) {
            return new HttpService.Verdict.Fail("the API key was refused: " + abbreviate(text.isEmpty() ? message : text));
        }
        if (!n.has("status") || !n.has("result")) {
            return new HttpService.Verdict.Retry("an answer without status and result");
        }
        return new HttpService.Verdict.Fail(abbreviate(message + (text.isEmpty() ? "" : ": " + text)));
    }

    private static String abbreviate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() > 160 ? t.substring(0, 160) + "..." : t;
    }

    @Override
    public void close() {
        http.close();
    }
}
