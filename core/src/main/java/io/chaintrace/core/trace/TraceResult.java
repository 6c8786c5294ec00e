package io.chaintrace.core.trace;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where tainted value went (forward) or came from (backward), with an account that says where
 * every unit of the seeded taint ended. Amounts are satoshi.
 *
 * <p>Forward: {@code seeded = endpoints + unspent + fees + dust + cut + absorbedBySeeds}. Backward:
 * {@code seeded = endpoints + minted + unresolved + dust + cut + absorbedBySeeds}. For a
 * conserving policy the account balances to the unit; poison marks whole outputs and does not.
 * {@code edgesVisited}: inputs and outputs of every transaction the trace went through.
 */
public record TraceResult(TraceRequest request, List<TaintedOutput> outputs, List<TaintedTransaction> transactions,
                          List<EndpointHit> endpoints, Account account, List<Cut> cuts, long edgesVisited) {
    public TraceResult {
        outputs = List.copyOf(outputs);
        transactions = List.copyOf(transactions);
        endpoints = List.copyOf(endpoints);
        cuts = List.copyOf(cuts);
    }

    public long seeded() {
        return account.seeded();
    }

    public boolean balanced() {
        return account.balanced();
    }

    /** The tainted output at this outpoint, if the trace reached it. */
    public Optional<TaintedOutput> output(Outpoint outpoint) {
        return outputs.stream().filter(o -> o.outpoint().equals(outpoint)).findFirst();
    }

    /** Taint that reached each endpoint entity. */
    public Map<String, Long> byEntity() {
        Map<String, Long> m = new TreeMap<>();
        endpoints.forEach(e -> m.merge(e.entity(), e.amount(), Long::sum));
        return m;
    }

    /** Taint that reached each endpoint category. */
    public Map<LabelCategory, Long> byCategory() {
        Map<LabelCategory, Long> m = new TreeMap<>();
        endpoints.forEach(e -> m.merge(e.category(), e.amount(), Long::sum));
        return m;
    }

    /**
     * Where the seeded taint is.
     *
     * @param endpoints  received by labelled services
     * @param unspent    forward: on outputs nobody has spent
     * @param fees       forward: paid to miners
     * @param minted     backward: came from coinbase (new coins and fees)
     * @param unresolved backward: came through inputs whose funding transaction is not stored
     * @param dust       dropped below the minimum amount
     * @param cutByHops  stopped by the hop limit
     * @param cutByTime  stopped by the time window
     * @param cutByBudget stopped by the node or edge budget
     * @param absorbedBySeeds taint that reached an output which is itself a seed (counted there in full)
     */
    public record Account(long seeded, long endpoints, long unspent, long fees, long minted, long unresolved, long dust,
                          long cutByHops, long cutByTime, long cutByBudget, long cutNotFetched, long absorbedBySeeds) {
        public long accounted() {
            return endpoints + unspent + fees + minted + unresolved + dust + cutByHops + cutByTime + cutByBudget + cutNotFetched
                    + absorbedBySeeds;
        }

        public boolean balanced() {
            return seeded == accounted();
        }
    }

    /**
     * An output the trace reached.
     *
     * @param hop   0 for seeds, else how many transactions from the nearest seed
     * @param via   the transaction the trace came through to reach it (forward: its creator; backward:
     *              its spender); empty for seeds
     * @param next  the transaction the trace would take next (forward: the spender; backward: the creator)
     * @param state what happened to its taint
     */
    public record TaintedOutput(Outpoint outpoint, int height, long time, int hop, long value, Taint taint, ScriptKind kind,
                                Optional<Address> owner, Optional<Hash256> via, Optional<Hash256> next, OutputState state) {
    }

    /** What became of the taint on a reached output. */
    public enum OutputState {
        /** The trace went on through the next transaction. */
        FOLLOWED,
        /** Forward: not spent in the store. */
        UNSPENT,
        /** Owned by a labelled service: an endpoint. */
        ENDPOINT,
        /** Backward: reached a coinbase. */
        MINTED,
        /** Taint below the minimum amount. */
        DUST,
        /** The next transaction is beyond the hop limit. */
        CUT_BY_HOPS,
        /** The next transaction is outside the time window. */
        CUT_BY_TIME,
        /** The node or edge budget ran out. */
        CUT_BY_BUDGET,
        /**
         * The store does not know what came next: a fetched neighbourhood ends here (whether or where the output
         * was spent, or the transaction before or after, was never fetched). Not "unspent".
         */
        NOT_FETCHED
    }

    /** A transaction that moved taint, with how much came in and went to the fee. */
    public record TaintedTransaction(Hash256 txid, int height, long time, int hop, long inputValue, long taintIn, long outputValue,
                                     long taintOut, long feeTaint, boolean resolved) {
    }

    /** Taint received by a labelled service in one transaction. */
    public record EndpointHit(String entity, LabelCategory category, String source, Hash256 txid, Outpoint outpoint, Address address,
                              int height, long time, int hop, long amount) {
    }

    /** Where and why a limit stopped the trace. */
    public record Cut(OutputState reason, Outpoint outpoint, Optional<Hash256> next, long amount) {
    }
}
