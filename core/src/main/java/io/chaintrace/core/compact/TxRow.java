package io.chaintrace.core.compact;

/**
 * One transaction as the tracer sees it, filled by {@link UtxoRows#load}: views into primitive
 * arrays, not a copy per call (one cursor is reused for a whole trace).
 *
 * <p>Outputs {@code outFrom .. outTo-1} of {@code outValue}, {@code outOwner} (-1: none) and
 * {@code outSpender} (spending transaction, -1: unspent); their output ids start at
 * {@code firstOutput}. Inputs {@code inFrom .. inTo-1} of {@code inSource} (output id spent, -1:
 * coinbase or unresolved, value then 0), {@code inValue} and, when asked for, {@code inTx} (the
 * funding transaction, -1 when none).
 */
public final class TxRow {
    long[] outValue;
    int[] outOwner;
    int[] outSpender;
    int outFrom;
    int outTo;
    int firstOutput;
    int[] inSource;
    long[] inValue;
    int[] inTx;
    int inFrom;
    int inTo;

    /** Output id of position {@code k} in the output arrays. */
    int outputId(int k) {
        return firstOutput + (k - outFrom);
    }
}
