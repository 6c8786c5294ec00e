package io.chaintrace.core.account;

import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * What Ethereum sources read, in the shape of the blockchain-etl tables (the public BigQuery
 * {@code crypto_ethereum} schema) so that both a node and an export feed the same extraction.
 * Addresses are lower-case hex as nodes and exports print them.
 */
public final class EthRows {
    private EthRows() {
    }

    /** A block with its transactions in order. */
    public record Block(long number, Hash256 hash, Hash256 parent, long timestamp, List<Tx> transactions) {
        public Block {
            transactions = List.copyOf(transactions);
        }
    }

    /** A transaction: {@code to} is empty for contract creation; the gas price (wei) when the source gives it. */
    public record Tx(Hash256 hash, long blockNumber, int index, String from, Optional<String> to, BigInteger value,
                     Optional<BigInteger> gasPrice) {
    }

    /**
     * A receipt: {@code success} is empty before Byzantium (no status field; then the top-level
     * trace's error tells), {@code contractAddress} is set for creations.
     */
    public record Receipt(Hash256 txHash, int txIndex, Optional<Boolean> success, Optional<String> contractAddress, List<Log> logs) {
        public Receipt {
            logs = List.copyOf(logs);
        }
    }

    /** An event log. */
    public record Log(Hash256 txHash, int txIndex, int logIndex, long blockNumber, String address, List<String> topics, String data) {
        public Log {
            topics = List.copyOf(topics);
        }
    }

    /**
     * One execution frame, as ethereum-etl's {@code traces} table has it.
     *
     * @param txHash       empty for block rewards, and for geth traces of old nodes that do not name the transaction
     * @param txIndex      -1 for block rewards
     * @param traceType    call, create, suicide or reward
     * @param callType     call, callcode, delegatecall, staticcall (calls only)
     * @param traceAddress the frame's path from the top-level call (empty for the top level)
     * @param error        the frame's own error
     * @param success      false when this frame or any frame above it failed: then it moved nothing
     */
    public record Trace(long blockNumber, Optional<Hash256> txHash, int txIndex, Optional<String> from, Optional<String> to,
                        BigInteger value, String traceType, Optional<String> callType, List<Integer> traceAddress,
                        Optional<String> error, boolean success) {
        public Trace {
            traceAddress = List.copyOf(traceAddress);
        }
    }

    /**
     * Frames in execution order: a call tree's pre-order is its trace addresses in lexicographic order (a frame before
     * the frames it calls, siblings by position), the order a node's traces and ethereum-etl's files give them.
     */
    public static final java.util.Comparator<List<Integer>> EXECUTION_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = Integer.compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    /** An ERC-20 transfer as blockchain-etl's {@code token_transfers} table has it. */
    public record TokenTransfer(String token, String from, String to, BigInteger value, Hash256 txHash, int txIndex, int logIndex,
                                long blockNumber) {
    }
}
