package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;

import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Turns node trace responses into {@link EthRows.Trace} rows, the way ethereum-etl does:
 * {@code trace_block}/{@code trace_filter} (Parity format) and {@code debug_traceBlockByNumber}
 * with {@code callTracer} (geth format). A frame that failed, or sits under one that failed, is
 * marked unsuccessful: it moved nothing.
 */
public final class Traces {
    private Traces() {
    }

    /** Rows of a Parity-format trace list, in the node's order. */
    public static List<EthRows.Trace> parity(JsonNode result) {
        List<EthRows.Trace> rows = new ArrayList<>();
        // Failed frames by transaction, as "txPosition/traceAddress" prefixes.
        Set<String> failed = new HashSet<>();
        for (JsonNode t : result) {
            String type = t.path("type").asString("");
            JsonNode action = t.path("action");
            JsonNode res = t.path("result");
            long block = Rpc.number(t.path("blockNumber"));
            Optional<Hash256> tx = t.path("transactionHash").isString() ? Optional.of(Hash256.fromHex(t.path("transactionHash").asString()))
                    : Optional.empty();
            int txIndex = t.path("transactionPosition").isMissingNode() || t.path("transactionPosition").isNull()
                    ? -1 : (int) Rpc.number(t.path("transactionPosition"));
            List<Integer> address = new ArrayList<>();
            for (JsonNode i : t.path("traceAddress")) {
                address.add(i.asInt());
            }
            Optional<String> error = t.path("error").isString() ? Optional.of(t.path("error").asString()) : Optional.empty();
            String from;
            String to;
            BigInteger value;
            Optional<String> callType = Optional.empty();
            switch (type) {
                case "call" -> {
                    from = text(action, "from");
                    to = text(action, "to");
                    value = Rpc.quantity(action.path("value"));
                    callType = Optional.ofNullable(text(action, "callType"));
                }
                case "create" -> {
                    from = text(action, "from");
                    to = text(res, "address");
                    value = Rpc.quantity(action.path("value"));
                }
                case "suicide" -> {
                    from = text(action, "address");
                    to = text(action, "refundAddress");
                    value = Rpc.quantity(action.path("balance"));
                }
                case "reward" -> {
                    from = null;
                    to = text(action, "author");
                    value = Rpc.quantity(action.path("value"));
                }
                default -> throw new IllegalArgumentException("unknown trace type '" + type + "' in block " + block);
            }
            String key = txIndex + "/" + address;
            boolean success = error.isEmpty() && !underFailed(failed, txIndex, address);
            if (error.isPresent()) {
                failed.add(key);
            }
            rows.add(new EthRows.Trace(block, tx, txIndex, Optional.ofNullable(from), Optional.ofNullable(to), value, type,
                    callType, address, error, success));
        }
        return rows;
    }

    private static boolean underFailed(Set<String> failed, int txIndex, List<Integer> address) {
        for (int n = 0; n < address.size(); n++) {
            if (failed.contains(txIndex + "/" + address.subList(0, n))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Rows of a geth {@code callTracer} block trace: one top-level frame per transaction, in block
     * order, with nested {@code calls}.
     *
     * @param txHashes the block's transaction hashes in order, used when the node does not name them
     */
    public static List<EthRows.Trace> geth(JsonNode result, long blockNumber, List<Hash256> txHashes) {
        List<EthRows.Trace> rows = new ArrayList<>();
        int txIndex = 0;
        for (JsonNode entry : result) {
            JsonNode frame = entry.has("result") ? entry.path("result") : entry;
            Optional<Hash256> tx = entry.path("txHash").isString() ? Optional.of(Hash256.fromHex(entry.path("txHash").asString()))
                    : txIndex < txHashes.size() ? Optional.of(txHashes.get(txIndex)) : Optional.empty();
            if (entry.path("error").isString() && frame == entry) {
                throw new IllegalArgumentException("the node could not trace transaction " + txIndex + " of block " + blockNumber
                        + ": " + entry.path("error").asString());
            }
            walk(frame, blockNumber, tx, txIndex, new ArrayList<>(), true, rows);
            txIndex++;
        }
        return rows;
    }

    private static void walk(JsonNode frame, long block, Optional<Hash256> tx, int txIndex, List<Integer> address,
                             boolean parentOk, List<EthRows.Trace> rows) {
        String gethType = frame.path("type").asString("").toUpperCase(Locale.ROOT);
        Optional<String> error = frame.path("error").isString() ? Optional.of(frame.path("error").asString()) : Optional.empty();
        boolean ok = parentOk && error.isEmpty();
        String type;
        Optional<String> callType = Optional.empty();
        switch (gethType) {
            case "CALL", "CALLCODE", "DELEGATECALL", "STATICCALL" -> {
                type = "call";
                callType = Optional.of(gethType.toLowerCase(Locale.ROOT));
            }
            case "CREATE", "CREATE2" -> type = "create";
            case "SELFDESTRUCT" -> type = "suicide";
            default -> throw new IllegalArgumentException("unknown geth frame type '" + gethType + "' in block " + block);
        }
        rows.add(new EthRows.Trace(block, tx, txIndex, Optional.ofNullable(text(frame, "from")), Optional.ofNullable(text(frame, "to")),
                Rpc.quantity(frame.path("value")), type, callType, address, error, ok));
        int i = 0;
        for (JsonNode child : frame.path("calls")) {
            List<Integer> childAddress = new ArrayList<>(address);
            childAddress.add(i++);
            walk(child, block, tx, txIndex, childAddress, ok, rows);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isString() ? v.asString().toLowerCase(Locale.ROOT) : null;
    }
}
