package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Peel chains (docs/PATTERNS.md): a run of at least {@code minLength} transactions, each with
 * at most {@code maxInputs} inputs and two outputs: a small peel (at most {@code maxPeelShare} of
 * what the step spends) paid out, and the remainder sent on to another address and spent by the
 * next step, shrinking at every step. Reported once per chain, from its first step.
 */
public record PeelChainDetector(int minLength, int maxInputs, double maxPeelShare) implements PatternDetector {
    public static final PeelChainDetector DEFAULT = new PeelChainDetector(3, 2, 0.2);

    @Override
    public String name() {
        return "peel_chain";
    }

    /** The chains that start at any of {@code txs}. */
    public List<Alert> scan(Iterable<UtxoTransaction> txs, UtxoLedger ledger) {
        List<Alert> alerts = new ArrayList<>();
        for (UtxoTransaction tx : txs) {
            accept(tx, ledger, alerts::add);
        }
        return alerts;
    }

    /** A chain starting at {@code tx} is followed to its end through the ledger and reported at once. */
    @Override
    public void accept(UtxoTransaction tx, UtxoLedger ledger, java.util.function.Consumer<Alert> alerts) {
        if (step(tx).isEmpty() || continues(tx, ledger)) {
            return;
        }
        List<UtxoTransaction> chain = new ArrayList<>();
        UtxoTransaction at = tx;
        TxOutput remainder = step(tx).get();
        chain.add(tx);
        while (true) {
            Optional<UtxoTransaction> next = ledger.spenderOf(new Outpoint(at.txid(), remainder.index()))
                    .flatMap(s -> ledger.transaction(s.spendingTx()));
            if (next.isEmpty()) {
                break;
            }
            Optional<TxOutput> r = step(next.get());
            if (r.isEmpty() || r.get().value() >= remainder.value()) {
                break;
            }
            at = next.get();
            remainder = r.get();
            chain.add(at);
        }
        if (chain.size() >= minLength) {
            alerts.accept(alert(chain));
        }
    }

    /**
     * The whole chain {@code tx} is a step of, from its first step, when it is at least {@code minLength} long: what a
     * trace that enters a chain in its middle (a seed on a later step) walks, reported as the chain it is.
     */
    public Optional<Alert> chainThrough(UtxoTransaction tx, UtxoLedger ledger) {
        if (step(tx).isEmpty()) {
            return Optional.empty();
        }
        UtxoTransaction start = tx;
        for (Optional<UtxoTransaction> before = previous(start, ledger); before.isPresent(); before = previous(start, ledger)) {
            start = before.get();
        }
        List<Alert> found = new ArrayList<>();
        accept(start, ledger, found::add);
        return found.stream().findFirst();
    }

    /** The step whose remainder {@code tx} spends, when {@code tx} continues a chain. */
    private Optional<UtxoTransaction> previous(UtxoTransaction tx, UtxoLedger ledger) {
        for (TxInput in : tx.inputs()) {
            Optional<UtxoTransaction> prev = ledger.transaction(in.prevout().txid());
            if (prev.isPresent()) {
                Optional<TxOutput> r = step(prev.get());
                if (r.isPresent() && r.get().index() == in.prevout().vout() && in.value() > step(tx).map(TxOutput::value).orElse(Long.MAX_VALUE)) {
                    return prev;
                }
            }
        }
        return Optional.empty();
    }

    /** The remainder output when {@code tx} is a peel step (clustering reads it as change). */
    public Optional<TxOutput> remainder(UtxoTransaction tx) {
        return step(tx);
    }

    /** The remainder output when {@code tx} is a peel step. */
    Optional<TxOutput> step(UtxoTransaction tx) {
        if (tx.coinbase() || tx.inputs().isEmpty() || tx.inputs().size() > maxInputs || tx.outputs().size() != 2 || !tx.fullyResolved()) {
            return Optional.empty();
        }
        TxOutput a = tx.outputs().get(0);
        TxOutput b = tx.outputs().get(1);
        TxOutput big = a.value() >= b.value() ? a : b;
        TxOutput peel = big == a ? b : a;
        long spent = tx.inputs().stream().mapToLong(TxInput::value).sum();
        // The remainder moves on to an address the step did not spend from: change kept on the
        // payer's own address is a wallet paying repeatedly (a fan-out), not a chain.
        boolean movesOn = big.owner().isPresent() && !Payments.inputOwners(tx).contains(big.owner().get().text());
        return movesOn && peel.value() > 0 && peel.value() <= maxPeelShare * spent ? Optional.of(big) : Optional.empty();
    }

    /**
     * {@link #remainder} on a transaction's numbers, as clustering from the compact rows has them: owner ids (-1: none),
     * values, and whether every input is resolved (a coinbase is not). The remainder's output index, or -1.
     */
    public int remainder(int[] inOwner, long[] inValue, boolean resolved, int[] outOwner, long[] outValue) {
        if (!resolved || inOwner.length == 0 || inOwner.length > maxInputs || outOwner.length != 2) {
            return -1;
        }
        int big = outValue[0] >= outValue[1] ? 0 : 1;
        long peel = outValue[1 - big];
        long spent = 0;
        boolean movesOn = outOwner[big] >= 0;
        for (int i = 0; i < inOwner.length; i++) {
            spent += inValue[i];
            movesOn &= inOwner[i] != outOwner[big];
        }
        return movesOn && peel > 0 && peel <= maxPeelShare * spent ? big : -1;
    }

    /** Whether {@code tx} spends the remainder of a step before it (then it is not a chain's start). */
    private boolean continues(UtxoTransaction tx, UtxoLedger ledger) {
        return previous(tx, ledger).isPresent();
    }

    private Alert alert(List<UtxoTransaction> chain) {
        List<Hash256> txs = new ArrayList<>();
        List<Address> peeledTo = new ArrayList<>();
        List<Long> peels = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        for (UtxoTransaction t : chain) {
            TxOutput big = step(t).orElseThrow();
            TxOutput peel = t.outputs().get(big.index() == 0 ? 1 : 0);
            txs.add(t.txid());
            peel.owner().ifPresent(peeledTo::add);
            peels.add(peel.value());
            times.add(t.block().time());
        }
        double confidence = Math.min(0.99, 0.5 + 0.05 * chain.size());
        return Alert.of(name(), txs, peeledTo, peels, times, confidence, Map.of("minLength", Integer.toString(minLength),
                "maxInputs", Integer.toString(maxInputs), "maxPeelShare", Double.toString(maxPeelShare)));
    }
}
