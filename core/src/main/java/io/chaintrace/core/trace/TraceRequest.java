package io.chaintrace.core.trace;

import java.util.List;

/** A forward trace: from these seeds, under this policy, at most {@code maxHops} transactions deep. */
public record TraceRequest(List<Seed> seeds, TaintPolicy policy, int maxHops) {
    public TraceRequest {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a trace needs at least one seed");
        }
        if (maxHops < 0) {
            throw new IllegalArgumentException("hops must be >= 0, got " + maxHops);
        }
    }
}
