package io.chaintrace.core.trace;

import java.util.Arrays;
import java.util.Comparator;

/**
 * LIFO, last in first out: as FIFO, but the newest input (the one spending the most recently
 * created output; ties: the later input) is consumed first.
 */
public final class LifoPolicy extends OrderPolicy {
    @Override
    public String name() {
        return "lifo";
    }

    @Override
    public boolean usesInputAge() {
        return true;
    }

    @Override
    int[] inputOrder(Flow flow) {
        Integer[] order = new Integer[flow.inValue().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(i -> flow.inAge()[i]).reversed()
                .thenComparing(Comparator.<Integer>reverseOrder()));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}
