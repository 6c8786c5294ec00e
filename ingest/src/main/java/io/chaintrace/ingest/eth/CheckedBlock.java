package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.ingest.CorruptAnswerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;

/**
 * A block a node answered, once {@link BlockCheck} has held it to its hash: its rows, the receipts root its receipts are
 * then held to, and its transactions as the block commits to them.
 */
record CheckedBlock(EthRows.Block block, byte[] receiptsRoot, List<BlockCheck.Committed> txs) {

    /**
     * The block the node at {@code url} answered to {@code eth_getBlockByNumber(number, true)}; an answer that is not the
     * block the chain holds stops the ingest with what differs, before anything of it is stored.
     */
    static CheckedBlock of(JsonNode b, long number, String url) {
        if (b == null || b.isNull() || b.isMissingNode()) {
            throw new EthRpcException("node at " + url + " has no block " + number);
        }
        if (!b.isObject()) {
            throw new EthRpcException("node at " + url + ": eth_getBlockByNumber(" + number + ") answered something not a block");
        }
        long got = number(b, "number", number, url);
        if (got != number) {
            throw new CorruptAnswerException("node at " + url + " answered block " + got + " when asked for block " + number);
        }
        Optional<String> invalid = BlockCheck.invalidity(b);
        if (invalid.isPresent()) {
            throw new CorruptAnswerException("node at " + url + ": block " + number + " (" + b.path("hash").asString("no hash") + ") is not "
                    + "the block the chain holds: " + invalid.get() + "; nothing of it was stored");
        }
        List<EthRows.Tx> txs = new ArrayList<>();
        int index = 0;
        for (JsonNode t : b.path("transactions")) {
            // BlockCheck has held each to its hash, its place, its gas price and, where it moves ether, its sender to its
            // signature: the fields below are the chain's.
            txs.add(new EthRows.Tx(Hash256.fromHex(t.path("hash").asString()), number, index++, lower(text(t, "from")),
                    Optional.ofNullable(text(t, "to")).map(CheckedBlock::lower), Rpc.quantity(t.get("value")),
                    Optional.ofNullable(t.get("gasPrice")).filter(v -> !v.isNull()).map(Rpc::quantity)));
        }
        EthRows.Block block = new EthRows.Block(number, Hash256.fromHex(b.path("hash").asString()),
                Hash256.fromHex(b.path("parentHash").asString()), number(b, "timestamp", number, url), txs);
        return new CheckedBlock(block, Numeric.hexStringToByteArray(b.path("receiptsRoot").asString()), BlockCheck.committed(b));
    }

    /** A string field; null when absent or null. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static long number(JsonNode node, String field, long block, String url) {
        try {
            return Rpc.number(node.get(field));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new CorruptAnswerException("node at " + url + ": block " + block + ": " + field + " is not a number");
        }
    }
}
