package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the CoinJoin rules look at in a transaction, computed once. */
record TxShape(UtxoTransaction tx, int inputs, int outputs, int distinctInputOwners, int unresolvedInputs, int distinctOutputOwners,
               long commonValue, int commonCount, Map<Long, Integer> valueCounts) {
    /**
     * Distinct input owners: the owners of resolved inputs, plus, for inputs whose funding
     * transaction the store lacks, one per distinct funding transaction (an upper bound: the
     * alert says how many inputs were unresolved and is less confident).
     */
    static TxShape of(UtxoTransaction tx) {
        Set<String> inOwners = new HashSet<>();
        int unresolved = 0;
        for (TxInput i : tx.inputs()) {
            if (i.status() == io.chaintrace.core.model.InputStatus.UNRESOLVED) {
                unresolved++;
                inOwners.add("funding:" + i.prevout().txid().hex());
            } else {
                i.owner().ifPresent(a -> inOwners.add(a.text()));
            }
        }
        Set<String> outOwners = new HashSet<>();
        Map<Long, Integer> counts = new HashMap<>();
        for (TxOutput o : tx.outputs()) {
            o.owner().ifPresent(a -> outOwners.add(a.text()));
            if (o.value() > 0) {
                counts.merge(o.value(), 1, Integer::sum);
            }
        }
        long common = 0;
        int n = 0;
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            // The most common value; among equally common ones the larger (the denomination, not a dust repeat).
            if (e.getValue() > n || e.getValue() == n && e.getKey() > common) {
                common = e.getKey();
                n = e.getValue();
            }
        }
        return new TxShape(tx, tx.inputs().size(), tx.outputs().size(), inOwners.size(), unresolved, outOwners.size(), common, n, counts);
    }

    /** Outputs of the common value. */
    List<Address> commonOwners() {
        List<Address> a = new ArrayList<>();
        for (TxOutput o : tx.outputs()) {
            if (o.value() == commonValue) {
                o.owner().ifPresent(a::add);
            }
        }
        return a;
    }
}
