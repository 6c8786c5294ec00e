package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.ScriptClassifier;
import io.chaintrace.graph.FetchedTransaction;
import io.chaintrace.ingest.CorruptAnswerException;
import io.chaintrace.ingest.ServiceException;
import io.chaintrace.ingest.remote.HttpService;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.core.Transaction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * An Esplora HTTP API (Blockstream's API.md: mempool.space, blockstream.info or self-hosted) for the
 * calls a fetch makes. A transaction is read twice: its raw bytes ({@code /tx/:txid/hex}), parsed by
 * bitcoinj and checked to hash to the txid asked for (else a {@link CorruptAnswerException} naming
 * it), and its JSON ({@code /tx/:txid}) for what the bytes do not hold: the block it is in and what
 * each spent output was ({@code prevout}), checked against the bytes. Its position in the block comes
 * from {@code /block/:hash/txids}, asked once per block.
 */
public final class EsploraApi implements TransactionService {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HexFormat HEX = HexFormat.of();
    private static final int HISTORY_PAGE = 25;

    private final HttpService http;
    private final ScriptClassifier classifier;
    private final Map<Hash256, List<Hash256>> blockTxids = new ConcurrentHashMap<>();
    private final String base;
    private HttpService.Cache cache = HttpService.Cache.NONE;
    private int tip = -1;


    public EsploraApi(String url, BitcoinNetwork network, HttpService.Settings settings) {
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        // A self-hosted API behind HTTP Basic authentication: user:password in the URL, sent as a header, never shown.
        String[] user = io.chaintrace.ingest.Secrets.userInfo(url);
        this.http = new HttpService("Esplora API", base, settings, user.length == 2 ? HttpService.basicAuth(user[0], user[1]) : Map.of());
        this.classifier = new ScriptClassifier(network);
    }

    @Override
    public String describe() {
        return http.describe();
    }

    @Override
    public long requests() {
        return http.requests();
    }

    /** Answers served from the cache instead of the API. */
    @Override
    public long cacheHits() {
        return http.cacheHits();
    }

    /**
     * Keeps answers in {@code cache} so that a fetch run again, or resumed after a kill, asks nothing twice: what
     * cannot change (raw transactions, confirmed transactions, a block's txids) for good; what can (spends,
     * address histories) for as long as the API's tip stays where it was.
     */
    @Override
    public void cacheIn(HttpService.Cache cache) {
        this.cache = cache;
    }

    /** GET through the cache: {@code lasting} answers for good, the others keyed by the tip they were asked at. */
    private HttpService.Answer get(String path, String what, HttpService.Judge judge, boolean lasting,
                                   java.util.function.Predicate<String> keep) {
        return http.get(path, what, judge, cache, "esplora " + http.describe() + (lasting ? "" : " @" + tip) + " " + path, keep);
    }

    @Override
    public boolean followsForward() {
        return true;
    }

    /** The height of the API's tip. */
    @Override
    public int tipHeight() {
        String body = http.get("/blocks/tip/height", "tip height", EsploraApi::text).body().strip();
        try {
            tip = Integer.parseInt(body);
            return tip;
        } catch (NumberFormatException e) {
            throw new ServiceException(describe() + ": tip height answered '" + abbreviate(body) + "'");
        }
    }

    /**
     * A confirmed transaction as the store takes it; empty when the API does not know it or it is not
     * confirmed yet (a mempool transaction is no evidence of where coins went).
     */
    @Override
    public Optional<FetchedTransaction> transaction(Hash256 txid) {
        HttpService.Answer j = get("/tx/" + txid.hex(), "transaction " + txid, EsploraApi::json, true, EsploraApi::confirmed);
        if (j.status() == 404) {
            return Optional.empty();
        }
        JsonNode tx = JSON.readTree(j.body());
        JsonNode status = tx.path("status");
        if (!status.path("confirmed").asBoolean(false)) {
            return Optional.empty();
        }
        String hex = get("/tx/" + txid.hex() + "/hex", "transaction " + txid + " hex", EsploraApi::hex, true, b -> true).body();
        RawTransaction raw = new RawTransaction(describe(), classifier);
        Transaction parsed = raw.parse(txid, hex);
        JsonNode vin = tx.path("vin");
        if (vin.size() != parsed.getInputs().size()) {
            throw new CorruptAnswerException(describe() + ": transaction " + txid + " has " + parsed.getInputs().size()
                    + " inputs but its JSON lists " + vin.size());
        }
        Hash256 block = Hash256.fromHex(status.path("block_hash").asText());
        int position = blockTxids(block).indexOf(txid);
        if (position < 0) {
            throw new CorruptAnswerException(describe() + ": block " + block + " does not list transaction " + txid
                    + " that it says is in it");
        }
        return Optional.of(raw.fetched(parsed, txid, block, status.path("block_height").asInt(-1), status.path("block_time").asLong(0), position,
                (i, op) -> {
                    JsonNode v = vin.get(i);
                    if (!v.path("txid").asText("").equals(op.txid().hex()) || v.path("vout").asLong(-1) != op.vout()) {
                        throw new CorruptAnswerException(describe() + ": transaction " + txid + " input " + i
                                + " differs between its bytes and its JSON");
                    }
                    JsonNode prev = v.get("prevout");
                    return prev == null || prev.isNull() ? Optional.empty()
                            : Optional.of(new RawTransaction.Prevout(HEX.parseHex(prev.path("scriptpubkey").asText("")), prev.path("value").asLong(-1)));
                }));
    }

    /** The transactions of a block in order, asked once. */
    private List<Hash256> blockTxids(Hash256 block) {
        return blockTxids.computeIfAbsent(block, b -> {
            JsonNode ids = JSON.readTree(get("/block/" + b.hex() + "/txids", "block " + b + " txids", EsploraApi::json, true, x -> true).body());
            List<Hash256> out = new ArrayList<>(ids.size());
            ids.forEach(n -> out.add(Hash256.fromHex(n.asText())));
            return out;
        });
    }

    /** Whether and by what each output of a transaction was spent. */
    @Override
    public List<Outspend> outspends(Hash256 txid) {
        JsonNode a = JSON.readTree(get("/tx/" + txid.hex() + "/outspends", "outspends of " + txid, EsploraApi::json, false, x -> true).body());
        List<Outspend> out = new ArrayList<>(a.size());
        for (JsonNode n : a) {
            boolean spent = n.path("spent").asBoolean(false);
            out.add(spent ? new Outspend(true, Hash256.fromHex(n.path("txid").asText()), n.path("vin").asInt(), n.path("status")
                    .path("confirmed").asBoolean(false)) : new Outspend(false, null, -1, false));
        }
        return out;
    }

    /** Every confirmed transaction of an address, newest first, page by page. */
    @Override
    public List<Hash256> addressTransactions(String address) {
        return history("/address/" + address, "address " + address);
    }

    /** Every confirmed transaction of a script (by the SHA-256 of its bytes): how P2PK coins are found. */
    @Override
    public List<Hash256> scriptTransactions(byte[] script) {
        try {
            String hash = HEX.formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(script));
            return history("/scripthash/" + hash, "script hash " + hash);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Hash256> history(String base, String what) {
        List<Hash256> out = new ArrayList<>();
        String path = base + "/txs/chain";
        while (true) {
            JsonNode page = JSON.readTree(get(path, what + " history", EsploraApi::json, false, x -> true).body());
            if (page.isEmpty()) {
                return out;
            }
            Hash256 last = null;
            for (JsonNode tx : page) {
                last = Hash256.fromHex(tx.path("txid").asText());
                out.add(last);
            }
            if (page.size() < HISTORY_PAGE) {
                return out; // a short page is the last (API.md: 25 a page)
            }
            path = base + "/txs/chain/" + last.hex();
        }
    }

    /** Whether a transaction's JSON says it is confirmed: only then is it kept for good. */
    private static boolean confirmed(String body) {
        try {
            return JSON.readTree(body).path("status").path("confirmed").asBoolean(false);
        } catch (JacksonException e) {
            return false;
        }
    }

    /** JSON bodies: a 404 is an answer (not found); a body that does not parse is retried. */
    private static HttpService.Verdict json(HttpService.Answer a) {
        if (a.status() == 404) {
            return HttpService.Verdict.USE;
        }
        if (a.status() != 200) {
            return new HttpService.Verdict.Fail("HTTP " + a.status() + ": " + abbreviate(a.body()));
        }
        try {
            JsonNode n = JSON.readTree(a.body());
            return n != null && (n.isObject() || n.isArray()) ? HttpService.Verdict.USE : new HttpService.Verdict.Retry("an answer that is not JSON");
        } catch (JacksonException e) {
            return new HttpService.Verdict.Retry("malformed JSON in the answer");
        }
    }

    private static HttpService.Verdict hex(HttpService.Answer a) {
        if (a.status() != 200) {
            return new HttpService.Verdict.Fail("HTTP " + a.status() + ": " + abbreviate(a.body()));
        }
        String s = a.body().strip();
        return s.length() % 2 == 0 && s.chars().allMatch(c -> Character.digit(c, 16) >= 0) ? HttpService.Verdict.USE
                : new HttpService.Verdict.Retry("an answer that is not hex");
    }

    private static HttpService.Verdict text(HttpService.Answer a) {
        if (a.status() != 200) {
            return new HttpService.Verdict.Fail("HTTP " + a.status() + ": " + abbreviate(a.body()));
        }
        return a.body().strip().matches("\\d{1,9}") ? HttpService.Verdict.USE : new HttpService.Verdict.Retry("an answer that is not a height");
    }

    private static String abbreviate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() > 120 ? t.substring(0, 120) + "..." : t;
    }

    @Override
    public void close() {
        http.close();
    }
}
