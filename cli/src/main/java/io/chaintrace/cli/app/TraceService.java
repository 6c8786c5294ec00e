package io.chaintrace.cli.app;

import io.chaintrace.core.account.AccountBackwardTracer;
import io.chaintrace.core.account.AccountTrace;
import io.chaintrace.core.account.AccountTracer;
import io.chaintrace.core.compact.CompactTracer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.TracePatterns;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs a trace: the one place that chooses the engine from the seeds' chain and the spec (Ethereum
 * seeds: the account tracers, forward or backward; Bitcoin: the object tracer, or the compact engine
 * when asked), and runs it on an open store.
 */
public final class TraceService {
    /** Compact engine page cache for one trace. */
    private static final long COMPACT_CACHE = 256L << 20;

    private TraceService() {
    }

    public static TraceOutcome trace(ChainStore cs, TraceSpec spec) {
        List<String> seeds = spec.seeds();
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("no seed: give --seed or --seeds-file");
        }
        if (seeds.stream().allMatch(TraceService::isEthereum)) {
            return accounts(cs, spec);
        }
        if (seeds.stream().anyMatch(TraceService::isEthereum)) {
            throw new IllegalArgumentException("seeds mix Bitcoin and Ethereum: trace each chain on its own");
        }
        List<Seed> parsed = seeds.stream().map(Seed::parse).toList();
        return switch (spec.engine()) {
            case OBJECT -> {
                TraceResult result = new UtxoTracer(cs).trace(new TraceRequest(parsed, spec.policy(), spec.direction(), spec.limits(),
                        spec.stopAt(), spec.throughEndpoints()));
                List<Alert> alerts = spec.patterns() ? TracePatterns.of(result, cs, spec.patternSettings()) : List.of();
                yield new TraceOutcome.Utxo(result, alerts);
            }
            case COMPACT -> {
                if (spec.direction() != Direction.FORWARD || !spec.hopsOnly() || spec.throughEndpoints() || spec.patterns()) {
                    throw compactOnly();
                }
                CompactTracer.Result r = new CompactTracer(cs.compactRows(spec.stopAt(), COMPACT_CACHE))
                        .forward(CompactSeeds.rows(cs, parsed), spec.policy(), spec.limits().maxHops());
                Map<String, Long> byEntity = new TreeMap<>();
                r.endpointTaint().forEach((owner, amount) -> byEntity.merge(CompactSeeds.entity(cs, owner, spec.stopAt()), amount, Long::sum));
                yield new TraceOutcome.Compact(parsed.stream().map(Object::toString).toList(), r, byEntity);
            }
        };
    }

    /** What the compact engine refuses, in one line. */
    public static IllegalArgumentException compactOnly() {
        return new IllegalArgumentException("--engine compact traces forward with --hops and --stop-at only, and prints json or text;"
                + " use --engine object for the rest");
    }

    /** Ethereum: ADDRESS or ADDRESS@TXHASH (only that transaction's inflows), on account pools forward or backward. */
    private static TraceOutcome accounts(ChainStore cs, TraceSpec spec) {
        List<AccountTrace.Seed> seedList = new ArrayList<>();
        for (String s : spec.seeds()) {
            String t = s.strip();
            if (t.regionMatches(true, 0, Seed.OUTFLOWS, 0, Seed.OUTFLOWS.length())) {
                Seed.OutflowSeed o = (Seed.OutflowSeed) Seed.parse(t);
                seedList.add(AccountTrace.Seed.outflowsOf(o.address(), o.fromTime()));
                continue;
            }
            int at = t.indexOf('@');
            seedList.add(new AccountTrace.Seed(Address.parse(at < 0 ? t : t.substring(0, at)),
                    at < 0 ? Optional.empty() : Optional.of(Hash256.fromHex(t.substring(at + 1)))));
        }
        AccountTrace.Request request = new AccountTrace.Request(seedList, spec.policy(), spec.limits(), spec.stopAt(), spec.throughEndpoints(),
                spec.followSwaps());
        boolean backward = spec.direction() == Direction.BACKWARD;
        AccountTrace.Result result = backward ? new AccountBackwardTracer(cs).trace(request) : new AccountTracer(cs).trace(request);
        return new TraceOutcome.Account(seedList, result, backward, spec.patterns() ? accountPatterns(cs, result, spec) : List.of());
    }

    /**
     * Blocks around a trace that the account detectors read (a week at 12 s a block): a mixer withdrawal is linked to a
     * deposit up to a week apart, so the transfers around the trace are read, not only its own.
     */
    private static final long PATTERN_MARGIN_BLOCKS = 50_400;

    /**
     * The patterns on an Ethereum trace: every account detector over the transfers of the blocks the trace spans (and a
     * week around), keeping the alerts that share a transaction with the trace or name an address it reached; reviewed
     * (merged, ranked, with reasons), the uses of services listed: the trace's taint reaches them.
     */
    private static List<Alert> accountPatterns(ChainStore cs, AccountTrace.Result result, TraceSpec spec) {
        java.util.Set<Hash256> txs = new java.util.HashSet<>();
        java.util.Set<String> reached = new java.util.HashSet<>();
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (AccountTrace.AssetResult a : result.assets()) {
            for (AccountTrace.TaintedTransfer f : a.flows()) {
                txs.add(f.transfer().txHash());
                lo = Math.min(lo, f.transfer().block().height());
                hi = Math.max(hi, f.transfer().block().height());
            }
            a.addresses().forEach(r -> reached.add(r.address().text()));
        }
        if (txs.isEmpty()) {
            return List.of();
        }
        List<io.chaintrace.core.pattern.PatternDetector> detectors = spec.patternSettings().detectors();
        List<Alert> found = new ArrayList<>();
        cs.forEachEthTransfer(Math.max(0, lo - PATTERN_MARGIN_BLOCKS), hi + PATTERN_MARGIN_BLOCKS,
                t -> detectors.forEach(d -> d.accept(t, cs, found::add)));
        detectors.forEach(d -> d.finish(found::add));
        List<Alert> onTrace = found.stream().filter(a -> a.transactions().stream().anyMatch(txs::contains)
                || a.addresses().stream().anyMatch(x -> reached.contains(x.text()))).toList();
        return io.chaintrace.core.pattern.AlertReview.of(onTrace, false, true).alerts().stream()
                .map(io.chaintrace.core.pattern.AlertReview.Reviewed::alert).toList();
    }

    /** An Ethereum seed: {@code 0x} + 40 hex digits, optionally {@code @TXHASH}; or {@code outflows:} such an address. */
    public static boolean isEthereum(String seed) {
        String s = seed.strip();
        if (s.regionMatches(true, 0, Seed.OUTFLOWS, 0, Seed.OUTFLOWS.length())) {
            String rest = s.substring(Seed.OUTFLOWS.length());
            return rest.startsWith("0x") && (rest.length() == 42 || (rest.length() > 43 && rest.charAt(42) == '@'));
        }
        return s.startsWith("0x") && (s.length() == 42 || (s.length() > 43 && s.charAt(42) == '@'));
    }
}
