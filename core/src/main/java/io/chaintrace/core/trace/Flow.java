package io.chaintrace.core.trace;

/**
 * One transaction as a policy sees it: input values in input order, each input's age (the chain
 * position of the output it spends, for LIFO; larger is newer), output values in output order,
 * and the fee (what inputs pay beyond outputs). Values are exact base units.
 */
public record Flow(long[] inValue, long[] inAge, long[] outValue, long fee) {
    public long totalIn() {
        long s = 0;
        for (long v : inValue) {
            s = Math.addExact(s, v);
        }
        return s;
    }

    public long totalOut() {
        long s = 0;
        for (long v : outValue) {
            s = Math.addExact(s, v);
        }
        return s;
    }
}
