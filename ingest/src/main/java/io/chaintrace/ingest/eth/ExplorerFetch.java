package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.TransferExtractor;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.EthBlock;
import io.chaintrace.ingest.ServiceException;
import io.chaintrace.ingest.remote.HttpService;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Pulls an Ethereum seed's neighbourhood from an Etherscan-compatible explorer, hop by hop, for
 * investigators without a node. For each address asked about: its transactions, internal
 * transactions and token transfers over the block range; for each transaction found, its receipt
 * (position, status, logs) and, when it has internal transactions, all of them. Each transaction is
 * then run through the node path's {@link TransferExtractor} (reverted transactions and failed
 * frames move nothing; token amounts come from the receipt's {@code Transfer} logs), and the
 * transfers from or to the address are stored with the blocks they are in, kept as fetched in
 * part, in one batch with the mark that the address's history is complete over the range.
 *
 * <p>Forward, addresses within {@code hops - 1} hops of the seed are asked about; those at
 * {@code hops} are reached (what paid them is stored) but not asked. Backward, the senders up to
 * {@code hops} hops back are asked about (a backward trace's hop 0 is the seed's own inflows). So a
 * trace of {@code hops} hops over the store gives what whole blocks give, and past that reports
 * "not fetched". A rerun asks nothing it has
 * (answers are cached in the store; asked addresses are marked) and a fetch killed part-way resumes
 * where it stopped.
 */
public final class ExplorerFetch {
    private final ExplorerApi api;
    private final ChainStore store;
    private final String source;

    /**
     * @param fromBlock       first block to read
     * @param toBlock         last block to read; empty for the explorer's head less {@code confirmations}
     * @param maxRequests     stop before the next address once this many requests were made
     * @param maxTransactions stop before the next address once this many transactions were read
     */
    public record Settings(int hops, boolean forward, boolean backward, long fromBlock, Optional<Long> toBlock, int confirmations,
                           long maxRequests, long maxTransactions) {
        public Settings {
            if (hops < 0) {
                throw new IllegalArgumentException("--hops must not be negative");
            }
            if (!forward && !backward) {
                throw new IllegalArgumentException("a fetch goes forward, backward or both");
            }
        }
    }

    /** Where a fetch stands: the layer (of the layers it asks about), addresses asked so far, the layer's frontier, what was stored. */
    public record Progress(int layer, int layers, long asked, int frontier, long transfers, long requests) {
    }

    /** What a fetch did. */
    public record Summary(int layers, long asked, long alreadyFetched, long cut, int reachedNotAsked, long transactions, long stored,
                          long requests, long cacheHits, long fromBlock, long toBlock, Duration elapsed) {
        public String describe() {
            return String.format("asked about %,d addresses (%,d fetched before), %,d transactions read, %,d transfers stored, blocks %,d-%,d;"
                            + " %,d requests, %,d answered from the cache; %,d addresses at the last hop reached, not asked (a trace stops"
                            + " there: not fetched)%s; %.1f s", asked, alreadyFetched, transactions, stored, fromBlock, toBlock, requests, cacheHits,
                    reachedNotAsked, cut > 0 ? "; " + cut + " addresses not asked: the budget (--max-requests / --max-transactions) ran out" : "",
                    elapsed.toNanos() / 1e9);
        }
    }

    public ExplorerFetch(ExplorerApi api, ChainStore store) {
        this.api = api;
        this.store = store;
        this.source = api.describe();
        api.cacheIn(HttpService.Cache.in(store));
    }

    public Summary run(Address seed, Settings s, Consumer<Progress> progress) {
        if (seed.chain() != Chain.ETHEREUM) {
            throw new IllegalArgumentException("fetch eth needs an Ethereum address, got " + seed.text());
        }
        long start = System.nanoTime();
        long to = s.toBlock().orElseGet(() -> api.head() - s.confirmations());
        if (to < s.fromBlock()) {
            throw new IllegalArgumentException("blocks " + s.fromBlock() + " to " + to + ": nothing to read");
        }
        String first = seed.text().toLowerCase(Locale.ROOT);
        Set<String> seen = new LinkedHashSet<>(List.of(first));
        Set<String> frontier = new TreeSet<>(seen);
        long asked = 0;
        long before = 0;
        long cut = 0;
        long transactions = 0;
        long stored = 0;
        int layer = 0;
        // Forward, a trace of n hops reads the outflows of the addresses 0..n-1 hops out; backward, the inflows of the
        // senders 0..n hops back (the seed's own inflows are hop 0).
        int layers = s.hops() + (s.backward() ? 1 : 0);
        for (; layer < layers && !frontier.isEmpty(); layer++) {
            Set<String> next = new TreeSet<>();
            for (String a : frontier) {
                progress.accept(new Progress(layer, layers, asked + before, frontier.size(), stored, api.requests()));
                Optional<long[]> had = store.ethFetchedRange(a);
                if (had.isPresent() && had.get()[0] <= s.fromBlock() && had.get()[1] >= to) {
                    before++;
                } else {
                    if (api.requests() >= s.maxRequests() || transactions >= s.maxTransactions()) {
                        cut++;
                        continue;
                    }
                    // Asked before over an earlier range: only the blocks since are asked now.
                    long from = had.isPresent() && had.get()[0] <= s.fromBlock() ? Math.max(s.fromBlock(), had.get()[1] + 1) : s.fromBlock();
                    Asked r = ask(a, from, to);
                    transactions += r.transactions;
                    stored += store.putFetchedTransfers(r.blocks, List.of(a), s.fromBlock(), to, source);
                    asked++;
                }
                // The next hop from everything the store now holds of the address over the range, whichever fetch brought it.
                for (AccountTransfer t : store.transfersOf(Address.parse(a))) {
                    long n = t.block().height();
                    if (n < s.fromBlock() || n > to) {
                        continue;
                    }
                    if (s.forward() && t.from().text().equalsIgnoreCase(a) && !t.to().text().equalsIgnoreCase(a)) {
                        next.add(lower(t.to().text()));
                    }
                    if (s.backward() && t.to().text().equalsIgnoreCase(a) && !t.from().text().equalsIgnoreCase(a)) {
                        next.add(lower(t.from().text()));
                    }
                }
            }
            next.removeAll(seen);
            seen.addAll(next);
            frontier = next;
        }
        progress.accept(new Progress(layer, layers, asked + before, frontier.size(), stored, api.requests()));
        return new Summary(layer, asked, before, cut, frontier.size(), transactions, stored, api.requests(), api.cacheHits(), s.fromBlock(),
                to, Duration.ofNanos(System.nanoTime() - start));
    }

    /** What asking about one address gave: its transfers by block, and how many transactions were read. */
    private record Asked(List<EthBlock> blocks, long transactions) {
    }

    /** What the lists say of one transaction. */
    private static final class Facts {
        final Hash256 hash;
        long block = -1;
        long time;
        Hash256 blockHash = Hash256.ZERO;
        JsonNode listed; // its txlist row, when the address sent or received it
        boolean internal;

        Facts(Hash256 hash) {
            this.hash = hash;
        }
    }

    private Asked ask(String address, long from, long to) {
        Map<Hash256, Facts> txs = new LinkedHashMap<>();
        Map<String, Asset> tokens = new HashMap<>();
        for (JsonNode row : api.rows("txlist", address, from, to)) {
            Facts f = facts(txs, row);
            f.listed = row;
        }
        for (JsonNode row : api.rows("txlistinternal", address, from, to)) {
            facts(txs, row).internal = true;
        }
        for (JsonNode row : api.rows("tokentx", address, from, to)) {
            facts(txs, row);
            String contract = row.path("contractAddress").asString("").toLowerCase(Locale.ROOT);
            String decimals = row.path("tokenDecimal").asString("");
            tokens.putIfAbsent(contract, new Asset(Chain.ETHEREUM, Optional.of(Address.parse(contract)), row.path("tokenSymbol").asString(""),
                    decimals.matches("\\d{1,3}") ? OptionalInt.of(Integer.parseInt(decimals)) : OptionalInt.empty()));
        }
        TransferExtractor extractor = new TransferExtractor(c -> tokens.getOrDefault(c,
                new Asset(Chain.ETHEREUM, Optional.of(Address.parse(c)), "", OptionalInt.empty())));
        Map<Long, List<EthRows.Tx>> blockTxs = new TreeMap<>();
        Map<Long, Facts> blockFacts = new HashMap<>();
        Map<Hash256, EthRows.Receipt> receipts = new HashMap<>();
        List<EthRows.Trace> traces = new ArrayList<>();
        List<EthRows.TokenTransfer> tokenTransfers = new ArrayList<>();
        Map<Hash256, BigInteger> gas = new HashMap<>();
        for (Facts f : txs.values()) {
            ExplorerApi.Receipt answer = api.receipt(f.hash).orElseThrow(() -> new ServiceException(api.describe() + " lists transaction 0x"
                    + f.hash.hex() + " of " + address + " but has no receipt for it"));
            if (answer.block() != f.block || (!f.blockHash.equals(Hash256.ZERO) && !f.blockHash.equals(answer.blockHash()))) {
                throw new io.chaintrace.ingest.CorruptAnswerException(api.describe() + ": transaction 0x" + f.hash.hex() + " is in block "
                        + f.block + " by the lists of " + address + " but in block " + answer.block() + " " + answer.blockHash()
                        + " by its receipt; nothing of " + address + " stored");
            }
            f.blockHash = answer.blockHash();
            EthRows.Receipt receipt = answer.receipt();
            JsonNode l = f.listed;
            Optional<Boolean> success = receipt.success();
            if (success.isEmpty() && l != null) {
                success = Optional.of(l.path("isError").asString("0").equals("0")); // before Byzantium receipts have no status
            }
            receipts.put(f.hash, new EthRows.Receipt(f.hash, receipt.txIndex(), success, receipt.contractAddress(), receipt.logs()));
            // A transaction the address neither sent nor received: its own value is not the address's, only its inner transfers are.
            blockTxs.computeIfAbsent(f.block, k -> new ArrayList<>()).add(new EthRows.Tx(f.hash, f.block, receipt.txIndex(),
                    l == null ? "" : lower(l.path("from").asString("")),
                    l == null || l.path("to").asString("").isEmpty() ? Optional.empty() : Optional.of(lower(l.path("to").asString())),
                    l == null ? BigInteger.ZERO : number(l, "value"), Optional.empty()));
            if (l != null && !l.path("gasPrice").asString("").isEmpty()) {
                gas.put(f.hash, number(l, "gasPrice"));
            }
            blockFacts.merge(f.block, f, (a, b) -> a.blockHash.equals(Hash256.ZERO) ? b : a);
            if (f.internal) {
                traces.addAll(frames(f, receipt.txIndex(), api.internalOf(f.hash)));
            }
            tokenTransfers.addAll(TransferExtractor.tokenTransfers(receipt.logs()));
        }
        List<EthBlock> blocks = new ArrayList<>();
        for (Map.Entry<Long, List<EthRows.Tx>> e : blockTxs.entrySet()) {
            Facts f = blockFacts.get(e.getKey());
            List<EthRows.Tx> inBlock = e.getValue().stream().sorted(Comparator.comparingInt(EthRows.Tx::index)).toList();
            EthRows.Block block = new EthRows.Block(e.getKey(), f.blockHash, Hash256.ZERO, f.time, inBlock);
            // The extractor groups frames and logs by position in the block: give it this block's only.
            List<AccountTransfer> mine = extractor.extract(block, receipts,
                            traces.stream().filter(t -> t.blockNumber() == e.getKey()).toList(),
                            tokenTransfers.stream().filter(t -> t.blockNumber() == e.getKey()).toList())
                    .stream().filter(t -> t.from().text().equalsIgnoreCase(address) || t.to().text().equalsIgnoreCase(address)).toList();
            if (!mine.isEmpty()) {
                blocks.add(new EthBlock(e.getKey(), f.blockHash, Hash256.ZERO, f.time, mine, EthBlock.gasPrices(mine, gas)));
            }
        }
        return new Asked(blocks, txs.size());
    }

    private Facts facts(Map<Hash256, Facts> txs, JsonNode row) {
        String h = row.path("hash").asString(row.path("transactionHash").asString(""));
        Hash256 hash;
        try {
            hash = Hash256.fromHex(h);
        } catch (RuntimeException e) {
            throw new ServiceException(api.describe() + ": a row without a transaction hash: " + row);
        }
        Facts f = txs.computeIfAbsent(hash, Facts::new);
        f.block = row.path("blockNumber").asLong(f.block);
        f.time = row.path("timeStamp").asLong(f.time);
        String bh = row.path("blockHash").asString("");
        if (!bh.isEmpty()) {
            f.blockHash = Hash256.fromHex(bh);
        }
        return f;
    }

    /**
     * A transaction's internal transactions as trace frames, in execution order: by Etherscan's {@code traceId}
     * (the frame's path below the top-level call) or Blockscout's {@code index} when the rows have them, else as listed.
     */
    private static List<EthRows.Trace> frames(Facts f, int txIndex, List<JsonNode> rows) {
        List<JsonNode> ordered = new ArrayList<>(rows);
        if (!rows.isEmpty() && rows.stream().allMatch(r -> r.hasNonNull("traceId"))) {
            ordered.sort(Comparator.comparing(r -> traceAddress(r.path("traceId").asString()), EthRows.EXECUTION_ORDER));
        } else if (!rows.isEmpty() && rows.stream().allMatch(r -> r.hasNonNull("index"))) {
            ordered.sort(Comparator.comparingLong(r -> r.path("index").asLong()));
        }
        List<EthRows.Trace> out = new ArrayList<>();
        int position = 0;
        for (JsonNode r : ordered) {
            position++;
            String type = r.path("type").asString("call").toLowerCase(Locale.ROOT);
            String callType = r.path("callType").asString("").toLowerCase(Locale.ROOT);
            String traceType;
            Optional<String> call = Optional.empty();
            switch (type) {
                case "create", "create2" -> traceType = "create";
                case "suicide", "selfdestruct", "self-destruct" -> traceType = "suicide";
                case "call", "delegatecall", "staticcall", "callcode" -> {
                    traceType = "call";
                    call = Optional.of(type.equals("call") ? (callType.isEmpty() ? "call" : callType) : type);
                }
                default -> traceType = type;
            }
            String to = r.path("to").asString("");
            if (to.isEmpty()) {
                to = r.path("contractAddress").asString("");
            }
            List<Integer> path = r.hasNonNull("traceId") ? traceAddress(r.path("traceId").asString()) : List.of(position);
            boolean ok = r.path("isError").asString("0").equals("0");
            out.add(new EthRows.Trace(f.block, Optional.of(f.hash), txIndex, Optional.of(lower(r.path("from").asString(""))).filter(x -> !x.isEmpty()),
                    Optional.of(lower(to)).filter(x -> !x.isEmpty()), number(r, "value"), traceType, call, path.isEmpty() ? List.of(position) : path,
                    ok ? Optional.empty() : Optional.of(r.path("errCode").asString("error")), ok));
        }
        return out;
    }

    /** Etherscan's traceId: the top-level call, then the frame's path below it ("0_1_2" is frame [1, 2]). */
    static List<Integer> traceAddress(String traceId) {
        String[] parts = traceId.split("_");
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            try {
                out.add(Integer.parseInt(parts[i]));
            } catch (NumberFormatException e) {
                throw new ServiceException("an internal transaction's traceId '" + traceId + "' is not a frame path");
            }
        }
        return out;
    }

    private static BigInteger number(JsonNode row, String field) {
        String v = row.path(field).asString("0");
        if (v.isEmpty()) {
            return BigInteger.ZERO;
        }
        if (!v.matches("\\d{1,80}")) {
            throw new ServiceException("explorer row field " + field + " = '" + v + "' is not a whole number: " + row);
        }
        return new BigInteger(v);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
