package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The patterns on a trace: every detector over the transactions that moved taint (in chain
 * order), and what the endpoints say: tainted value reaching an exchange or deposit address
 * (cash-out), a bridge (chain hop) or a mixer (mixer deposit).
 */
public final class TracePatterns {
    private TracePatterns() {
    }

    public static List<Alert> of(TraceResult r, UtxoLedger ledger) {
        return of(r, ledger, PatternSettings.defaults());
    }

    /** As {@link #of(TraceResult, UtxoLedger)}, with these detector settings. */
    public static List<Alert> of(TraceResult r, UtxoLedger ledger, PatternSettings settings) {
        List<UtxoTransaction> txs = new ArrayList<>();
        for (TraceResult.TaintedTransaction t : r.transactions()) {
            ledger.transaction(t.txid()).ifPresent(txs::add);
        }
        txs.sort(Comparator.<UtxoTransaction>comparingInt(t -> t.block().height()).thenComparingInt(UtxoTransaction::position));
        List<Alert> alerts = new ArrayList<>();
        List<PatternDetector> detectors = settings.detectors();
        RecentLedger recent = new RecentLedger(ledger, 100_000);
        for (UtxoTransaction tx : txs) {
            recent.remember(tx);
            detectors.forEach(d -> d.accept(tx, recent, alerts::add));
        }
        detectors.forEach(d -> d.finish(alerts::add));
        // A detector reports a peel chain from its first step; a trace seeded on a later step walks the chain without
        // its start. Every chain the trace walks a step of is reported, whole, once.
        Set<List<Hash256>> reported = new HashSet<>();
        alerts.forEach(a -> reported.add(a.transactions()));
        for (PatternDetector d : detectors) {
            if (d instanceof PeelChainDetector peel) {
                for (UtxoTransaction tx : txs) {
                    peel.chainThrough(tx, recent).filter(a -> reported.add(a.transactions())).ifPresent(alerts::add);
                }
            }
        }
        for (TraceResult.EndpointHit h : r.endpoints()) {
            endpointPattern(h.category()).ifPresent(p -> alerts.add(Alert.of(p, List.of(h.txid()), List.of(h.address()), List.of(h.amount()),
                    List.of(h.time()), 0.9, Map.of("entity", h.entity(), "category", h.category().id(), "hop", Integer.toString(h.hop()),
                    "source", h.source()))));
        }
        return alerts;
    }

    /** What reaching a labelled service of this category means. */
    static Optional<String> endpointPattern(LabelCategory c) {
        return switch (c) {
            case EXCHANGE, DEPOSIT -> Optional.of("cash_out");
            case BRIDGE -> Optional.of("bridge");
            case MIXER -> Optional.of("mixer_deposit");
            default -> Optional.empty();
        };
    }
}
