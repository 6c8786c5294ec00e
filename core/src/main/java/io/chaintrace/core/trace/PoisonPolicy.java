package io.chaintrace.core.trace;

/**
 * Poison: any tainted input taints every output in full. An upper bound on where stolen value
 * may be; it does not conserve value and spreads fast (Möser, Böhme, Breuker, "Towards Risk
 * Scoring of Bitcoin Transactions", FC 2014).
 */
public final class PoisonPolicy implements TaintPolicy {
    @Override
    public String name() {
        return "poison";
    }

    @Override
    public boolean conserving() {
        return false;
    }

    @Override
    public Distribution distribute(long[] inputValue, long[] inputTaint, long[] outputValue, long fee) {
        boolean tainted = false;
        for (long t : inputTaint) {
            tainted |= t > 0;
        }
        return tainted ? new Distribution(outputValue.clone(), fee) : new Distribution(new long[outputValue.length], 0);
    }
}
