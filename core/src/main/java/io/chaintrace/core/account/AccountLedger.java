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

    /** The gas price (wei) a transaction paid, when known (mixer linking compares them). */
    default java.util.Optional<java.math.BigInteger> gasPrice(io.chaintrace.core.model.Hash256 tx) {
        return java.util.Optional.empty();
    }
}
