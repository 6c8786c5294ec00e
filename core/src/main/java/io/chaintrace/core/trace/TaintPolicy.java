package io.chaintrace.core.trace;

/**
 * How the taint on a transaction's inputs passes to its outputs (DOMAIN.md section 4). One class
 * per policy. Amounts are satoshi; every input and output value is exact.
 */
public interface TaintPolicy {
    /** Lower-case name used on the command line and in reports. */
    String name();

    /**
     * Splits input taint over the outputs and the fee.
     *
     * @param inputValue  value of each input, in input order
     * @param inputTaint  tainted part of each input ({@code 0 <= taint <= value})
     * @param outputValue value of each output, in output order
     * @param fee         what the inputs pay beyond the outputs ({@code >= 0})
     */
    Distribution distribute(long[] inputValue, long[] inputTaint, long[] outputValue, long fee);

    /** Whether tainted value is conserved (seeded = endpoints + unspent + fees + cut); poison is not. */
    boolean conserving();

    /** Taint per output, in output order, and the tainted part of the fee. */
    record Distribution(long[] outputTaint, long feeTaint) {
    }

    /** The policy named {@code name}. */
    static TaintPolicy named(String name) {
        return switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "poison" -> new PoisonPolicy();
            case "haircut" -> new HaircutPolicy();
            default -> throw new IllegalArgumentException("unknown taint policy '" + name + "' (known: poison, haircut)");
        };
    }
}
