package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.UtxoLedger;
import io.chaintrace.graph.FetchSink;
import io.chaintrace.graph.FetchedTransaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Brings a seed's neighbourhood into the store from an Esplora API, hop by hop, so that a trace of up
 * to {@code hops} hops over it gives what a trace over whole blocks gives.
 *
 * <p>Layer 0 holds the seed's transactions (an address's whole confirmed history; for a P2PKH
 * address also its key's bare-key coins, found by script hash once the key has been seen). Forward,
 * layer k+1 holds the spenders of layer k's outputs ({@code /tx/:txid/outspends}); outputs the API
 * says are unspent are recorded so, as of its tip. Backward, layer k+1 holds the transactions that
 * funded layer k's inputs. Layers 0 to {@code hops} are expanded; layer {@code hops + 1} is fetched
 * but not expanded, so that a trace's hop limit cuts where it would over whole blocks. Forward, the
 * funding transactions of followed transactions' inputs are fetched too (LIFO orders inputs by their
 * age). Everything else stays <em>unknown</em>: traces cut there with "not fetched", never "unspent".
 * A budget of requests or transactions stops the fetch early, and says so.
 */
public final class NeighbourhoodFetch {
    private static final HexFormat HEX = HexFormat.of();

    private final TransactionService api;
    private final FetchSink store;
    private final String source;

    /**
     * What to fetch: direction as in a trace; the budgets are ceilings (Long.MAX_VALUE: none); transactions after
     * {@code until} are not followed forward, nor those before {@code since} backward (unix seconds).
     */
    public record Settings(int hops, boolean forward, boolean backward, long maxRequests, long maxTransactions, long since, long until) {
        public Settings {
            if (hops < 0) {
                throw new IllegalArgumentException("--hops must not be negative");
            }
            if (maxRequests < 1 || maxTransactions < 1) {
                throw new IllegalArgumentException("--max-requests and --max-transactions must be at least 1");
            }
        }

        public Settings(int hops, boolean forward, boolean backward, long maxRequests, long maxTransactions) {
            this(hops, forward, backward, maxRequests, maxTransactions, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    /** What a fetch did; {@code stoppedBy} names the budget that ended it early, if one did. */
    public record Summary(int layers, long transactions, long stored, long requests, long cacheHits, long unspentRecorded,
                          long unconfirmedSkipped, Optional<String> stoppedBy, Duration elapsed) {
        public String describe() {
            return String.format("fetched %,d transactions (%,d new) over %d layers in %.1f s with %,d requests (%,d more answered from the"
                    + " cache); %,d outputs recorded unspent, %,d unconfirmed left out%s", transactions, stored, layers, elapsed.toNanos() / 1e9,
                    requests, cacheHits, unspentRecorded, unconfirmedSkipped,
                    stoppedBy.map(s -> "; stopped by " + s + ": the rest of the neighbourhood is not fetched").orElse(""));
        }
    }

    /** Progress: a layer done, with the transactions fetched so far and the requests made. */
    public record Progress(int layer, long transactions, long requests, int frontier) {
    }

    public NeighbourhoodFetch(TransactionService api, FetchSink store, String source) {
        this.api = api;
        this.store = store;
        this.source = source;
    }

    public Summary run(Seed seed, Settings s, Consumer<Progress> progress) {
        long start = System.nanoTime();
        api.cacheIn(io.chaintrace.ingest.remote.HttpService.Cache.in(store));
        Run r = new Run(s);
        if (s.forward() && !api.followsForward()) {
            throw new IllegalArgumentException(api.describe() + " has no index of spends (Bitcoin Core keeps none), so it cannot follow"
                    + " value forward: fetch forward from an Esplora API (--esplora URL), or fetch --direction backward");
        }
        int tip = api.tipHeight();
        List<FetchedTransaction> layer0 = r.seedTransactions(seed);
        if (layer0.isEmpty() && !(seed instanceof Seed.AddressSeed a && store.keyOf(a.address()).isPresent())) {
            String hint = seed instanceof Seed.AddressSeed a && a.address().kind() == ScriptKind.P2PKH
                    ? "; coins paid to the bare key of a P2PKH address are listed under the key's script only, found once a fetch has"
                    + " seen the key: fetch first from a transaction that paid it" : "";
            throw new IllegalArgumentException(api.describe() + " lists no confirmed transaction of " + seed + hint);
        }
        int layers = 1;
        progress.accept(new Progress(0, r.fetched, api.requests(), layer0.size()));
        if (s.forward()) {
            layers = Math.max(layers, r.forward(layer0, tip, progress));
        }
        if (s.backward()) {
            layers = Math.max(layers, r.backward(layer0, progress));
        }
        return new Summary(layers, r.fetched, r.stored, api.requests(), api.cacheHits(), r.unspent, r.unconfirmed,
                Optional.ofNullable(r.stoppedBy), Duration.ofNanos(System.nanoTime() - start));
    }

    private static byte[] p2pkScript(byte[] key) {
        byte[] s = new byte[key.length + 2];
        s[0] = (byte) key.length;
        System.arraycopy(key, 0, s, 1, key.length);
        s[s.length - 1] = (byte) 0xac; // OP_CHECKSIG
        return s;
    }

    /** One fetch's state. */
    private final class Run {
        final Settings s;
        /** Every transaction this run asked for: what it got (empty: unknown or unconfirmed), asked once. */
        final java.util.Map<Hash256, Optional<FetchedTransaction>> got = new java.util.HashMap<>();
        /** Transactions whose outputs were followed forward, and whose inputs were followed backward, already. */
        final Set<Hash256> expandedForward = new java.util.HashSet<>();
        final Set<Hash256> expandedBackward = new java.util.HashSet<>();
        long fetched;
        long stored;
        long unspent;
        long unconfirmed;
        String stoppedBy;

        Run(Settings s) {
            this.s = s;
        }

        boolean budgetLeft() {
            if (api.requests() >= s.maxRequests()) {
                stoppedBy = "the request budget (--max-requests " + s.maxRequests() + ")";
            } else if (fetched >= s.maxTransactions()) {
                stoppedBy = "the transaction budget (--max-transactions " + s.maxTransactions() + ")";
            }
            return stoppedBy == null;
        }

        /**
         * These transactions, in chain order, each asked for once per run (one asked for again, say first as the
         * funding of a followed transaction and then as a spender, is given from what the run already has); the new
         * ones are stored. Unconfirmed or unknown ones are left out.
         */
        List<FetchedTransaction> fetch(List<Hash256> txids) {
            List<FetchedTransaction> layer = new ArrayList<>();
            List<FetchedTransaction> fresh = new ArrayList<>();
            for (Hash256 txid : new LinkedHashSet<>(txids)) {
                Optional<FetchedTransaction> t = got.get(txid);
                if (t == null) {
                    if (!budgetLeft()) {
                        break;
                    }
                    t = api.transaction(txid);
                    got.put(txid, t);
                    if (t.isEmpty()) {
                        unconfirmed++;
                        continue;
                    }
                    fetched++;
                    fresh.add(t.get());
                }
                t.ifPresent(layer::add);
            }
            Comparator<FetchedTransaction> chainOrder = Comparator.comparingInt(FetchedTransaction::height)
                    .thenComparingInt(FetchedTransaction::position);
            fresh.sort(chainOrder);
            stored += store.putFetched(fresh, source);
            layer.sort(chainOrder);
            return layer;
        }

        int forward(List<FetchedTransaction> layer0, int tip, Consumer<Progress> progress) {
            List<FetchedTransaction> layer = layer0;
            int k = 0;
            for (; k <= s.hops() && !layer.isEmpty() && stoppedBy == null; k++) {
                List<Hash256> next = new ArrayList<>();
                List<Outpoint> unspentHere = new ArrayList<>();
                List<UtxoLedger.Spend> spends = new ArrayList<>();
                for (FetchedTransaction t : layer) {
                    if (!budgetLeft()) {
                        break;
                    }
                    if (!expandedForward.add(t.txid()) || t.time() > s.until()) {
                        continue; // a trace with --until does not follow it either
                    }
                    List<TransactionService.Outspend> outs = api.outspends(t.txid());
                    for (int v = 0; v < outs.size(); v++) {
                        TransactionService.Outspend o = outs.get(v);
                        Outpoint op = new Outpoint(t.txid(), v);
                        if (!o.spent()) {
                            unspentHere.add(op);
                        } else if (!o.confirmed()) {
                            unconfirmed++; // spent in the mempool: not evidence yet; stays unknown
                        } else {
                            spends.add(new UtxoLedger.Spend(op, o.txid(), o.vin()));
                            next.add(o.txid());
                        }
                    }
                }
                store.putUnspent(unspentHere, tip, source);
                unspent += unspentHere.size();
                store.putSpends(spends);
                List<FetchedTransaction> fetchedNext = fetch(next);
                if (k + 1 <= s.hops()) {
                    // The layer after will be followed: fetch what its inputs spent (their age orders LIFO).
                    List<Hash256> funding = new ArrayList<>();
                    fetchedNext.forEach(t -> t.spends().stream().filter(op -> !op.equals(Outpoint.COINBASE)).forEach(op -> funding.add(op.txid())));
                    fetch(funding.stream().filter(id -> !got.containsKey(id) && !store.hasTransaction(id)).toList());
                }
                layer = fetchedNext;
                progress.accept(new Progress(k + 1, fetched, api.requests(), layer.size()));
            }
            return k + 1;
        }

        int backward(List<FetchedTransaction> layer0, Consumer<Progress> progress) {
            List<FetchedTransaction> layer = layer0;
            int k = 0;
            for (; k <= s.hops() && !layer.isEmpty() && stoppedBy == null; k++) {
                List<Hash256> funding = new ArrayList<>();
                for (FetchedTransaction t : layer) {
                    if (!expandedBackward.add(t.txid()) || t.time() < s.since()) {
                        continue;
                    }
                    t.spends().stream().filter(op -> !op.equals(Outpoint.COINBASE)).forEach(op -> funding.add(op.txid()));
                }
                layer = fetch(funding);
                progress.accept(new Progress(k + 1, fetched, api.requests(), layer.size()));
            }
            return k + 1;
        }

        /** The transactions a seed names, and for an address every one of its history (and of its key's). */
        List<FetchedTransaction> seedTransactions(Seed seed) {
            return switch (seed) {
                case Seed.OutpointSeed o -> fetch(List.of(o.outpoint().txid()));
                case Seed.TransactionSeed t -> fetch(List.of(t.txid()));
                case Seed.AddressSeed a -> {
                    List<FetchedTransaction> all = new ArrayList<>(fetch(api.addressTransactions(a.address().text())));
                    if (a.address().kind() == ScriptKind.P2PKH) {
                        // Coins paid to the bare key are listed under its script hash only: ask for the keys seen with this hash.
                        for (byte[] key : keysOf(a.address(), all)) {
                            all.addAll(fetch(api.scriptTransactions(p2pkScript(key))));
                        }
                        all.sort(Comparator.comparingInt(FetchedTransaction::height).thenComparingInt(FetchedTransaction::position));
                    }
                    yield all;
                }
                case Seed.OutflowSeed o -> seedTransactions(new Seed.AddressSeed(o.address())); // its history holds what it paid
                default -> throw new IllegalArgumentException("a fetch starts from an address, a transaction or an output, not " + seed);
            };
        }

        /**
         * The public keys whose P2PKH address is {@code address}, as far as anything seen shows them: bare-key
         * outputs and prevouts of the address's own transactions, and keys the store already holds coins of.
         */
        List<byte[]> keysOf(Address address, List<FetchedTransaction> history) {
            byte[] hash = address.keyHash().orElseThrow();
            Set<String> keys = new LinkedHashSet<>();
            store.keyOf(address).ifPresent(keys::add);
            for (FetchedTransaction t : history) {
                List<TxOutput> scripts = new ArrayList<>(t.outputs());
                t.prevouts().forEach(p -> p.ifPresent(scripts::add));
                for (TxOutput o : scripts) {
                    o.owner().filter(x -> x.kind() == ScriptKind.P2PK && java.util.Arrays.equals(x.keyHash().orElseThrow(), hash))
                            .ifPresent(x -> keys.add(x.text()));
                }
            }
            return keys.stream().map(k -> HEX.parseHex(k.substring(Address.PUBKEY_PREFIX.length()))).toList();
        }
    }
}
