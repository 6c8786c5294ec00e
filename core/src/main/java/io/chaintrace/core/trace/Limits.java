package io.chaintrace.core.trace;

/**
 * Where a trace stops, each a setting (docs/POLICIES.md). A trace cut by a limit says so in its
 * account and marks the outputs where it was cut.
 *
 * @param maxHops          transactions to follow from the seeds
 * @param minAmount        taint below this on an output is dropped as dust (0: keep all)
 * @param fromTime         backward traces do not follow transactions before this (block time, s)
 * @param untilTime        forward traces do not follow transactions after this (block time, s)
 * @param maxTransactions  node budget: transactions followed at most
 * @param maxEdges         edge budget: inputs and outputs examined at most
 */
public record Limits(int maxHops, long minAmount, long fromTime, long untilTime, long maxTransactions, long maxEdges) {
    public static final Limits DEFAULT = new Limits(6, 0, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

    public Limits {
        if (maxHops < 0 || minAmount < 0 || maxTransactions < 0 || maxEdges < 0) {
            throw new IllegalArgumentException("limits are not negative");
        }
    }

    public Limits withHops(int hops) {
        return new Limits(hops, minAmount, fromTime, untilTime, maxTransactions, maxEdges);
    }
}
