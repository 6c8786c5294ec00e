package io.chaintrace.core.cluster;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.CoinJoinClassifier;
import io.chaintrace.core.pattern.PeelChainDetector;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Feeds a ledger's transactions, in chain order, to a {@link Clusterer}: owner ids from
 * {@code ids}, CoinJoins named by the {@link CoinJoinClassifier}, peel continuation read from the
 * ledger (is the remainder spent by another peel step). Owner ids must be dense and given in
 * order of first appearance (the store assigns them so): an output's owner is seen for the first
 * time when its id is above every id met before.
 */
public final class TransactionClustering {
    private final Clusterer clusterer;
    private final UtxoLedger ledger;
    private final ToIntFunction<Address> ids;
    private final CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();
    private int maxSeen;

    /** {@code maxSeen}: the highest owner id met before the first transaction fed (-1 for none). */
    public TransactionClustering(Clusterer clusterer, UtxoLedger ledger, ToIntFunction<Address> ids, int maxSeen) {
        this.clusterer = clusterer;
        this.ledger = ledger;
        this.ids = ids;
        this.maxSeen = maxSeen;
    }

    public List<Clusterer.Link> accept(UtxoTransaction tx) {
        int n = tx.inputs().size();
        int[] inOwner = new int[n];
        ScriptKind[] inKind = new ScriptKind[n];
        long[] inValue = new long[n];
        for (int i = 0; i < n; i++) {
            TxInput in = tx.inputs().get(i);
            inOwner[i] = in.owner().map(ids::applyAsInt).orElse(-1);
            inKind[i] = in.owner().map(Address::kind).orElse(null);
            inValue[i] = in.value();
        }
        int m = tx.outputs().size();
        int[] outOwner = new int[m];
        ScriptKind[] outKind = new ScriptKind[m];
        long[] outValue = new long[m];
        boolean[] fresh = new boolean[m];
        int seenBefore = maxSeen;
        for (int o = 0; o < m; o++) {
            TxOutput out = tx.outputs().get(o);
            outOwner[o] = out.owner().map(ids::applyAsInt).orElse(-1);
            outKind[o] = out.kind();
            outValue[o] = out.value();
            fresh[o] = outOwner[o] > seenBefore;
            maxSeen = Math.max(maxSeen, outOwner[o]);
        }
        boolean coinjoin = coinjoins.match(tx).isPresent();
        return clusterer.accept(new ClusterTx(inOwner, inKind, inValue, outOwner, outKind, outValue, fresh, coinjoin, peelContinues(tx)));
    }

    private boolean peelContinues(UtxoTransaction tx) {
        return PeelChainDetector.DEFAULT.remainder(tx).flatMap(r -> ledger.spenderOf(new Outpoint(tx.txid(), r.index())))
                .flatMap(s -> ledger.transaction(s.spendingTx())).flatMap(PeelChainDetector.DEFAULT::remainder).isPresent();
    }

    public int maxSeen() {
        return maxSeen;
    }
}
