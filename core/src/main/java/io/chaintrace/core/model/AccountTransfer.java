package io.chaintrace.core.model;

/**
 * One movement of value between two accounts (Ethereum): which transaction, where in it
 * ({@code index}: log index for tokens, trace position for internal transfers, 0 for native),
 * from whom, to whom, what and how much.
 */
public record AccountTransfer(Hash256 txHash, BlockRef block, TransferKind kind, int index,
                              Address from, Address to, Amount amount) {
}
