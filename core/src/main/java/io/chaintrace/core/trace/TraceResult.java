package io.chaintrace.core.trace;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import java.util.List;
import java.util.Optional;

/**
 * Where tainted value went. Amounts are satoshi.
 *
 * <p>For a conserving policy (haircut) the account balances exactly:
 * {@code seeded = unspent + fees + cutByHops + absorbedBySeeds}. Poison marks whole outputs and does not conserve.
 *
 * @param seeded     value of the seed outputs
 * @param outputs    every output that carries taint, seeds (hop 0) included, in chain order
 * @param transactions every transaction that moved taint, in chain order
 * @param unspent    taint sitting on outputs nobody has spent (in the store)
 * @param fees       taint paid to miners
 * @param cutByHops  taint on outputs whose spender lies beyond the hop limit
 * @param absorbedBySeeds taint that flowed into an output which is itself a seed (and so is
 *                   already counted in full in {@code seeded})
 */
public record TraceResult(TraceRequest request, long seeded, List<TaintedOutput> outputs,
                          List<TaintedTransaction> transactions, long unspent, long fees, long cutByHops,
                          long absorbedBySeeds) {
    public TraceResult {
        outputs = List.copyOf(outputs);
        transactions = List.copyOf(transactions);
    }

    /** Whether seeded taint equals what the account shows (always true for conserving policies). */
    public boolean balanced() {
        return seeded == unspent + fees + cutByHops + absorbedBySeeds;
    }

    /** The tainted output at this outpoint, if the trace reached it. */
    public Optional<TaintedOutput> output(Outpoint outpoint) {
        return outputs.stream().filter(o -> o.outpoint().equals(outpoint)).findFirst();
    }

    /**
     * An output the trace reached.
     *
     * @param hop     0 for seeds, else how many transactions from the nearest seed
     * @param spentBy the transaction that spent it, if stored
     * @param state   what happened to its taint next
     */
    public record TaintedOutput(Outpoint outpoint, int height, int hop, long value, long taint, ScriptKind kind,
                                Optional<Address> owner, Optional<Hash256> spentBy, OutputState state) {
    }

    /** What became of the taint on a reached output. */
    public enum OutputState {
        /** Spent by a transaction the trace followed. */
        FOLLOWED,
        /** Not spent in the store. */
        UNSPENT,
        /** Spent by a transaction beyond the hop limit. */
        CUT_BY_HOPS
    }

    /**
     * A transaction that moved taint.
     *
     * @param resolved whether every input value was known (if not, the haircut share treats the
     *                 unknown inputs as clean: their value is unknown, never guessed)
     */
    public record TaintedTransaction(Hash256 txid, int height, int hop, long inputValue, long taintIn,
                                     long outputValue, long feeTaint, boolean resolved) {
    }
}
