package io.chaintrace.core.pattern;

import io.chaintrace.core.model.AccountTransfer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Collects an account chain's transfers per transaction (they arrive in chain order) and hands each transaction over whole. */
final class TxBuffer {
    private final List<AccountTransfer> current = new ArrayList<>();
    private final List<AccountTransfer> view = java.util.Collections.unmodifiableList(current);

    /** Adds a transfer; when it starts a new transaction, the previous one goes to {@code whole} first. */
    void add(AccountTransfer t, Consumer<List<AccountTransfer>> whole) {
        if (!current.isEmpty() && !current.getFirst().txHash().equals(t.txHash())) {
            flush(whole);
        }
        current.add(t);
    }

    /** Hands the transaction over as a read-only view, valid during the call only (no copy per transaction). */
    void flush(Consumer<List<AccountTransfer>> whole) {
        if (!current.isEmpty()) {
            whole.accept(view);
            current.clear();
        }
    }
}
