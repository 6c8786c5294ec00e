package io.chaintrace.core.account;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An account ledger held in memory, filled in chain order: for generated chains and property tests. */
public final class MemoryAccountLedger implements AccountLedger {
    private final Map<String, List<AccountTransfer>> byAddress = new HashMap<>();
    private final Map<String, List<Label>> labels = new HashMap<>();

    /** Adds a transfer; transfers must come in chain order. */
    public void add(AccountTransfer t) {
        byAddress.computeIfAbsent(t.from().text(), k -> new ArrayList<>()).add(t);
        if (!t.to().text().equals(t.from().text())) {
            byAddress.computeIfAbsent(t.to().text(), k -> new ArrayList<>()).add(t);
        }
    }

    private final Map<io.chaintrace.core.model.Hash256, java.math.BigInteger> gasPrices = new HashMap<>();

    /** Records the gas price a transaction paid. */
    public void gasPrice(io.chaintrace.core.model.Hash256 tx, java.math.BigInteger wei) {
        gasPrices.put(tx, wei);
    }

    @Override
    public java.util.Optional<java.math.BigInteger> gasPrice(io.chaintrace.core.model.Hash256 tx) {
        return java.util.Optional.ofNullable(gasPrices.get(tx));
    }

    public void label(Label l) {
        labels.computeIfAbsent(l.address().text(), k -> new ArrayList<>()).add(l);
    }

    @Override
    public List<AccountTransfer> transfersOf(Address address) {
        return List.copyOf(byAddress.getOrDefault(address.text(), List.of()));
    }

    @Override
    public List<Label> labelsOf(Address address) {
        return List.copyOf(labels.getOrDefault(address.text(), List.of()));
    }
}
