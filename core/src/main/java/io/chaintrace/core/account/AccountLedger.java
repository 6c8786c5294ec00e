package io.chaintrace.core.account;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import java.util.List;

/** What the account tracer reads: an address's transfers in chain order, and its labels. Implemented by the store. */
public interface AccountLedger {
    /** Transfers from or to an address (every asset), in chain order: block, transaction, kind, index. */
    List<AccountTransfer> transfersOf(Address address);

    List<Label> labelsOf(Address address);

    /**
     * Whether the store holds every transfer of {@code address} (within what was ingested): true for whole blocks; for a
     * neighbourhood fetched from an explorer, only for the addresses the fetch asked about. Where it is false the
     * tracers stop and say "not fetched" rather than "held".
     */
    default boolean historyKnown(Address address) {
        return true;
    }

    /** How many transfers an address has, counted up to {@code cap} (a busy pool's history is not read to compare it). */
    default int transferCount(Address address, int cap) {
        return Math.min(cap, transfersOf(address).size());
    }

    /** The gas price (wei) a transaction paid, when known (mixer linking compares them). */
    default java.util.Optional<java.math.BigInteger> gasPrice(io.chaintrace.core.model.Hash256 tx) {
        return java.util.Optional.empty();
    }
}
