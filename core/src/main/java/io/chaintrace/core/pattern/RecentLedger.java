package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ledger that remembers the transactions a scan has just fed its detectors: coins are mostly
 * spent soon after they are made, so the funding transactions the detectors look up are nearly
 * always among the last few hundred thousand, and need no store read.
 */
public final class RecentLedger implements UtxoLedger {
    private final UtxoLedger under;
    private final Map<Hash256, UtxoTransaction> recent;

    public RecentLedger(UtxoLedger under, int capacity) {
        this.under = under;
        this.recent = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Hash256, UtxoTransaction> e) {
                return size() > capacity;
            }
        };
    }

    /** A transaction being fed to the detectors. */
    public void remember(UtxoTransaction tx) {
        recent.put(tx.txid(), tx);
    }

    @Override
    public Optional<UtxoTransaction> transaction(Hash256 txid) {
        UtxoTransaction t = recent.get(txid);
        return t != null ? Optional.of(t) : under.transaction(txid);
    }

    @Override
    public Optional<Spend> spenderOf(Outpoint outpoint) {
        return under.spenderOf(outpoint);
    }

    @Override
    public List<Hash256> transactionsOf(Address address) {
        return under.transactionsOf(address);
    }

    @Override
    public List<Label> labelsOf(Address address) {
        return under.labelsOf(address);
    }
}
