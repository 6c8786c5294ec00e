package io.chaintrace.loopback;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.LegacyAddress;
import org.bitcoinj.base.SegwitAddress;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptPattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Esplora's HTTP API (Blockstream's API.md) on 127.0.0.1, answering from real blocks, for the calls
 * a fetch makes: {@code /tx/:txid} (JSON: vin with prevout, vout, status), {@code /tx/:txid/hex},
 * {@code /tx/:txid/status}, {@code /tx/:txid/outspends}, {@code /address/:a/txs} and
 * {@code /scripthash/:h/txs} (newest first, 25 confirmed a page, then {@code /txs/chain/:last_seen_txid}),
 * {@code /block/:hash/txids}, {@code /blocks/tip/height}. Unknown paths are 404 with Esplora's
 * plain-text messages; a script hash is the SHA-256 of the output script in hex. Faults on demand.
 */
public final class EsploraServer implements AutoCloseable {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int PAGE = 25;
    private static final HexFormat HEX = HexFormat.of();

    private final HttpServer server;
    private final Faults faults = new Faults();
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, Long> byPath = new java.util.concurrent.ConcurrentHashMap<>();
    private final BitcoinNetwork network;
    private final int tip;
    private final Map<String, Tx> txs = new HashMap<>();
    private final Map<String, String[]> spenders = new HashMap<>(); // txid:vout -> spender txid, vin
    private final Map<String, List<String>> byAddress = new HashMap<>(); // oldest first
    private final Map<String, List<String>> byScriptHash = new HashMap<>();
    private final Map<String, List<String>> blockTxids = new HashMap<>();

    /** A confirmed transaction and where it is. */
    private record Tx(Transaction tx, byte[] raw, String blockHash, int height, long time, int position) {
    }

    /**
     * @param blocks one chain's serialized blocks from height {@code firstHeight}, in chain order
     */
    public EsploraServer(BitcoinNetwork network, List<byte[]> blocks, int firstHeight) throws IOException {
        this.network = network;
        this.tip = firstHeight + blocks.size() - 1;
        for (int i = 0; i < blocks.size(); i++) {
            byte[] b = blocks.get(i);
            Block block = Block.read(ByteBuffer.wrap(b));
            String hash = Loopback.blockHash(b);
            List<String> ids = new ArrayList<>();
            int position = 0;
            for (Transaction tx : block.getTransactions()) {
                String txid = tx.getTxId().toString();
                ids.add(txid);
                txs.put(txid, new Tx(tx, tx.serialize(), hash, firstHeight + i, block.getTimeSeconds(), position++));
                for (TransactionInput in : tx.getInputs()) {
                    if (!in.isCoinBase()) {
                        String op = in.getOutpoint().hash() + ":" + in.getOutpoint().index();
                        spenders.put(op, new String[] {txid, String.valueOf(tx.getInputs().indexOf(in))});
                        Tx funding = txs.get(in.getOutpoint().hash().toString());
                        if (funding != null) {
                            index(funding.tx().getOutput(in.getOutpoint().index()).getScriptBytes(), txid);
                        }
                    }
                }
                for (TransactionOutput out : tx.getOutputs()) {
                    index(out.getScriptBytes(), txid);
                }
            }
            blockTxids.put(hash, ids);
        }
        this.server = Loopback.start("esplora-loopback", this::handle);
    }

    /** Serves a mainnet block file until killed: {@code EsploraServer FILE [FIRST_HEIGHT]}; prints the URL. */
    public static void main(String[] args) throws Exception {
        List<byte[]> blocks = Loopback.framedBlocks(java.nio.file.Path.of(args[0]));
        EsploraServer s = new EsploraServer(BitcoinNetwork.MAINNET, BitcoinCoreServer.inChainOrder(blocks),
                args.length > 1 ? Integer.parseInt(args[1]) : 0);
        System.out.println(s.url());
        Thread.currentThread().join();
    }

    /** Where a script's transactions are listed: under its address, if it has one, and under its hash. */
    private void index(byte[] script, String txid) {
        add(byScriptHash, HEX.formatHex(sha256(script)), txid);
        address(script).ifPresent(a -> add(byAddress, a, txid));
    }

    private static void add(Map<String, List<String>> index, String key, String txid) {
        List<String> list = index.computeIfAbsent(key, k -> new ArrayList<>());
        if (list.isEmpty() || !list.getLast().equals(txid)) {
            list.add(txid);
        }
    }

    /** The URL of the API (what a client is given): {@code http://127.0.0.1:PORT/api}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    public Faults faults() {
        return faults;
    }

    /** Requests answered, faults included. */
    public long requests() {
        return requests.get();
    }

    /** Requests answered per path (without the host), for checking what a client asked twice. */
    public Map<String, Long> requestsByPath() {
        return Map.copyOf(byPath);
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            String path = ex.getRequestURI().getPath();
            byPath.merge(path, 1L, Long::sum);
            faults.delay();
            Faults.Fault fault = faults.next();
            if (Loopback.transportFault(ex, fault, faults, 502, "<html><body>Bad Gateway</body></html>")) {
                return;
            }
            if (!"GET".equals(ex.getRequestMethod())) {
                Loopback.send(ex, 405, "text/plain", "Method Not Allowed");
                return;
            }
            if (!path.startsWith("/api/")) {
                Loopback.send(ex, 404, "text/plain", "Not Found");
                return;
            }
            String[] p = path.substring("/api/".length()).split("/");
            Answer a = answer(p, fault == Faults.Fault.CORRUPT);
            String body = a.body();
            if (fault == Faults.Fault.MALFORMED && a.status() == 200) {
                body = body.substring(0, Math.max(1, body.length() / 2));
            }
            Loopback.send(ex, a.status(), a.type(), body);
        }
    }

    private record Answer(int status, String type, String body) {
        static Answer json(Object node) {
            return new Answer(200, "application/json", node.toString());
        }

        static Answer text(String s) {
            return new Answer(200, "text/plain", s);
        }

        static Answer notFound(String s) {
            return new Answer(404, "text/plain", s);
        }

        static Answer bad(String s) {
            return new Answer(400, "text/plain", s);
        }
    }

    private Answer answer(String[] p, boolean corrupt) {
        switch (p[0]) {
            case "tx" -> {
                if (p.length < 2 || !p[1].matches("[0-9a-f]{64}")) {
                    return Answer.bad("Invalid hex string");
                }
                Tx t = txs.get(p[1]);
                if (t == null) {
                    return Answer.notFound("Transaction not found");
                }
                if (p.length == 2) {
                    return Answer.json(json(t));
                }
                return switch (p[2]) {
                    case "hex" -> Answer.text(HEX.formatHex(corrupt ? BitcoinCoreServer.flip(t.raw()) : t.raw()));
                    case "status" -> Answer.json(status(t));
                    case "outspends" -> {
                        ArrayNode a = NODES.arrayNode();
                        for (int v = 0; v < t.tx().getOutputs().size(); v++) {
                            a.add(outspend(p[1], v));
                        }
                        yield Answer.json(a);
                    }
                    case "outspend" -> p.length > 3 ? Answer.json(outspend(p[1], Integer.parseInt(p[3]))) : Answer.notFound("Not Found");
                    default -> Answer.notFound("Not Found");
                };
            }
            case "address", "scripthash" -> {
                if (p.length < 3 || !p[2].equals("txs")) {
                    return Answer.notFound("Not Found");
                }
                List<String> all = (p[0].equals("address") ? byAddress : byScriptHash).getOrDefault(p[1], List.of());
                if (p[0].equals("scripthash") && !p[1].matches("[0-9a-f]{64}")) {
                    return Answer.bad("Invalid hex string");
                }
                List<String> newestFirst = new ArrayList<>(all).reversed();
                int from = 0;
                if (p.length >= 5 && p[3].equals("chain")) {
                    int i = newestFirst.indexOf(p[4]);
                    if (i < 0) {
                        return Answer.json(NODES.arrayNode()); // electrs: an unknown last_seen_txid gives nothing more
                    }
                    from = i + 1;
                } else if (p.length == 4 && p[3].equals("mempool")) {
                    return Answer.json(NODES.arrayNode());
                }
                ArrayNode a = NODES.arrayNode();
                for (int i = from; i < Math.min(newestFirst.size(), from + PAGE); i++) {
                    a.add(json(txs.get(newestFirst.get(i))));
                }
                return Answer.json(a);
            }
            case "block" -> {
                List<String> ids = p.length > 1 ? blockTxids.get(p[1]) : null;
                if (ids == null) {
                    return Answer.notFound("Block not found");
                }
                if (p.length == 3 && p[2].equals("txids")) {
                    ArrayNode a = NODES.arrayNode();
                    ids.forEach(a::add);
                    return Answer.json(a);
                }
                return Answer.notFound("Not Found");
            }
            case "blocks" -> {
                if (p.length == 3 && p[1].equals("tip") && p[2].equals("height")) {
                    return Answer.text(String.valueOf(tip));
                }
                return Answer.notFound("Not Found");
            }
            default -> {
                return Answer.notFound("Not Found");
            }
        }
    }

    private ObjectNode outspend(String txid, int vout) {
        ObjectNode o = NODES.objectNode();
        String[] s = spenders.get(txid + ":" + vout);
        o.put("spent", s != null);
        if (s != null) {
            o.put("txid", s[0]);
            o.put("vin", Integer.parseInt(s[1]));
            o.set("status", status(txs.get(s[0])));
        }
        return o;
    }

    private ObjectNode json(Tx t) {
        Transaction tx = t.tx();
        ObjectNode o = NODES.objectNode();
        o.put("txid", tx.getTxId().toString());
        o.put("version", tx.getVersion());
        o.put("locktime", tx.lockTime().rawValue());
        o.put("size", t.raw().length);
        o.put("weight", tx.getWeight());
        long in = 0;
        ArrayNode vin = o.putArray("vin");
        for (TransactionInput i : tx.getInputs()) {
            ObjectNode v = vin.addObject();
            v.put("txid", i.isCoinBase() ? "0".repeat(64) : i.getOutpoint().hash().toString());
            v.put("vout", i.isCoinBase() ? 4294967295L : i.getOutpoint().index());
            v.put("is_coinbase", i.isCoinBase());
            v.put("scriptsig", HEX.formatHex(i.getScriptBytes()));
            v.put("sequence", i.getSequenceNumber());
            ArrayNode w = v.putArray("witness");
            if (i.hasWitness()) {
                for (int k = 0; k < i.getWitness().getPushCount(); k++) {
                    w.add(HEX.formatHex(i.getWitness().getPush(k)));
                }
            }
            if (i.isCoinBase()) {
                v.putNull("prevout");
            } else {
                Tx funding = txs.get(i.getOutpoint().hash().toString());
                if (funding == null) {
                    // The served blocks do not hold it: what the data cannot answer is left out (fee unknown too).
                    v.putNull("prevout");
                    in = Long.MIN_VALUE;
                } else {
                    TransactionOutput prev = funding.tx().getOutput(i.getOutpoint().index());
                    v.set("prevout", output(prev));
                    in = in == Long.MIN_VALUE ? in : in + prev.getValue().value;
                }
            }
        }
        ArrayNode vout = o.putArray("vout");
        long out = 0;
        for (TransactionOutput x : tx.getOutputs()) {
            vout.add(output(x));
            out += x.getValue().value;
        }
        if (in != Long.MIN_VALUE) {
            o.put("fee", tx.isCoinBase() ? 0 : in - out);
        }
        o.set("status", status(t));
        return o;
    }

    private ObjectNode output(TransactionOutput out) {
        byte[] script = out.getScriptBytes();
        ObjectNode o = NODES.objectNode();
        o.put("scriptpubkey", HEX.formatHex(script));
        o.put("scriptpubkey_type", type(script));
        address(script).ifPresent(a -> o.put("scriptpubkey_address", a));
        o.put("value", out.getValue().value);
        return o;
    }

    private static ObjectNode status(Tx t) {
        ObjectNode s = NODES.objectNode();
        s.put("confirmed", true);
        s.put("block_height", t.height());
        s.put("block_hash", t.blockHash());
        s.put("block_time", t.time());
        return s;
    }

    /** Esplora's names of script types. */
    private static String type(byte[] bytes) {
        Script s;
        try {
            s = Script.parse(bytes);
        } catch (RuntimeException e) {
            return "unknown";
        }
        if (ScriptPattern.isP2PKH(s)) {
            return "p2pkh";
        }
        if (ScriptPattern.isP2SH(s)) {
            return "p2sh";
        }
        if (ScriptPattern.isP2WPKH(s)) {
            return "v0_p2wpkh";
        }
        if (ScriptPattern.isP2WSH(s)) {
            return "v0_p2wsh";
        }
        if (ScriptPattern.isP2TR(s)) {
            return "v1_p2tr";
        }
        if (ScriptPattern.isP2PK(s)) {
            return "p2pk";
        }
        if (ScriptPattern.isOpReturn(s)) {
            return "op_return";
        }
        return bytes.length == 0 ? "empty" : "unknown";
    }

    /** The address Esplora shows for a script: P2PKH, P2SH, segwit; none for P2PK and the rest. */
    private java.util.Optional<String> address(byte[] bytes) {
        Script s;
        try {
            s = Script.parse(bytes);
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
        if (ScriptPattern.isP2PKH(s)) {
            return java.util.Optional.of(LegacyAddress.fromPubKeyHash(network, ScriptPattern.extractHashFromP2PKH(s)).toString());
        }
        if (ScriptPattern.isP2SH(s)) {
            return java.util.Optional.of(LegacyAddress.fromScriptHash(network, ScriptPattern.extractHashFromP2SH(s)).toString());
        }
        if (ScriptPattern.isP2WH(s) || ScriptPattern.isP2TR(s)) {
            return java.util.Optional.of(SegwitAddress.fromProgram(network, ScriptPattern.isP2WH(s) ? 0 : 1, s.getChunks().get(1).data).toString());
        }
        return java.util.Optional.empty();
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        Loopback.stop(server);
    }
}
