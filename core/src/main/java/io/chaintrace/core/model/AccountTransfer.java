package io.chaintrace.core.model;

/**
 * One movement of value between two accounts (Ethereum): which transaction and where it sits in
 * its block ({@code txIndex}), where in the transaction ({@code index}: 0 for the native value,
 * the trace's position among the transaction's traces for internal transfers, the log index for
 * tokens), from whom, to whom, what and how much (exact base units).
 */
public record AccountTransfer(Hash256 txHash, BlockRef block, int txIndex, TransferKind kind, int index,
                              Address from, Address to, Amount amount) {
    public AccountTransfer {
        if (from.chain() != Chain.ETHEREUM || to.chain() != Chain.ETHEREUM) {
            throw new IllegalArgumentException("account transfers are between Ethereum accounts");
        }
        if (amount.units().signum() <= 0) {
            throw new IllegalArgumentException("a transfer moves a positive amount, got " + amount.units());
        }
    }
}
