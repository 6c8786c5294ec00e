package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Rapid pass-through (stacked layers): a transaction that forwards at least {@code minShare} of
 * what it spends to other addresses, every coin it spends having arrived at most
 * {@code maxDelaySeconds} before; {@code minLength} such hops in a row (each spending the last)
 * make a chain, reported once at its {@code minLength}-th hop.
 */
public final class PassThroughDetector implements PatternDetector {
    private final double minShare;
    private final long maxDelay;
    private final int minLength;
    /** Pass-through transactions recently seen: their chain so far. */
    private final TimedMap<Hash256, List<UtxoTransaction>> chains = new TimedMap<>();
    private final CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();

    public PassThroughDetector(double minShare, long maxDelaySeconds, int minLength) {
        this.minShare = minShare;
        this.maxDelay = maxDelaySeconds;
        this.minLength = minLength;
    }

    public static PassThroughDetector standard() {
        return new PassThroughDetector(0.9, 3_600, 3);
    }

    @Override
    public String name() {
        return "pass_through";
    }

    @Override
    public void accept(UtxoTransaction tx, UtxoLedger ledger, Consumer<Alert> alerts) {
        chains.expire(tx.block().time(), maxDelay); // a hop spends coins at most maxDelay old
        if (tx.coinbase() || !tx.fullyResolved() || coinjoins.match(tx).isPresent()) {
            return;
        }
        long spent = tx.inputs().stream().mapToLong(TxInput::value).sum();
        long forwarded = Payments.payees(tx).stream().mapToLong(Payments.Payee::amount).sum();
        if (spent == 0 || forwarded < minShare * spent) {
            return;
        }
        List<UtxoTransaction> longest = List.of();
        for (TxInput in : tx.inputs()) {
            Optional<UtxoTransaction> funding = ledger.transaction(in.prevout().txid());
            if (funding.isEmpty() || tx.block().time() - funding.get().block().time() > maxDelay) {
                return; // a coin that rested too long: not a rapid hop
            }
            List<UtxoTransaction> before = chains.get(funding.get().txid());
            if (before != null && before.size() > longest.size()) {
                longest = before;
            }
        }
        List<UtxoTransaction> chain = new ArrayList<>(longest);
        chain.add(tx);
        chains.put(tx.txid(), chain, tx.block().time());
        if (chain.size() == minLength) {
            alerts.accept(Alert.of(name(), chain.stream().map(UtxoTransaction::txid).toList(),
                    chain.stream().flatMap(t -> Payments.payees(t).stream().map(Payments.Payee::address)).toList(),
                    chain.stream().map(t -> Payments.payees(t).stream().mapToLong(Payments.Payee::amount).sum()).toList(),
                    chain.stream().map(t -> t.block().time()).toList(), 0.7,
                    Map.of("minShare", Double.toString(minShare), "maxDelaySeconds", Long.toString(maxDelay), "minLength", Integer.toString(minLength))));
        }
    }
}
