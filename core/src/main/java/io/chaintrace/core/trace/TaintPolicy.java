package io.chaintrace.core.trace;

import java.util.List;
import java.util.Locale;

/**
 * How taint passes through a transaction ({@code docs/POLICIES.md}), one class per policy. Sealed: every
 * engine chooses its per-policy code with an exhaustive {@code switch}, so a new policy does not compile
 * until each engine handles it. Forward:
 * from inputs to outputs and the fee. Backward: from outputs to the inputs that paid for them.
 */
public sealed interface TaintPolicy permits PoisonPolicy, HaircutPolicy, OrderPolicy, TihoPolicy {
    /** Lower-case name used on the command line and in reports. */
    String name();

    /** Whether tainted value is conserved (every satoshi of taint ends in exactly one place); poison is not. */
    boolean conserving();

    /**
     * Forward: the taint of each input (in input order) onto the outputs and the fee.
     *
     * @return taint per output, and the fee's
     */
    Split forward(Flow flow, Taint[] inputTaint);

    /** Backward: the taint of each output onto the inputs; the fee is never a source of taint. */
    Taint[] backward(Flow flow, Taint[] outputTaint);

    /** Whether the policy orders inputs by age (then the tracer looks up when each spent output was created). */
    default boolean usesInputAge() {
        return false;
    }

    /** Taint per output (or input), and the fee's share. */
    record Split(Taint[] taint, Taint fee) {
    }

    /** Every policy, in the order reports list them. */
    List<TaintPolicy> ALL = List.of(new PoisonPolicy(), new HaircutPolicy(), new FifoPolicy(), new LifoPolicy(), new TihoPolicy());

    /** The policy named {@code name}. */
    static TaintPolicy named(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(p -> p.name().equals(n)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown taint policy '" + name + "' (known: poison, haircut, fifo, lifo, tiho)"));
    }

    /** Sum of taint amounts. */
    static long total(Taint[] taint) {
        long s = 0;
        for (Taint t : taint) {
            s = Math.addExact(s, t.amount());
        }
        return s;
    }
}
