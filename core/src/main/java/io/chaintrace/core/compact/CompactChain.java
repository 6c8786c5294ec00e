package io.chaintrace.core.compact;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A UTXO chain in compressed sparse rows. Transactions are numbered 0..n-1 in chain order (so
 * numeric order is time order); transaction {@code t}'s outputs are {@code outStart[t]} ..
 * {@code outStart[t+1]-1}, its inputs {@code inStart[t]} .. {@code inStart[t+1]-1}. Per output:
 * value, owner id, spending transaction (-1: unspent). Per input: value (0 when unresolved) and the
 * output it spends (-1: coinbase or unresolved; its value is then unknown and counts as 0; a
 * resolved input's value is its source output's). Owners flagged as endpoints end a trace.
 *
 * <p>An edge is an output: it links the transaction that created it to the one that spends it.
 */
public final class CompactChain implements UtxoRows {
    final int txCount;
    final int[] outStart;
    final long[] outValue;
    final int[] outOwner;
    final int[] spender;
    final int[] inStart;
    final int[] inSource;
    final BitSet endpoint;

    private CompactChain(Builder b) {
        txCount = b.tx;
        outStart = Arrays.copyOf(b.outStart, b.tx + 1);
        outValue = Arrays.copyOf(b.outValue, b.outputs);
        outOwner = Arrays.copyOf(b.outOwner, b.outputs);
        spender = Arrays.copyOf(b.spender, b.outputs);
        inStart = Arrays.copyOf(b.inStart, b.tx + 1);
        inSource = Arrays.copyOf(b.inSource, b.inputs);
        endpoint = (BitSet) b.endpoint.clone();
    }

    @Override
    public int transactions() {
        return txCount;
    }

    @Override
    public int outputs() {
        return outStart[txCount];
    }

    /** Inputs are copied to scratch arrays (a transaction has few); outputs are viewed in place. */
    @Override
    public void loadSpenders(int tx, TxRow row) {
        row.outSpender = spender;
        row.outFrom = outStart[tx];
        row.outTo = outStart[tx + 1];
    }

    @Override
    public void load(int tx, TxRow row, boolean creators) {
        row.outValue = outValue;
        row.outOwner = outOwner;
        row.outSpender = spender;
        row.outFrom = outStart[tx];
        row.outTo = outStart[tx + 1];
        row.firstOutput = outStart[tx];
        int i0 = inStart[tx];
        int n = inStart[tx + 1] - i0;
        if (row.inSource == null || row.inSource.length < n) {
            int cap = Math.max(16, Integer.highestOneBit(Math.max(1, n)) << 1);
            row.inSource = new int[cap];
            row.inValue = new long[cap];
            row.inTx = new int[cap];
        }
        for (int k = 0; k < n; k++) {
            int src = inSource[i0 + k];
            row.inSource[k] = src;
            row.inValue[k] = src >= 0 ? outValue[src] : 0;
            if (creators) {
                row.inTx[k] = src >= 0 ? creator(src) : -1;
            }
        }
        row.inFrom = 0;
        row.inTo = n;
    }

    @Override
    public boolean endpoint(int owner) {
        return owner >= 0 && endpoint.get(owner);
    }

    /** Output ids as (transaction, output index) pairs. */
    public OutputRefs refs(int... outputs) {
        int[] tx = new int[outputs.length];
        int[] vout = new int[outputs.length];
        for (int k = 0; k < outputs.length; k++) {
            tx[k] = creator(outputs[k]);
            vout[k] = outputs[k] - outStart[tx[k]];
        }
        return new OutputRefs(tx, vout);
    }

    /** The transaction that created an output: the last one whose first output id is not above it. */
    public int creator(int output) {
        int lo = 0;
        int hi = txCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (outStart[mid] <= output) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Edges: outputs. */
    public int edges() {
        return outStart[txCount];
    }

    /** First output id of a transaction. */
    public int firstOutput(int tx) {
        return outStart[tx];
    }

    /** Bytes of the arrays per edge (object headers aside). */
    public double bytesPerEdge() {
        long bytes = 4L * outStart.length + 8L * outValue.length + 4L * outOwner.length + 4L * spender.length + 4L * inStart.length
                + 4L * inSource.length + endpoint.size() / 8;
        return (double) bytes / Math.max(1, edges());
    }

    /** Builds a chain transaction by transaction, in chain order. */
    public static final class Builder {
        private int tx;
        private int outputs;
        private int inputs;
        private int[] outStart = new int[1024];
        private long[] outValue = new long[1024];
        private int[] outOwner = new int[1024];
        private int[] spender = new int[1024];
        private int[] inStart = new int[1024];
        private int[] inSource = new int[1024];
        private final BitSet endpoint = new BitSet();

        /** Starts the next transaction (in chain order); returns its id. */
        public int transaction() {
            if (tx + 2 > outStart.length) {
                outStart = Arrays.copyOf(outStart, outStart.length * 2);
                inStart = Arrays.copyOf(inStart, inStart.length * 2);
            }
            outStart[tx] = outputs;
            inStart[tx] = inputs;
            outStart[tx + 1] = outputs;
            inStart[tx + 1] = inputs;
            return tx++;
        }

        /** An input of the current transaction spending output {@code source} (-1: coinbase or unknown). */
        public void input(int source) {
            if (inputs == inSource.length) {
                inSource = Arrays.copyOf(inSource, inputs * 2);
            }
            inSource[inputs] = source;
            if (source >= 0) {
                spender[source] = tx - 1;
            }
            inputs++;
            inStart[tx] = inputs;
        }

        /** An output of the current transaction; returns its id. */
        public int output(long value, int owner) {
            if (outputs == outValue.length) {
                outValue = Arrays.copyOf(outValue, outputs * 2);
                outOwner = Arrays.copyOf(outOwner, outputs * 2);
                spender = Arrays.copyOf(spender, outputs * 2);
            }
            outValue[outputs] = value;
            outOwner[outputs] = owner;
            spender[outputs] = -1;
            outStart[tx] = ++outputs;
            return outputs - 1;
        }

        /** Marks an owner as a service the trace stops at. */
        public void endpoint(int owner) {
            endpoint.set(owner);
        }

        public CompactChain build() {
            return new CompactChain(this);
        }
    }
}
