package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Rapid pass-through (stacked layers): a transaction that forwards at least {@code minShare} of
 * what it spends through one output to an address it did not spend from, and pays nobody else
 * (any other output is dust), every coin it spends having arrived at most {@code maxDelaySeconds}
 * before; {@code minLength} such hops in a row, each spending the output the last one forwarded,
 * make a chain, reported once at its {@code minLength}-th hop. A wallet paying with change is not
 * a hop (its change chain is a peel chain, when anything); nor is a payment that a hop made on
 * the way followed as if forwarded.
 */
public final class PassThroughDetector implements PatternDetector {
    /** Bitcoin Core's dust threshold for a P2PKH output (546 sat): less is no payment to anyone. */
    static final long DUST = 546;
    private final double minShare;
    private final long maxDelay;
    private final int minLength;
    /** Pass-through transactions recently seen: their chain so far. */
    private final TimedMap<Hash256, Hop> chains = new TimedMap<>();
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
        // A hop spends coins at most maxDelay old; kept a day longer, as block times step back by up to about two hours,
        // so that whether a hop continues a chain depends on the two transactions alone (as module spark asks it).
        chains.expire(tx.block().time(), maxDelay + 86_400);
        Optional<TxOutput> forward = hop(tx);
        if (forward.isEmpty()) {
            return;
        }
        List<UtxoTransaction> longest = List.of();
        for (TxInput in : tx.inputs()) {
            Optional<UtxoTransaction> funding = ledger.transaction(in.prevout().txid());
            if (funding.isEmpty() || tx.block().time() - funding.get().block().time() > maxDelay) {
                return; // a coin that rested too long: not a rapid hop
            }
            // A chain goes on only through the output a hop forwarded, not through a payment it made on the way.
            Hop before = chains.get(funding.get().txid());
            if (before != null && before.forwardIndex() == in.prevout().vout() && before.chain().size() > longest.size()) {
                longest = before.chain();
            }
        }
        List<UtxoTransaction> chain = new ArrayList<>(longest);
        chain.add(tx);
        chains.put(tx.txid(), new Hop(chain, forward.get().index()), tx.block().time());
        if (chain.size() == minLength) {
            alerts.accept(Alert.of(name(), chain.stream().map(UtxoTransaction::txid).toList(),
                    chain.stream().flatMap(t -> Payments.payees(t).stream().map(Payments.Payee::address)).toList(),
                    chain.stream().map(t -> Payments.payees(t).stream().mapToLong(Payments.Payee::amount).sum()).toList(),
                    chain.stream().map(t -> t.block().time()).toList(), 0.7,
                    Map.of("minShare", Double.toString(minShare), "maxDelaySeconds", Long.toString(maxDelay), "minLength", Integer.toString(minLength))));
        }
    }

    /** A hop: the chain it ends, and which of its outputs carried the value on. */
    private record Hop(List<UtxoTransaction> chain, int forwardIndex) {
    }

    /**
     * The output {@code tx} forwards when it is a pass-through hop by its own shape (not a coinbase, every input known,
     * not a CoinJoin, see {@link #forwarded}); whether its coins arrived within {@code maxDelay} is the caller's to check.
     */
    public Optional<TxOutput> hop(UtxoTransaction tx) {
        if (tx.coinbase() || !tx.fullyResolved() || coinjoins.match(tx).isPresent()) {
            return Optional.empty();
        }
        return forwarded(tx);
    }

    /**
     * The output a hop forwards: the one carrying at least {@code minShare} of what the transaction spends, paid to an
     * address it did not spend from.
     */
    private Optional<TxOutput> forwarded(UtxoTransaction tx) {
        long spent = tx.inputs().stream().mapToLong(TxInput::value).sum();
        if (spent == 0) {
            return Optional.empty();
        }
        java.util.Set<String> payers = Payments.inputOwners(tx);
        Optional<TxOutput> forward = tx.outputs().stream().max(java.util.Comparator.comparingLong(TxOutput::value))
                .filter(o -> o.value() >= minShare * spent)
                .filter(o -> o.owner().isPresent() && !payers.contains(o.owner().get().text()));
        // A hop pays nobody else: a wallet's payment with its change (the change carrying most) is not a hop.
        boolean paysOthers = tx.outputs().stream().anyMatch(o -> forward.isPresent() && o.index() != forward.get().index()
                && o.owner().isPresent() && o.value() > DUST);
        return paysOthers ? Optional.empty() : forward;
    }
}
