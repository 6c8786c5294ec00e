package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A transaction read as address-level payments: the payer is the owner of its first resolved
 * input (multi-input ownership makes the others the same entity), the payees the owners of its
 * outputs that are not among its inputs' owners (those are change).
 */
public final class Payments {
    private Payments() {
    }

    public record Payee(Address address, long amount, int index) {
    }

    /** The payer when the transaction is one payer paying: not a coinbase, not a CoinJoin, an owned input. */
    public static Optional<Address> payerOfPayment(UtxoTransaction tx, CoinJoinClassifier coinjoins) {
        if (tx.coinbase() || coinjoins.match(tx).isPresent()) {
            return Optional.empty();
        }
        return payer(tx);
    }

    static Optional<Address> payer(UtxoTransaction tx) {
        for (TxInput i : tx.inputs()) {
            if (i.owner().isPresent()) {
                return i.owner();
            }
        }
        return Optional.empty();
    }

    static Set<String> inputOwners(UtxoTransaction tx) {
        Set<String> s = new HashSet<>();
        tx.inputs().forEach(i -> i.owner().ifPresent(a -> s.add(a.text())));
        return s;
    }

    public static List<Payee> payees(UtxoTransaction tx) {
        Set<String> own = inputOwners(tx);
        List<Payee> p = new ArrayList<>();
        for (TxOutput o : tx.outputs()) {
            if (o.owner().isPresent() && !own.contains(o.owner().get().text())) {
                p.add(new Payee(o.owner().get(), o.value(), o.index()));
            }
        }
        return p;
    }
}
