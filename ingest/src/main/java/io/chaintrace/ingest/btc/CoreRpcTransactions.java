package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.ScriptClassifier;
import io.chaintrace.graph.FetchedTransaction;
import io.chaintrace.ingest.CorruptAnswerException;
import io.chaintrace.ingest.ServiceException;
import io.chaintrace.ingest.remote.HttpService;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.core.Transaction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Transactions from a Bitcoin Core node with {@code -txindex}: {@code getrawtransaction <txid> 2}
 * (the raw bytes, checked to hash to the txid, and what each input spent: {@code prevout}, Core 25
 * and later) and {@code getblock <hash> 1} (height, time, the block's txids for the position).
 * Core keeps no index of spends nor of addresses, so this service follows value backward only,
 * from transactions and outputs; it says so, and what to use instead.
 */
public final class CoreRpcTransactions implements TransactionService {
    private static final HexFormat HEX = HexFormat.of();
    private static final int NOT_FOUND = -5;
    /** Amounts are BTC decimals: read as BigDecimal, as the node's answers are. */
    private static final tools.jackson.databind.ObjectMapper JSON = JsonMapper.builder()
            .enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final BitcoinCoreRpc rpc;
    private final ScriptClassifier classifier;
    private final Map<Hash256, JsonNode> blocks = new ConcurrentHashMap<>();
    private HttpService.Cache cache;
    private long hits;

    public CoreRpcTransactions(BitcoinCoreRpc rpc, BitcoinNetwork network) {
        this.rpc = rpc;
        this.classifier = new ScriptClassifier(network);
    }

    @Override
    public String describe() {
        return rpc.describe();
    }

    @Override
    public long requests() {
        return rpc.requests();
    }

    @Override
    public long cacheHits() {
        return hits;
    }

    @Override
    public void cacheIn(HttpService.Cache cache) {
        this.cache = cache;
    }

    @Override
    public int tipHeight() {
        return rpc.chainInfo().blocks();
    }

    @Override
    public boolean followsForward() {
        return false;
    }

    /** A result through the cache, kept when {@code lasting} says it cannot change. */
    private Optional<JsonNode> cached(String key, java.util.function.Supplier<Optional<JsonNode>> ask,
                                      java.util.function.Predicate<JsonNode> lasting) {
        String k = "rpc " + describe() + " " + key;
        Optional<String> hit = cache == null ? Optional.empty() : cache.get(k);
        if (hit.isPresent()) {
            hits++;
            return Optional.of(JSON.readTree(hit.get()));
        }
        Optional<JsonNode> r = ask.get();
        if (cache != null && r.isPresent() && lasting.test(r.get())) {
            cache.put(k, r.get().toString());
        }
        return r;
    }

    @Override
    public Optional<FetchedTransaction> transaction(Hash256 txid) {
        Optional<JsonNode> found = cached("getrawtransaction " + txid, () -> {
            try {
                return Optional.of(rpc.call("getrawtransaction", List.of(txid.hex(), 2)));
            } catch (BitcoinCoreRpc.RpcError e) {
                if (e.code() == NOT_FOUND) {
                    return Optional.empty();
                }
                throw e;
            }
        }, n -> n.hasNonNull("blockhash"));
        if (found.isEmpty() || !found.get().hasNonNull("blockhash")) {
            return Optional.empty(); // unknown to the node (no -txindex?) or still in its mempool
        }
        JsonNode tx = found.get();
        RawTransaction raw = new RawTransaction(describe(), classifier);
        Transaction parsed = raw.parse(txid, tx.path("hex").asText());
        Hash256 blockHash = Hash256.fromHex(tx.path("blockhash").asText());
        JsonNode block = blocks.computeIfAbsent(blockHash, b -> cached("getblock " + b, () -> Optional.of(rpc.call("getblock", List.of(b.hex(), 1))),
                n -> true).orElseThrow());
        int position = -1;
        JsonNode ids = block.path("tx");
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).asText().equals(txid.hex())) {
                position = i;
                break;
            }
        }
        if (position < 0) {
            throw new CorruptAnswerException(describe() + ": block " + blockHash + " does not list transaction " + txid);
        }
        JsonNode vin = tx.path("vin");
        if (vin.size() != parsed.getInputs().size()) {
            throw new CorruptAnswerException(describe() + ": transaction " + txid + " inputs differ between its bytes and its JSON");
        }
        return Optional.of(raw.fetched(parsed, txid, blockHash, block.path("height").asInt(-1), block.path("time").asLong(0), position,
                (i, op) -> {
                    JsonNode prev = vin.get(i).get("prevout");
                    // Absent before Core 25, or when the node lacks the spent output's undo data.
                    return prev == null || prev.isNull() ? Optional.empty() : Optional.of(new RawTransaction.Prevout(
                            HEX.parseHex(prev.path("scriptPubKey").path("hex").asText("")), satoshi(prev.path("value"), txid)));
                }));
    }

    /** A BTC amount as Core writes it (a decimal with 8 places) in satoshi, exactly. */
    private long satoshi(JsonNode value, Hash256 txid) {
        try {
            return value.decimalValue().movePointRight(8).longValueExact();
        } catch (ArithmeticException e) {
            throw new CorruptAnswerException(describe() + ": transaction " + txid + " spends an output of " + value + " BTC, not a whole"
                    + " number of satoshi");
        }
    }

    private ServiceException noIndex(String what) {
        return new ServiceException(describe() + ": Bitcoin Core keeps no index of " + what + "; use an Esplora API (--esplora URL)");
    }

    @Override
    public List<Outspend> outspends(Hash256 txid) {
        throw noIndex("spends");
    }

    @Override
    public List<Hash256> addressTransactions(String address) {
        throw new IllegalArgumentException(describe() + " cannot look up an address (Bitcoin Core keeps no address index): seed a"
                + " transaction or output, or fetch from an Esplora API (--esplora URL)");
    }

    @Override
    public List<Hash256> scriptTransactions(byte[] script) {
        throw noIndex("scripts");
    }

    @Override
    public void close() {
        rpc.close();
    }
}
