package io.chaintrace.core.trace;

import java.util.Arrays;

/**
 * Poison: any tainted input taints every output and the fee in full; backward, any tainted output
 * taints every input in full. An upper bound on where stolen value may be; it does not conserve
 * value and spreads fast (Möser, Böhme, Breuker, "Towards Risk Scoring of Bitcoin Transactions",
 * FC 2014).
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
    public Split forward(Flow flow, Taint[] inputTaint) {
        if (TaintPolicy.total(inputTaint) == 0) {
            Taint[] none = new Taint[flow.outValue().length];
            Arrays.fill(none, Taint.CLEAN);
            return new Split(none, Taint.CLEAN);
        }
        return new Split(whole(flow.outValue()), Taint.whole(flow.fee()));
    }

    @Override
    public Taint[] backward(Flow flow, Taint[] outputTaint) {
        if (TaintPolicy.total(outputTaint) == 0) {
            Taint[] none = new Taint[flow.inValue().length];
            Arrays.fill(none, Taint.CLEAN);
            return none;
        }
        return whole(flow.inValue());
    }

    private static Taint[] whole(long[] values) {
        Taint[] t = new Taint[values.length];
        for (int i = 0; i < values.length; i++) {
            t[i] = Taint.whole(values[i]);
        }
        return t;
    }
}
