package io.chaintrace.cli.app;

import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.TaintPolicy;
import java.util.List;
import java.util.Set;

/**
 * What an investigator asked to trace, whatever the chain and engine: seeds as typed (Bitcoin or
 * Ethereum forms), the policy, direction, limits, endpoint categories, and whether to flag patterns
 * with which detector settings.
 */
public record TraceSpec(List<String> seeds, TaintPolicy policy, Direction direction, Limits limits, Set<LabelCategory> stopAt,
                        boolean throughEndpoints, Engine engine, boolean patterns, PatternSettings patternSettings, boolean followSwaps) {
    public TraceSpec {
        seeds = List.copyOf(seeds);
        stopAt = Set.copyOf(stopAt);
    }

    /** Whether only the hop limit is set (what the compact engine supports). */
    boolean hopsOnly() {
        Limits d = Limits.DEFAULT.withHops(limits.maxHops());
        return limits.minAmount() == d.minAmount() && limits.fromTime() == d.fromTime() && limits.untilTime() == d.untilTime()
                && limits.maxTransactions() == d.maxTransactions() && limits.maxEdges() == d.maxEdges();
    }
}
