package io.chaintrace.loopback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Transaction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bitcoin Core's JSON-RPC interface on 127.0.0.1, answering from real blocks: HTTP POST to {@code /},
 * HTTP Basic authentication (401 without it), JSON-RPC 1.0 requests or batches (arrays). Errors are
 * Core's: an error object with Core's code and message, HTTP 500 for a single request (404 for an
 * unknown method) and 200 inside a batch. It knows {@code getblockchaininfo}, {@code getblockcount},
 * {@code getbestblockhash}, {@code getblockhash}, {@code getblock} (verbosity 0 and 1),
 * {@code getblockheader}, {@code getrawtransaction} (as with {@code -txindex}). The chain it serves
 * can be replaced while it runs (a reorg).
 */
public final class BitcoinCoreServer implements AutoCloseable {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final HttpServer server;
    private final String chain;
    private final String authorization;
    private final Faults faults = new Faults();
    private final AtomicLong requests = new AtomicLong();
    private volatile Chain served;

    /** The blocks served, indexed once. */
    private record Chain(List<byte[]> blocks, List<String> hashes, Map<String, Integer> heights, Map<String, byte[]> transactions,
                         Map<String, String> txBlock) {
        static Chain of(List<byte[]> blocks) {
            List<String> hashes = new ArrayList<>();
            Map<String, Integer> heights = new HashMap<>();
            Map<String, byte[]> txs = new HashMap<>();
            Map<String, String> txBlock = new HashMap<>();
            for (int h = 0; h < blocks.size(); h++) {
                byte[] b = blocks.get(h);
                String hash = Loopback.blockHash(b);
                hashes.add(hash);
                heights.put(hash, h);
                Block block = Block.read(ByteBuffer.wrap(b));
                for (Transaction tx : block.getTransactions()) {
                    txs.put(tx.getTxId().toString(), tx.serialize());
                    txBlock.put(tx.getTxId().toString(), hash);
                }
            }
            return new Chain(List.copyOf(blocks), hashes, heights, txs, txBlock);
        }
    }

    /**
     * @param chain    Core's name of the network ("main", "test", "signet", "regtest")
     * @param blocks   the main chain's serialized blocks from height 0
     * @param user     with {@code password}: the credentials it requires (as {@code rpcauth} or a cookie would)
     */
    public BitcoinCoreServer(String chain, List<byte[]> blocks, String user, String password) throws IOException {
        this.chain = chain;
        this.served = Chain.of(blocks);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = Loopback.start("bitcoin-core-loopback", this::handle);
    }

    /**
     * Serves a block file until killed, for trying a client by hand and for benchmarks:
     * {@code BitcoinCoreServer FILE CHAIN USER} with the password in {@code $LOOPBACK_PASSWORD}; prints the URL.
     */
    public static void main(String[] args) throws Exception {
        List<byte[]> blocks = Loopback.framedBlocks(java.nio.file.Path.of(args[0]));
        BitcoinCoreServer s = new BitcoinCoreServer(args[1], inChainOrder(blocks), args[2], System.getenv("LOOPBACK_PASSWORD"));
        System.out.println(s.url());
        Thread.currentThread().join();
    }

    /** Blocks (of one linear chain, in any order) from the one without a parent among them, each followed by its child. */
    public static List<byte[]> inChainOrder(List<byte[]> blocks) {
        Map<String, byte[]> byPrev = new HashMap<>();
        java.util.Set<String> hashes = new java.util.HashSet<>();
        for (byte[] b : blocks) {
            byPrev.put(prev(b), b);
            hashes.add(Loopback.blockHash(b));
        }
        byte[] root = null;
        for (byte[] b : blocks) {
            if (!hashes.contains(prev(b))) {
                root = b;
                break;
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[] b = root; b != null; b = byPrev.get(Loopback.blockHash(b))) {
            out.add(b);
        }
        return out;
    }

    private static String prev(byte[] block) {
        byte[] p = java.util.Arrays.copyOfRange(block, 4, 36);
        return Sha256Hash.wrapReversed(p).toString();
    }

    /** The URL to give a client (no credentials in it). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public Faults faults() {
        return faults;
    }

    /** Requests answered, faults included. */
    public long requests() {
        return requests.get();
    }

    /** The hash of the block served at a height, in display order. */
    public String hashAt(int height) {
        return served.hashes().get(height);
    }

    /** Serves another chain from now on: a reorg when it shares a prefix with the one before. */
    public void serve(List<byte[]> blocks) {
        served = Chain.of(blocks);
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            faults.delay();
            Faults.Fault fault = faults.next();
            if (Loopback.transportFault(ex, fault, faults, 500, "<html><body>internal error</body></html>")) {
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                Loopback.send(ex, 405, "text/plain", "JSONRPC server handles only POST requests");
                return;
            }
            if (!authorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"jsonrpc\"");
                Loopback.send(ex, 401, "text/plain", "");
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (RuntimeException e) {
                Loopback.send(ex, 500, "application/json", error(NODES.nullNode(), -32700, "Parse error").toString());
                return;
            }
            Chain c = served;
            String out;
            int status;
            if (request.isArray()) {
                ArrayNode replies = NODES.arrayNode();
                for (JsonNode r : request) {
                    replies.add(answer(c, r, fault));
                }
                out = replies.toString();
                status = 200;
            } else {
                ObjectNode reply = answer(c, request, fault);
                out = reply.toString();
                JsonNode err = reply.get("error");
                status = err.isNull() ? 200 : err.path("code").asInt() == -32601 ? 404 : 500;
            }
            if (fault == Faults.Fault.MALFORMED) {
                out = out.substring(0, out.length() / 2);
            }
            Loopback.send(ex, status, "application/json", out);
        }
    }

    private ObjectNode answer(Chain c, JsonNode r, Faults.Fault fault) {
        JsonNode id = r.path("id");
        String method = r.path("method").asText("");
        JsonNode params = r.path("params");
        try {
            JsonNode result = switch (method) {
                case "getblockchaininfo" -> {
                    ObjectNode o = NODES.objectNode();
                    o.put("chain", chain);
                    o.put("blocks", c.blocks().size() - 1);
                    o.put("headers", c.blocks().size() - 1);
                    o.put("bestblockhash", c.hashes().getLast());
                    o.put("initialblockdownload", false);
                    o.put("pruned", false);
                    yield o;
                }
                case "getblockcount" -> NODES.numberNode(c.blocks().size() - 1);
                case "getbestblockhash" -> NODES.stringNode(c.hashes().getLast());
                case "getblockhash" -> {
                    int h = intParam(params, 0);
                    if (h < 0 || h >= c.blocks().size()) {
                        throw new RpcError(-8, "Block height out of range");
                    }
                    yield NODES.stringNode(c.hashes().get(h));
                }
                case "getblock" -> {
                    int h = heightOf(c, hashParam(params, 0));
                    int verbosity = params.size() > 1 ? params.get(1).asInt(1) : 1;
                    if (verbosity == 0) {
                        byte[] bytes = c.blocks().get(h);
                        yield NODES.stringNode(HexFormat.of().formatHex(fault == Faults.Fault.CORRUPT ? flip(bytes) : bytes));
                    }
                    ObjectNode o = header(c, h);
                    ArrayNode txs = o.putArray("tx");
                    for (Transaction tx : Block.read(ByteBuffer.wrap(c.blocks().get(h))).getTransactions()) {
                        txs.add(tx.getTxId().toString());
                    }
                    yield o;
                }
                case "getblockheader" -> {
                    int h = heightOf(c, hashParam(params, 0));
                    boolean verbose = params.size() <= 1 || params.get(1).asBoolean(true);
                    yield verbose ? header(c, h) : NODES.stringNode(HexFormat.of().formatHex(c.blocks().get(h), 0, 80));
                }
                case "getrawtransaction" -> {
                    String txid = hashParam(params, 0);
                    byte[] tx = c.transactions().get(txid);
                    if (tx == null) {
                        throw new RpcError(-5, "No such mempool or blockchain transaction. Use gettransaction for wallet transactions.");
                    }
                    String hex = HexFormat.of().formatHex(fault == Faults.Fault.CORRUPT ? flip(tx) : tx);
                    int verbosity = params.size() <= 1 ? 0 : params.get(1).isBoolean() ? (params.get(1).asBoolean() ? 1 : 0)
                            : params.get(1).asInt(0);
                    if (verbosity == 0) {
                        yield NODES.stringNode(hex);
                    }
                    ObjectNode o = NODES.objectNode();
                    o.put("txid", txid);
                    o.put("hex", hex);
                    // Verbosity 2 (Core 25+): each input with the output it spent, amounts in BTC.
                    ArrayNode vin = o.putArray("vin");
                    for (org.bitcoinj.core.TransactionInput in : Transaction.read(ByteBuffer.wrap(tx)).getInputs()) {
                        ObjectNode v = vin.addObject();
                        if (in.isCoinBase()) {
                            v.put("coinbase", HexFormat.of().formatHex(in.getScriptBytes()));
                            continue;
                        }
                        v.put("txid", in.getOutpoint().hash().toString());
                        v.put("vout", in.getOutpoint().index());
                        byte[] funding = c.transactions().get(in.getOutpoint().hash().toString());
                        if (verbosity >= 2 && funding != null) {
                            org.bitcoinj.core.TransactionOutput prev = Transaction.read(ByteBuffer.wrap(funding)).getOutput(in.getOutpoint().index());
                            ObjectNode p = v.putObject("prevout");
                            p.put("height", c.heights().get(c.txBlock().get(in.getOutpoint().hash().toString())));
                            p.put("value", new java.math.BigDecimal(prev.getValue().value).movePointLeft(8).setScale(8));
                            p.putObject("scriptPubKey").put("hex", HexFormat.of().formatHex(prev.getScriptBytes()));
                        }
                    }
                    String block = c.txBlock().get(txid);
                    int h = c.heights().get(block);
                    o.put("blockhash", block);
                    o.put("confirmations", c.blocks().size() - h);
                    o.put("time", time(c.blocks().get(h)));
                    o.put("blocktime", time(c.blocks().get(h)));
                    yield o;
                }
                default -> throw new RpcError(-32601, "Method not found");
            };
            ObjectNode o = NODES.objectNode();
            o.set("result", result);
            o.set("error", NODES.nullNode());
            o.set("id", id);
            return o;
        } catch (RpcError e) {
            return error(id, e.code, e.getMessage());
        }
    }

    private static ObjectNode header(Chain c, int h) {
        byte[] b = c.blocks().get(h);
        ObjectNode o = NODES.objectNode();
        o.put("hash", c.hashes().get(h));
        o.put("confirmations", c.blocks().size() - h);
        o.put("height", h);
        o.put("time", time(b));
        o.put("bits", String.format("%08x", Integer.reverseBytes(ByteBuffer.wrap(b, 72, 4).getInt())));
        if (h > 0) {
            o.put("previousblockhash", c.hashes().get(h - 1));
        }
        if (h + 1 < c.blocks().size()) {
            o.put("nextblockhash", c.hashes().get(h + 1));
        }
        return o;
    }

    private static long time(byte[] block) {
        return Integer.toUnsignedLong(Integer.reverseBytes(ByteBuffer.wrap(block, 68, 4).getInt()));
    }

    private static int heightOf(Chain c, String hash) {
        Integer h = c.heights().get(hash);
        if (h == null) {
            throw new RpcError(-5, "Block not found");
        }
        return h;
    }

    private static int intParam(JsonNode params, int i) {
        JsonNode p = params.path(i);
        if (!p.isIntegralNumber()) {
            throw new RpcError(-1, "JSON value of type " + p.getNodeType() + " is not of expected type number");
        }
        return p.asInt();
    }

    private static String hashParam(JsonNode params, int i) {
        String s = params.path(i).asText("");
        if (!s.matches("[0-9a-fA-F]{64}")) {
            throw new RpcError(-8, "parameter 1 must be hexadecimal string (not '" + s + "')");
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /** The bytes with one byte in the middle changed. */
    static byte[] flip(byte[] bytes) {
        byte[] copy = bytes.clone();
        copy[copy.length / 2] ^= 0x01;
        return copy;
    }

    private static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode o = NODES.objectNode();
        o.set("result", NODES.nullNode());
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        e.put("message", message);
        o.set("id", id);
        return o;
    }

    private static final class RpcError extends RuntimeException {
        final int code;

        RpcError(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    @Override
    public void close() {
        Loopback.stop(server);
    }
}
