package io.chaintrace.cli.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.trace.TraceGraph;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.graph.StoreStats;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON documents the CLI writes, as records in the order their fields are written (schemas in
 * the README). Amounts in satoshi are numbers; wei and token units are strings (exact beyond 2^53).
 */
public final class Documents {
    private Documents() {
    }

    /** {@code trace --json}, object engine. */
    public record UtxoTrace(List<String> seeds, String policy, String direction, int maxHops, long minAmount, List<String> stopAt,
                            UtxoAccount account, Map<String, Long> endpointsByEntity, Map<String, Long> endpointsByCategory,
                            List<EndpointHit> endpoints, List<Output> outputs, List<Transaction> transactions, List<Cut> cuts,
                            Map<String, Long> maxFlowToEndpoints, List<List<String>> roundTrips,
                            @JsonInclude(JsonInclude.Include.NON_NULL) List<AlertLine> patterns) {
        public static UtxoTrace of(TraceResult r, List<AlertLine> patterns) {
            TraceRequest q = r.request();
            TraceResult.Account a = r.account();
            Map<String, Long> byCategory = new LinkedHashMap<>();
            r.byCategory().forEach((c, v) -> byCategory.put(c.id(), v));
            return new UtxoTrace(q.seeds().stream().map(Object::toString).toList(), q.policy().name(), lower(q.direction()),
                    q.limits().maxHops(), q.limits().minAmount(), q.stopAt().stream().map(LabelCategory::id).toList(),
                    new UtxoAccount(a.seeded(), a.endpoints(), a.unspent(), a.fees(), a.minted(), a.unresolved(), a.dust(), a.cutByHops(),
                            a.cutByTime(), a.cutByBudget(), a.cutNotFetched(), a.absorbedBySeeds(), q.policy().conserving(), a.balanced()),
                    r.byEntity(), byCategory,
                    r.endpoints().stream().map(h -> new EndpointHit(h.entity(), h.category().id(), h.source(), h.address().shown(),
                            h.txid().hex(), h.outpoint().vout(), h.height(), h.time(), h.hop(), h.amount())).toList(),
                    r.outputs().stream().map(o -> new Output(o.outpoint().txid().hex(), o.outpoint().vout(), o.height(), o.time(), o.hop(),
                            o.value(), o.taint().amount(), lower(o.kind()), o.owner().map(Address::shown).orElse(null), lower(o.state()),
                            o.next().map(Hash256::hex).orElse(null))).toList(),
                    r.transactions().stream().map(t -> new Transaction(t.txid().hex(), t.height(), t.time(), t.hop(), t.inputValue(),
                            t.taintIn(), t.outputValue(), t.taintOut(), t.feeTaint(), t.resolved())).toList(),
                    r.cuts().stream().map(c -> new Cut(lower(c.reason()), c.outpoint().toString(), c.next().map(Hash256::hex).orElse(null),
                            c.amount())).toList(),
                    TraceGraph.maxFlowToEndpoints(r),
                    TraceGraph.roundTrips(r).stream().map(c -> c.stream().map(TraceGraph.Node::label).sorted().toList()).toList(),
                    patterns);
        }
    }

    /** {@code cutNotFetched}: taint that left a fetched neighbourhood (its next step was never fetched; not unspent). */
    public record UtxoAccount(long seeded, long endpoints, long unspent, long fees, long minted, long unresolved, long dust, long cutByHops,
                              long cutByTime, long cutByBudget, long cutNotFetched, long absorbedBySeeds, boolean conserving, boolean balanced) {
    }

    public record EndpointHit(String entity, String category, String source, String address, String txid, int vout, int height, long time,
                              int hop, long amount) {
    }

    public record Output(String txid, int vout, int height, long time, int hop, long value, long taint, String kind, String address,
                         String state, String next) {
    }

    public record Transaction(String txid, int height, long time, int hop, long inputValue, long taintIn, long outputValue, long taintOut,
                              long feeTaint, boolean resolved) {
    }

    public record Cut(String reason, String outpoint, String next, long amount) {
    }

    /** {@code trace --engine compact --json}. */
    public record CompactTrace(List<String> seeds, String policy, String direction, int maxHops, String engine, CompactAccount account,
                               Map<String, Long> endpointsByEntity, long edgesVisited) {
        public static CompactTrace of(List<String> seeds, String policy, int hops, CompactTracer.Result r, Map<String, Long> byEntity) {
            return new CompactTrace(seeds, policy, "forward", hops, "compact", new CompactAccount(r.seeded(), r.endpoints(), r.unspent(),
                    r.fees(), r.cutByHops(), r.absorbedBySeeds(), r.balanced()), byEntity, r.edgesVisited());
        }
    }

    public record CompactAccount(long seeded, long endpoints, long unspent, long fees, long cutByHops, long absorbedBySeeds, boolean balanced) {
    }

    /** One result line of {@code batch} (the compact engine's figures for one seed). */
    public record BatchResult(String id, String seed, String policy, int hops, long seeded, long endpoints, long unspent, long fees,
                              long cutByHops, long absorbedBySeeds, Map<String, Long> endpointsByEntity, long edgesVisited) {
        public static BatchResult of(String id, String seed, String policy, int hops, CompactTracer.Result r, Map<String, Long> byEntity) {
            return new BatchResult(id, seed, policy, hops, r.seeded(), r.endpoints(), r.unspent(), r.fees(), r.cutByHops(),
                    r.absorbedBySeeds(), byEntity, r.edgesVisited());
        }
    }

    /** The line of {@code batch} for a seed that could not be traced. */
    public record BatchError(String id, String seed, long line, String error) {
    }

    /** {@code trace --json} on Ethereum: one entry per asset. */
    public record AccountTraceDoc(List<String> seeds, String policy, String direction, int maxHops, List<AssetTrace> assets,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) List<AlertLine> patterns) {
        public static AccountTraceDoc of(List<String> seeds, String policy, boolean backward, int hops, AccountTrace.Result result) {
            return of(seeds, policy, backward, hops, result, null);
        }

        public static AccountTraceDoc of(List<String> seeds, String policy, boolean backward, int hops, AccountTrace.Result result,
                                         List<AlertLine> patterns) {
            return new AccountTraceDoc(seeds, policy, backward ? "backward" : "forward", hops,
                    result.assets().stream().map(a -> AssetTrace.of(a, backward, !policy.equalsIgnoreCase("poison"))).toList(), patterns);
        }
    }

    public record AssetTrace(String asset, String contract, Integer decimals, AssetAccount account, Map<String, String> endpointsByEntity,
                             List<AccountHit> endpoints, List<AccountReached> addresses, List<AccountFlow> transfers) {
        static AssetTrace of(AccountTrace.AssetResult a, boolean backward, boolean conserving) {
            AccountTrace.Account acc = a.account();
            String left = acc.held().toString();
            AssetAccount account = new AssetAccount(acc.seeded().toString(), acc.endpoints().toString(), backward ? null : left,
                    backward ? left : null, acc.dust().toString(), acc.cutByHops().toString(), acc.cutByTime().toString(),
                    acc.cutByBudget().toString(), acc.cutNotFetched().toString(), acc.absorbedBySeeds().toString(),
                    backward ? null : acc.paidBeyondSeen().toString(), acc.swappedIn().signum() == 0 ? null : acc.swappedIn().toString(),
                    acc.swappedOut().signum() == 0 ? null : acc.swappedOut().toString(), conserving, acc.balanced());
            Map<String, String> byEntity = new LinkedHashMap<>();
            a.byEntity().forEach((k, v) -> byEntity.put(k, v.toString()));
            return new AssetTrace(a.asset().symbol(), a.asset().contract().map(Address::text).orElse(null),
                    a.asset().decimals().isPresent() ? a.asset().decimals().getAsInt() : null, account, byEntity,
                    a.endpoints().stream().map(h -> new AccountHit(h.entity(), h.category().id(), h.address().text(), "0x" + h.tx().hex(),
                            h.block(), h.hop(), h.amount().toString())).toList(),
                    a.addresses().stream().map(r -> new AccountReached(r.address().text(), r.hop(), r.received().toString(),
                            r.held().toString())).toList(),
                    a.flows().stream().map(f -> new AccountFlow("0x" + f.transfer().txHash().hex(), f.transfer().block().height(),
                            f.transfer().from().text(), f.transfer().to().text(), f.transfer().amount().units().toString(),
                            f.taint().toString(), f.hop())).toList());
        }
    }

    /**
     * One asset's account, in exact base units. What is left is {@code held} forward (still at the addresses reached) and
     * {@code unknownOrigin} backward (where the trace could not say where it came from); the other is left out.
     */
    public record AssetAccount(String seeded, String endpoints, @JsonInclude(JsonInclude.Include.NON_NULL) String held,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String unknownOrigin, String dust, String cutByHops,
                               String cutByTime, String cutByBudget, String cutNotFetched, String absorbedBySeeds,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String paidBeyondSeen,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String swappedIn,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String swappedOut, boolean conserving, boolean balanced) {
    }

    public record AccountHit(String entity, String category, String address, String tx, long block, int hop, String amount) {
    }

    public record AccountReached(String address, int hop, String received, String held) {
    }

    public record AccountFlow(String tx, long block, String from, String to, String amount, String taint, int hop) {
    }

    /** {@code stats --json}. */
    /**
     * {@code fetchedTxs}: of {@code txs}, those fetches brought in without their blocks, by source in {@code fetchedFrom}
     * (the rest come in whole blocks).
     */
    /**
     * {@code stats}: Bitcoin totals, transactions fetched without their blocks (per source); Ethereum blocks (of which
     * fetched in part: only the transfers of the addresses a fetch asked about), transfers, addresses asked (per source).
     */
    /**
     * What a store holds, per chain. Bitcoin: blocks, transactions, inputs, outputs, value, addresses (standard ones),
     * owners (addresses and bare keys), unresolved inputs, fetched transactions. Ethereum: blocks, transactions that
     * moved value, transfers, accounts, what fetches asked.
     */
    public record Stats(long blocks, long txs, long inputs, long outputs, long outputValue, long addresses, long owners, long unresolvedInputs,
                        long fetchedTxs, Map<String, Long> fetchedFrom, long ethBlocks, long ethBlocksFetchedInPart, long ethTransfers,
                        long ethAddressesFetched, Map<String, Long> ethFetchedFrom, long btcAddresses, long ethTransactions, long ethAddresses) {
        public static Stats of(StoreStats s, Map<String, Long> fetchedFrom, io.chaintrace.graph.EthStats eth, Map<String, Long> ethFetchedFrom,
                               long ethTransactions) {
            return new Stats(s.blocks(), s.txs(), s.inputs(), s.outputs(), s.outputValue(), s.addresses(), s.owners(), s.unresolvedInputs(),
                    s.fetchedTxs(), fetchedFrom, eth.blocks(), eth.fetchedBlocks(), eth.transfers(), eth.fetchedAddresses(), ethFetchedFrom,
                    s.addresses() - eth.accounts(), ethTransactions, eth.accounts());
        }

        /** Name and value of each figure, in order, for the text form: a chain's figures when the store holds that chain. */
        public Map<String, Long> rows() {
            Map<String, Long> m = new LinkedHashMap<>();
            boolean bitcoin = blocks > 0 || fetchedTxs > 0 || ethBlocks == 0;
            if (bitcoin) {
                m.put("blocks", blocks);
                m.put("txs", txs);
                m.put("inputs", inputs);
                m.put("outputs", outputs);
                m.put("outputValue", outputValue);
                m.put("addresses", btcAddresses);
                m.put("owners", owners - ethAddresses);
                m.put("unresolvedInputs", unresolvedInputs);
                m.put("fetchedTxs", fetchedTxs);
                fetchedFrom.forEach((source, n) -> m.put("  from " + source, n));
            }
            if (ethBlocks > 0) {
                m.put("ethBlocks", ethBlocks);
                m.put("  fetched in part", ethBlocksFetchedInPart);
                m.put("ethTxs", ethTransactions);
                m.put("ethTransfers", ethTransfers);
                m.put("ethAddresses", ethAddresses);
                m.put("ethAddrsAsked", ethAddressesFetched);
                ethFetchedFrom.forEach((source, n) -> m.put("  asked of " + source, n));
            }
            return m;
        }
    }

    /** A flagged pattern with its evidence, as {@code patterns --json} and {@code trace --patterns --json} write it. */
    public record AlertLine(String pattern, List<String> transactions, List<String> addresses, List<BigInteger> amounts, List<Long> times,
                            double confidence, Map<String, String> parameters, @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Integer merged) {
        public static AlertLine of(Alert a) {
            return new AlertLine(a.pattern(), a.transactions().stream().map(Hash256::hex).toList(),
                    a.addresses().stream().map(Address::text).toList(), a.amounts(), a.times(), a.confidence(), new TreeMap<>(a.parameters()),
                    null, null);
        }

        /** A reviewed alert: with why it was raised and how many findings it merges. */
        public static AlertLine of(io.chaintrace.core.pattern.AlertReview.Reviewed r) {
            AlertLine a = of(r.alert());
            return new AlertLine(a.pattern(), a.transactions(), a.addresses(), a.amounts(), a.times(), a.confidence(), a.parameters(),
                    r.reason(), r.merged());
        }
    }

    /**
     * The last line of {@code patterns --json}: what was scanned; alerts per pattern after review (merged, parts left
     * out, service events only counted); raw findings, and events, per pattern.
     */
    public record PatternSummary(long transactions, Map<String, Integer> alerts, int totalAlerts, Map<String, Integer> raw,
                                 Map<String, Integer> events, Map<String, Integer> partsLeftOut) {
        public static PatternSummary of(long transactions, io.chaintrace.core.pattern.AlertReview.Result r) {
            Map<String, Integer> alerts = new TreeMap<>();
            Map<String, Integer> raw = new TreeMap<>();
            Map<String, Integer> events = new TreeMap<>();
            Map<String, Integer> parts = new TreeMap<>();
            for (io.chaintrace.core.pattern.AlertReview.PatternCount c : r.summary()) {
                if (c.alerts() > 0) {
                    alerts.put(c.pattern(), c.alerts());
                }
                raw.put(c.pattern(), c.raw());
                if (c.events() > 0) {
                    events.put(c.pattern(), c.events());
                }
                if (c.partsLeftOut() > 0) {
                    parts.put(c.pattern(), c.partsLeftOut());
                }
            }
            return new PatternSummary(transactions, alerts, r.alerts().size(), raw, events, parts);
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
