package io.chaintrace.loopback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Etherscan account API on 127.0.0.1 ({@code /api?module=account&action=...}, as Etherscan's
 * documentation and Blockscout's compatible API describe it), answering from real chain data: a
 * node's own answers ({@code eth_getBlockByNumber} with transactions, {@code eth_getTransactionReceipt},
 * Parity {@code trace_block}), either recorded (ethereum-etl's mainnet recordings) or asked of a
 * running node (Anvil).
 *
 * <p>Calls: {@code txlist}, {@code txlistinternal} (by address, with {@code traceId}; or by
 * {@code txhash}, in execution order, without it), {@code tokentx} (ERC-20 {@code Transfer} logs,
 * without log index, as Etherscan gives them), each with {@code startblock}, {@code endblock},
 * {@code page}, {@code offset}, {@code sort}, and the 10,000-row window; and the {@code proxy}
 * calls {@code eth_blockNumber} and {@code eth_getTransactionReceipt}, which answer as the node
 * did. A block is served only when every one of its transactions has its receipt (otherwise the
 * server could not say what it did). Empty lists, refused keys, malformed parameters and the rate
 * limit are answered with Etherscan's own status/message/result bodies. Faults on demand; CORRUPT
 * answers a receipt with another transaction's.
 */
public final class EtherscanServer implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    private static final int WINDOW = 10_000;

    private final HttpServer server;
    private final Faults faults = new Faults();
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, Long> byAction = new ConcurrentHashMap<>();
    private final List<Tx> txs = new ArrayList<>();
    private final Map<String, Tx> byHash = new HashMap<>();
    private final Map<String, List<Tx>> txsOf = new HashMap<>();
    private final Map<String, List<Frame>> framesOf = new HashMap<>();
    private final Map<String, List<TokenLog>> tokensOf = new HashMap<>();
    private final Map<String, String[]> tokenInfo;
    private final long head;
    private volatile String requiredKey;

    /** A served transaction: the node's transaction object and receipt, its block's hash and time, and its frames. */
    private record Tx(JsonNode tx, JsonNode receipt, long block, String blockHash, long time, int index, boolean failed, List<Frame> frames) {
        String hash() {
            return tx.path("hash").asString().toLowerCase(Locale.ROOT);
        }
    }

    /** An internal transaction: a frame below the top-level call that Etherscan lists (value, creation, self-destruct). */
    private record Frame(Tx tx, List<Integer> traceAddress, String type, String from, String to, String contractAddress, BigInteger value,
                         String gas, String gasUsed, String input, boolean failed, String error) {
    }

    /** An ERC-20 transfer log. */
    private record TokenLog(Tx tx, String token, String from, String to, BigInteger value, int logIndex) {
    }

    /**
     * @param blocks    {@code eth_getBlockByNumber(n, true)} results
     * @param receipts  {@code eth_getTransactionReceipt} results
     * @param traces    Parity trace frames ({@code trace_block} results, flattened); may be empty
     * @param tokenInfo contract to {name, symbol, decimals}, where known
     */
    public EtherscanServer(List<JsonNode> blocks, List<JsonNode> receipts, List<JsonNode> traces, Map<String, String[]> tokenInfo)
            throws IOException {
        this.tokenInfo = Map.copyOf(tokenInfo);
        Map<String, JsonNode> receiptOf = new HashMap<>();
        receipts.forEach(r -> receiptOf.put(r.path("transactionHash").asString().toLowerCase(Locale.ROOT), r));
        Map<String, List<JsonNode>> tracesOf = new HashMap<>();
        for (JsonNode t : traces) {
            if (t.hasNonNull("transactionHash")) {
                tracesOf.computeIfAbsent(t.path("transactionHash").asString().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(t);
            }
        }
        long top = 0;
        List<JsonNode> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingLong(b -> quantity(b.path("number")).longValueExact()));
        for (JsonNode b : sorted) {
            long number = quantity(b.path("number")).longValueExact();
            top = Math.max(top, number);
            JsonNode list = b.path("transactions");
            if (!list.valueStream().allMatch(t -> receiptOf.containsKey(t.path("hash").asString().toLowerCase(Locale.ROOT)))) {
                continue; // not every receipt is known: what this block did cannot be said
            }
            for (JsonNode t : list) {
                String hash = t.path("hash").asString().toLowerCase(Locale.ROOT);
                JsonNode receipt = receiptOf.get(hash);
                List<JsonNode> frames = tracesOf.getOrDefault(hash, List.of());
                boolean failed = receipt.hasNonNull("status") ? quantity(receipt.path("status")).signum() == 0
                        : frames.stream().anyMatch(f -> f.path("traceAddress").isEmpty() && f.hasNonNull("error"));
                List<Frame> fs = new ArrayList<>();
                Tx tx = new Tx(t, receipt, number, b.path("hash").asString(), quantity(b.path("timestamp")).longValueExact(),
                        quantity(t.path("transactionIndex")).intValueExact(), failed, fs);
                txs.add(tx);
                byHash.put(hash, tx);
                index(txsOf, lower(t.path("from").asString("")), tx);
                index(txsOf, lower(t.path("to").asString("")), tx);
                index(txsOf, lower(receipt.path("contractAddress").asString("")), tx);
                frames(tx, frames, fs);
                for (JsonNode log : receipt.path("logs")) {
                    JsonNode topics = log.path("topics");
                    String data = log.path("data").asString("");
                    if (topics.size() == 3 && topics.get(0).asString().equalsIgnoreCase(TRANSFER) && data.length() == 66) {
                        TokenLog l = new TokenLog(tx, lower(log.path("address").asString()), topicAddress(topics.get(1).asString()),
                                topicAddress(topics.get(2).asString()), new BigInteger(data.substring(2), 16), quantity(log.path("logIndex")).intValueExact());
                        index(tokensOf, l.from(), l);
                        if (!l.to().equals(l.from())) {
                            index(tokensOf, l.to(), l);
                        }
                    }
                }
            }
        }
        this.head = top;
        this.server = Loopback.start("etherscan-loopback", this::handle);
    }

    /** The frames of one transaction that Etherscan lists as internal transactions, in execution order. */
    private void frames(Tx tx, List<JsonNode> traces, List<Frame> out) {
        List<List<Integer>> failedAt = new ArrayList<>();
        for (JsonNode f : traces) {
            List<Integer> address = new ArrayList<>();
            f.path("traceAddress").forEach(n -> address.add(n.asInt()));
            boolean own = f.hasNonNull("error");
            boolean failed = tx.failed() || own || failedAt.stream().anyMatch(p -> address.size() >= p.size() && address.subList(0, p.size()).equals(p));
            if (own) {
                failedAt.add(address);
            }
            if (address.isEmpty()) {
                continue; // the transaction itself
            }
            JsonNode action = f.path("action");
            String type = f.path("type").asString("");
            BigInteger value;
            String from;
            String to;
            String contract = "";
            String kind;
            switch (type) {
                case "call" -> {
                    value = quantity(action.path("value"));
                    String callType = action.path("callType").asString("call");
                    if (!callType.equals("call") || value.signum() == 0) {
                        continue; // delegate, static and code calls move nothing of their own; a call without value is not listed
                    }
                    from = action.path("from").asString();
                    to = action.path("to").asString();
                    kind = "call";
                }
                case "create" -> {
                    value = quantity(action.path("value"));
                    from = action.path("from").asString();
                    to = "";
                    contract = f.path("result").path("address").asString("");
                    kind = "create";
                }
                case "suicide" -> {
                    value = quantity(action.path("balance"));
                    from = action.path("address").asString();
                    to = action.path("refundAddress").asString();
                    kind = "suicide";
                }
                default -> {
                    continue;
                }
            }
            Frame frame = new Frame(tx, List.copyOf(address), kind, lower(from), lower(to), lower(contract), value,
                    String.valueOf(quantity(action.path("gas"))), String.valueOf(quantity(f.path("result").path("gasUsed"))),
                    action.path("input").asString(""), failed, own ? f.path("error").asString() : "");
            out.add(frame);
            index(framesOf, frame.from(), frame);
            String receiver = frame.to().isEmpty() ? frame.contractAddress() : frame.to();
            if (!receiver.equals(frame.from())) {
                index(framesOf, receiver, frame);
            }
        }
    }

    /** Serves ethereum-etl's recorded mainnet answers ({@code web3_response.*.json} under {@code dir}). */
    public static EtherscanServer fromRecordings(Path dir) throws IOException {
        return of(NodeAnswers.fromRecordings(dir));
    }

    /** Serves what a running node (Anvil) holds: every block with its receipts and traces, asked at start. */
    public static EtherscanServer fromNode(String rpcUrl) throws IOException {
        return of(NodeAnswers.fromNode(rpcUrl));
    }

    private static EtherscanServer of(NodeAnswers a) throws IOException {
        return new EtherscanServer(a.blocks(), a.receipts(), a.traces(), a.tokenInfo());
    }

    private static <T> void index(Map<String, List<T>> index, String address, T item) {
        if (!address.isEmpty()) {
            List<T> l = index.computeIfAbsent(address, k -> new ArrayList<>());
            if (l.isEmpty() || l.getLast() != item) {
                l.add(item);
            }
        }
    }

    /** The URL of the API: {@code http://127.0.0.1:PORT/api}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    public Faults faults() {
        return faults;
    }

    /** From now on, answers only requests carrying this API key, as Etherscan does. */
    public EtherscanServer requireKey(String key) {
        this.requiredKey = key;
        return this;
    }

    /** Requests answered, faults included. */
    public long requests() {
        return requests.get();
    }

    /** Requests answered per action ({@code txlist}, {@code eth_getTransactionReceipt}, ...). */
    public Map<String, Long> requestsByAction() {
        return Map.copyOf(byAction);
    }

    /** The newest block served. */
    public long head() {
        return head;
    }

    /** Every address that sent or received something here, lower-case, in a stable order. */
    public List<String> addresses() {
        java.util.TreeSet<String> all = new java.util.TreeSet<>(txsOf.keySet());
        all.addAll(framesOf.keySet());
        all.addAll(tokensOf.keySet());
        return List.copyOf(all);
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            byAction.merge(q.getOrDefault("action", ""), 1L, Long::sum);
            faults.delay();
            Faults.Fault fault = faults.next();
            if (Loopback.transportFault(ex, fault, faults, 503, "<html><body>503 Service Temporarily Unavailable</body></html>")) {
                return;
            }
            if (fault == Faults.Fault.RATE_LIMITED_IN_BODY) {
                Loopback.send(ex, 200, "application/json", notOk("Max calls per sec rate limit reached (5/sec)").toString());
                return;
            }
            if (!ex.getRequestURI().getPath().equals("/api")) {
                Loopback.send(ex, 404, "text/html", "<html><body>404 Not Found</body></html>");
                return;
            }
            String body = answer(q, fault == Faults.Fault.CORRUPT).toString();
            if (fault == Faults.Fault.MALFORMED) {
                body = body.substring(0, Math.max(1, body.length() / 2));
            }
            Loopback.send(ex, 200, "application/json", body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return q;
    }

    private JsonNode answer(Map<String, String> q, boolean corrupt) {
        String key = requiredKey;
        if (key != null && !key.equals(q.get("apikey"))) {
            return notOk(q.containsKey("apikey") ? "Invalid API Key (#err2)|" : "Missing/Invalid API Key");
        }
        String module = q.getOrDefault("module", "");
        String action = q.getOrDefault("action", "");
        if (module.equals("proxy")) {
            return proxy(action, q, corrupt);
        }
        if (!module.equals("account")) {
            return notOk("Error! Missing Or invalid Module name");
        }
        if (action.equals("txlistinternal") && q.containsKey("txhash")) {
            Tx t = byHash.get(lower(q.get("txhash")));
            ArrayNode out = NODES.arrayNode();
            if (t != null) {
                t.frames().forEach(f -> out.add(frameRow(f, false)));
            }
            return list(out);
        }
        String address = lower(q.getOrDefault("address", ""));
        if (!address.matches("0x[0-9a-f]{40}")) {
            return notOk("Error! Invalid address format");
        }
        long start;
        long end;
        int page;
        int offset;
        try {
            start = Long.parseLong(q.getOrDefault("startblock", "0"));
            end = Long.parseLong(q.getOrDefault("endblock", "99999999"));
            page = Integer.parseInt(q.getOrDefault("page", "1"));
            offset = Integer.parseInt(q.getOrDefault("offset", String.valueOf(WINDOW)));
        } catch (NumberFormatException e) {
            return notOk("Error! Invalid parameter");
        }
        if (page < 1 || offset < 1) {
            return notOk("Error! Invalid parameter");
        }
        if ((long) page * offset > WINDOW) {
            return notOk("Result window is too large, PageNo x Offset size must be less than or equal to 10000");
        }
        boolean desc = q.getOrDefault("sort", "asc").equalsIgnoreCase("desc");
        List<JsonNode> rows = new ArrayList<>();
        switch (action) {
            case "txlist" -> txsOf.getOrDefault(address, List.of()).stream().filter(t -> t.block() >= start && t.block() <= end)
                    .forEach(t -> rows.add(txRow(t)));
            case "txlistinternal" -> framesOf.getOrDefault(address, List.of()).stream()
                    .filter(f -> f.tx().block() >= start && f.tx().block() <= end).forEach(f -> rows.add(frameRow(f, true)));
            case "tokentx" -> tokensOf.getOrDefault(address, List.of()).stream()
                    .filter(l -> l.tx().block() >= start && l.tx().block() <= end).forEach(l -> rows.add(tokenRow(l)));
            default -> {
                return notOk("Error! Missing Or invalid Action name");
            }
        }
        if (desc) {
            java.util.Collections.reverse(rows);
        }
        ArrayNode out = NODES.arrayNode();
        rows.stream().skip((long) (page - 1) * offset).limit(offset).forEach(out::add);
        return list(out);
    }

    /** {@code corrupt}: a receipt is another transaction's (an explorer's cache gone wrong). */
    private JsonNode proxy(String action, Map<String, String> q, boolean corrupt) {
        ObjectNode n = NODES.objectNode();
        n.put("jsonrpc", "2.0");
        n.put("id", 1);
        switch (action) {
            case "eth_blockNumber" -> n.put("result", "0x" + Long.toHexString(head));
            case "eth_getTransactionReceipt" -> {
                Tx t = byHash.get(lower(q.getOrDefault("txhash", "")));
                if (t != null && corrupt) {
                    t = txs.get((txs.indexOf(t) + 1) % txs.size());
                }
                n.set("result", t == null ? NODES.nullNode() : t.receipt());
            }
            default -> {
                ObjectNode e = n.putObject("error");
                e.put("code", -32601);
                e.put("message", "The method " + action + " does not exist/is not available");
            }
        }
        return n;
    }

    private ObjectNode txRow(Tx t) {
        JsonNode tx = t.tx();
        JsonNode r = t.receipt();
        ObjectNode o = NODES.objectNode();
        o.put("blockNumber", String.valueOf(t.block()));
        o.put("timeStamp", String.valueOf(t.time()));
        o.put("hash", t.hash());
        o.put("nonce", String.valueOf(quantity(tx.path("nonce"))));
        o.put("blockHash", t.blockHash());
        o.put("transactionIndex", String.valueOf(t.index()));
        o.put("from", lower(tx.path("from").asString("")));
        o.put("to", lower(tx.path("to").asString("")));
        o.put("value", quantity(tx.path("value")).toString());
        o.put("gas", quantity(tx.path("gas")).toString());
        o.put("gasPrice", quantity(tx.path("gasPrice")).toString());
        o.put("isError", t.failed() ? "1" : "0");
        o.put("txreceipt_status", r.hasNonNull("status") ? String.valueOf(quantity(r.path("status"))) : "");
        o.put("input", tx.path("input").asString("0x"));
        o.put("contractAddress", lower(r.path("contractAddress").asString("")));
        o.put("cumulativeGasUsed", quantity(r.path("cumulativeGasUsed")).toString());
        o.put("gasUsed", quantity(r.path("gasUsed")).toString());
        o.put("confirmations", String.valueOf(head - t.block() + 1));
        String input = tx.path("input").asString("0x");
        o.put("methodId", input.length() >= 10 ? input.substring(0, 10) : "0x");
        o.put("functionName", "");
        return o;
    }

    private static ObjectNode frameRow(Frame f, boolean byAddress) {
        ObjectNode o = NODES.objectNode();
        o.put("blockNumber", String.valueOf(f.tx().block()));
        o.put("timeStamp", String.valueOf(f.tx().time()));
        if (byAddress) {
            o.put("hash", f.tx().hash());
        }
        o.put("from", f.from());
        o.put("to", f.to());
        o.put("value", f.value().toString());
        o.put("contractAddress", f.contractAddress());
        o.put("input", "");
        o.put("type", f.type());
        o.put("gas", f.gas());
        o.put("gasUsed", f.gasUsed());
        if (byAddress) {
            StringBuilder id = new StringBuilder("0");
            f.traceAddress().forEach(i -> id.append('_').append(i));
            o.put("traceId", id.toString());
        }
        o.put("isError", f.failed() ? "1" : "0");
        o.put("errCode", f.error());
        return o;
    }

    private ObjectNode tokenRow(TokenLog l) {
        Tx t = l.tx();
        String[] info = tokenInfo.getOrDefault(l.token(), new String[] {"", "", ""});
        ObjectNode o = NODES.objectNode();
        o.put("blockNumber", String.valueOf(t.block()));
        o.put("timeStamp", String.valueOf(t.time()));
        o.put("hash", t.hash());
        o.put("nonce", String.valueOf(quantity(t.tx().path("nonce"))));
        o.put("blockHash", t.blockHash());
        o.put("from", l.from());
        o.put("contractAddress", l.token());
        o.put("to", l.to());
        o.put("value", l.value().toString());
        o.put("tokenName", info[0]);
        o.put("tokenSymbol", info[1]);
        o.put("tokenDecimal", info[2]);
        o.put("transactionIndex", String.valueOf(t.index()));
        o.put("gas", quantity(t.tx().path("gas")).toString());
        o.put("gasPrice", quantity(t.tx().path("gasPrice")).toString());
        o.put("gasUsed", quantity(t.receipt().path("gasUsed")).toString());
        o.put("cumulativeGasUsed", quantity(t.receipt().path("cumulativeGasUsed")).toString());
        o.put("input", "deprecated");
        o.put("confirmations", String.valueOf(head - t.block() + 1));
        return o;
    }

    private static ObjectNode list(ArrayNode rows) {
        ObjectNode o = NODES.objectNode();
        o.put("status", rows.isEmpty() ? "0" : "1");
        o.put("message", rows.isEmpty() ? "No transactions found" : "OK");
        o.set("result", rows);
        return o;
    }

    private static ObjectNode notOk(String result) {
        ObjectNode o = NODES.objectNode();
        o.put("status", "0");
        o.put("message", "NOTOK");
        o.put("result", result);
        return o;
    }

    private static BigInteger quantity(JsonNode n) {
        String s = n.asString("");
        if (s.isEmpty() || s.equals("0x")) {
            return BigInteger.ZERO;
        }
        return s.startsWith("0x") ? new BigInteger(s.substring(2), 16) : new BigInteger(s);
    }

    private static String topicAddress(String topic) {
        return "0x" + topic.substring(topic.length() - 40).toLowerCase(Locale.ROOT);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    /** Serves ethereum-etl's recordings until killed: {@code EtherscanServer DIR}; prints the URL. */
    public static void main(String[] args) throws Exception {
        EtherscanServer s = fromRecordings(Path.of(args[0]));
        System.out.println(s.url());
        Thread.currentThread().join();
    }

    @Override
    public void close() {
        Loopback.stop(server);
    }
}
