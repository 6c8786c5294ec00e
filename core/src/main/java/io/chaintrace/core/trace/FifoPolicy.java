package io.chaintrace.core.trace;

/**
 * FIFO, first in first out (Clayton's case, Devaynes v Noble, 1816; applied to Bitcoin by
 * Anderson et al., "Bitcoin Redux", WEIS 2018): inputs are consumed in input order, outputs filled
 * in output order, the fee last. Deterministic, lossless, and exact backward too.
 */
public final class FifoPolicy extends OrderPolicy {
    @Override
    public String name() {
        return "fifo";
    }

    @Override
    int[] inputOrder(Flow flow) {
        int[] order = new int[flow.inValue().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        return order;
    }
}
