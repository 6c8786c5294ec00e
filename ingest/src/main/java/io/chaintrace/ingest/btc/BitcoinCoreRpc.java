package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.ingest.CorruptAnswerException;
import io.chaintrace.ingest.Secrets;
import io.chaintrace.ingest.ServiceException;
import io.chaintrace.ingest.remote.HttpService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Bitcoin Core node over its JSON-RPC interface (HTTP POST, JSON-RPC 1.0 requests, batches as
 * arrays), for the calls the sources need: {@code getblockchaininfo}, {@code getblockhash},
 * {@code getblock <hash> 0} (the raw block) and {@code getrawtransaction} (with {@code -txindex}).
 * Credentials come from the cookie file, the environment or the URL's userinfo and are sent as HTTP
 * Basic authentication; they never appear in a message.
 */
public final class BitcoinCoreRpc implements AutoCloseable {
    /** Environment variables a user and password may come from. */
    public static final String USER_ENV = "CHAINTRACE_RPC_USER";
    public static final String PASSWORD_ENV = "CHAINTRACE_RPC_PASSWORD";
    private static final int WARMING_UP = -28;
    private static final int OUT_OF_RANGE = -8;
    private static final int NOT_FOUND = -5;
    // Amounts come as BTC decimals: read them as BigDecimal, never through a double.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final HttpService http;
    private long nextId;

    /** What {@code getblockchaininfo} says. */
    public record ChainInfo(String chain, int blocks, Hash256 bestBlock) {
    }

    /** A user and password for HTTP Basic authentication. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=***]";
        }

        /** From a Bitcoin Core cookie file ({@code __cookie__:<random>}): a bad file is an error naming it. */
        public static Credentials cookie(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("cannot read the RPC cookie file " + file + ": " + e.getMessage());
            }
            int colon = text.indexOf(':');
            if (colon <= 0 || text.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("RPC cookie file " + file + " is not user:password on one line");
            }
            return new Credentials(text.substring(0, colon), text.substring(colon + 1));
        }

        /** From {@value #USER_ENV} and {@value #PASSWORD_ENV}, if both are set. */
        public static Optional<Credentials> environment(Map<String, String> env) {
            String user = env.get(USER_ENV);
            String password = env.get(PASSWORD_ENV);
            return user == null || password == null ? Optional.empty() : Optional.of(new Credentials(user, password));
        }

        /** In this order: the cookie file if given, the environment, the URL's userinfo; else none. */
        public static Optional<Credentials> resolve(String url, Path cookie, Map<String, String> env) {
            if (cookie != null) {
                return Optional.of(cookie(cookie));
            }
            Optional<Credentials> fromEnv = environment(env);
            if (fromEnv.isPresent()) {
                return fromEnv;
            }
            String[] u = Secrets.userInfo(url);
            return u.length == 2 ? Optional.of(new Credentials(u[0], u[1])) : Optional.empty();
        }
    }

    public BitcoinCoreRpc(String url, Optional<Credentials> credentials, HttpService.Settings settings) {
        this.http = new HttpService("Bitcoin Core RPC", url, settings,
                credentials.map(c -> HttpService.basicAuth(c.user(), c.password())).orElse(Map.of()));
    }

    public String describe() {
        return http.describe();
    }

    public long requests() {
        return http.requests();
    }

    public ChainInfo chainInfo() {
        JsonNode r = call("getblockchaininfo", List.of());
        return new ChainInfo(text(r, "chain", "getblockchaininfo"), r.path("blocks").asInt(-1),
                Hash256.fromHex(text(r, "bestblockhash", "getblockchaininfo")));
    }

    /** The main-chain hashes at heights {@code from..to}; empty past the node's tip. One batch. */
    public List<Optional<Hash256>> blockHashes(int from, int to) {
        List<List<Object>> params = new ArrayList<>();
        for (int h = from; h <= to; h++) {
            params.add(List.of(h));
        }
        List<Reply> replies = batch("getblockhash", params);
        List<Optional<Hash256>> out = new ArrayList<>(replies.size());
        for (int i = 0; i < replies.size(); i++) {
            Reply r = replies.get(i);
            if (r.errorCode() == OUT_OF_RANGE) {
                out.add(Optional.empty());
            } else {
                out.add(Optional.of(Hash256.fromHex(r.require("getblockhash " + (from + i)).asText())));
            }
        }
        return out;
    }

    /**
     * The raw blocks with these hashes, one batch; each checked to be the block asked for (its header
     * hashes to it), else a {@link CorruptAnswerException} naming it.
     */
    public List<byte[]> rawBlocks(List<Hash256> hashes) {
        List<List<Object>> params = new ArrayList<>();
        for (Hash256 h : hashes) {
            params.add(List.of(h.hex(), 0));
        }
        List<Reply> replies = batch("getblock", params);
        List<byte[]> out = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            Hash256 want = hashes.get(i);
            byte[] bytes = hex(replies.get(i).require("getblock " + want).asText(), "block " + want);
            if (bytes.length < 80 || !headerHash(bytes).equals(want)) {
                throw new CorruptAnswerException(describe() + " sent block " + want + " with bytes that do not hash to it");
            }
            out.add(bytes);
        }
        return out;
    }

    /** A transaction's raw bytes ({@code getrawtransaction}, needs {@code -txindex} for most), checked against its txid; empty if unknown. */
    public Optional<byte[]> rawTransaction(Hash256 txid) {
        Reply r = batch("getrawtransaction", List.of(List.of(txid.hex()))).getFirst();
        if (r.errorCode() == NOT_FOUND) {
            return Optional.empty();
        }
        byte[] bytes = hex(r.require("getrawtransaction " + txid).asText(), "transaction " + txid);
        return Optional.of(bytes);
    }

    /** The hash of a serialized block: double SHA-256 of its 80-byte header, in display order. */
    static Hash256 headerHash(byte[] block) {
        return new Hash256(org.bitcoinj.base.Sha256Hash.wrapReversed(org.bitcoinj.base.Sha256Hash.hashTwice(block, 0, 80)).getBytes());
    }

    private byte[] hex(String text, String what) {
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            throw new CorruptAnswerException(describe() + " sent " + what + " as something that is not hex");
        }
    }

    private static String text(JsonNode n, String field, String method) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString()) {
            throw new ServiceException(method + " answered without '" + field + "'");
        }
        return v.asText();
    }

    /** A JSON-RPC error the node answered, with its code (Core's: -5 not found, -8 out of range, ...). */
    public static final class RpcError extends ServiceException {
        private final int code;

        RpcError(String message, int code) {
            super(message);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** One call's answer: its result, or its JSON-RPC error. */
    private record Reply(String service, JsonNode result, int errorCode, String errorMessage) {
        JsonNode require(String what) {
            if (errorMessage != null) {
                throw new RpcError(service + ": " + what + ": error " + errorCode + ": " + Secrets.scrub(errorMessage), errorCode);
            }
            if (result == null || result.isNull()) {
                throw new ServiceException(service + ": " + what + ": empty result");
            }
            return result;
        }
    }

    /** One call's result (for the other classes of the package that speak to the node). */
    JsonNode call(String method, List<Object> params) {
        return batch(method, List.of(params)).getFirst().require(method);
    }

    /** The same method over several parameter lists, as one JSON-RPC batch; replies in request order. */
    private synchronized List<Reply> batch(String method, List<List<Object>> params) {
        ArrayNode body = JSON.createArrayNode();
        long first = nextId;
        for (List<Object> p : params) {
            ObjectNode req = body.addObject();
            req.put("jsonrpc", "1.0");
            req.put("id", nextId++);
            req.put("method", method);
            ArrayNode ps = req.putArray("params");
            for (Object o : p) {
                switch (o) {
                    case Integer i -> ps.add(i);
                    case Long l -> ps.add(l);
                    case Boolean b -> ps.add(b);
                    default -> ps.add(String.valueOf(o));
                }
            }
        }
        String what = params.size() == 1 ? method : method + " x" + params.size();
        HttpService.Answer answer = http.postJson(JSON.writeValueAsString(body), what, BitcoinCoreRpc::judge);
        JsonNode tree = JSON.readTree(answer.body());
        if (!tree.isArray()) {
            // A node answers a batch with an array; a single error object means it refused the whole batch.
            Reply whole = reply(tree);
            whole.require(what);
            throw new ServiceException(describe() + ": " + what + ": answered a batch with a single object");
        }
        Map<Long, Reply> byId = new HashMap<>();
        for (JsonNode n : tree) {
            byId.put(n.path("id").asLong(-1), reply(n));
        }
        List<Reply> out = new ArrayList<>(params.size());
        for (long id = first; id < nextId; id++) {
            Reply r = byId.get(id);
            if (r == null) {
                throw new ServiceException(describe() + ": " + what + ": no answer for request " + (id - first + 1) + " of the batch");
            }
            out.add(r);
        }
        return out;
    }

    private Reply reply(JsonNode n) {
        JsonNode error = n.get("error");
        if (error != null && !error.isNull()) {
            return new Reply(describe(), null, error.path("code").asInt(0), error.path("message").asText(""));
        }
        return new Reply(describe(), n.get("result"), 0, null);
    }

    /** HTTP 401/403: wrong credentials; a body that is not JSON: retried; a node still loading its index: retried. */
    private static HttpService.Verdict judge(HttpService.Answer a) {
        if (a.status() == 401 || a.status() == 403) {
            return new HttpService.Verdict.Fail("the node refused the credentials (HTTP " + a.status() + "): give --rpc-cookie FILE or set "
                    + USER_ENV + " and " + PASSWORD_ENV);
        }
        if (a.status() == 404) {
            return new HttpService.Verdict.Fail("no JSON-RPC service at this URL (HTTP 404)");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(a.body());
        } catch (JacksonException e) {
            return new HttpService.Verdict.Retry("malformed JSON in the answer (HTTP " + a.status() + ")");
        }
        if (tree == null || !(tree.isArray() || tree.isObject())) {
            return new HttpService.Verdict.Retry("an answer that is not JSON-RPC (HTTP " + a.status() + ")");
        }
        for (JsonNode n : tree.isArray() ? tree : List.of(tree)) {
            if (n.path("error").path("code").asInt(0) == WARMING_UP) {
                return new HttpService.Verdict.Retry("the node is still starting: " + n.path("error").path("message").asText());
            }
        }
        return HttpService.Verdict.USE;
    }

    @Override
    public void close() {
        http.close();
    }
}
