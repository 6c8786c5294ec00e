package io.chaintrace.ingest.eth;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;

/**
 * The consensus encodings of what a node answers as JSON: a block header, a signed transaction, a receipt, each
 * rebuilt field by field from the answer so that its hash can be computed and compared with the one the chain holds
 * (docs/ETHEREUM-VERIFICATION.md). The field lists are Ethereum's (execution-specs, by fork); an answer missing a field
 * the encoding needs is {@link Unencodable}, never guessed.
 */
final class EthEncoding {
    private EthEncoding() {
    }

    /** The answer lacks what the encoding needs, or holds a kind of thing Ethereum does not define. */
    static final class Unencodable extends RuntimeException {
        Unencodable(String message) {
            super(message);
        }
    }

    /** Header fields every fork has, in their order. */
    private static final List<Field> HEADER = List.of(bytes("parentHash", 32), bytes("sha3Uncles", 32), bytes("miner", 20),
            bytes("stateRoot", 32), bytes("transactionsRoot", 32), bytes("receiptsRoot", 32), bytes("logsBloom", 256),
            quantity("difficulty"), quantity("number"), quantity("gasLimit"), quantity("gasUsed"), quantity("timestamp"),
            bytes("extraData", -1), bytes("mixHash", 32), bytes("nonce", 8));

    /**
     * Fields forks appended, in their order: London (EIP-1559), Shanghai (EIP-4895), Cancun (EIP-4844, EIP-4788), Prague
     * (EIP-7685). A header has a prefix of them; which, the answer says by the fields it carries.
     */
    private static final List<Field> HEADER_SINCE_LONDON = List.of(quantity("baseFeePerGas"), bytes("withdrawalsRoot", 32),
            quantity("blobGasUsed"), quantity("excessBlobGas"), bytes("parentBeaconBlockRoot", 32), bytes("requestsHash", 32));

    /** A header's RLP, whose Keccak-256 is the block's hash. */
    static byte[] header(JsonNode block) {
        List<RlpType> fields = new ArrayList<>(HEADER.size() + HEADER_SINCE_LONDON.size());
        for (Field f : HEADER) {
            fields.add(f.rlp(block, "header"));
        }
        int present = 0;
        for (int i = 0; i < HEADER_SINCE_LONDON.size(); i++) {
            if (given(block, HEADER_SINCE_LONDON.get(i).name)) {
                present = i + 1;
            }
        }
        // A later fork's field present means every earlier one is part of the header: one missing is refused, not skipped.
        for (int i = 0; i < present; i++) {
            fields.add(HEADER_SINCE_LONDON.get(i).rlp(block, "header"));
        }
        return RlpEncoder.encode(new RlpList(fields));
    }

    /** A signed transaction's encoding (EIP-2718: a typed one is its type byte and then its RLP), whose Keccak-256 is its hash. */
    static byte[] transaction(JsonNode tx) {
        int type = Rpc.quantity(tx.get("type")).intValueExact();
        String where = "transaction " + tx.path("hash").asString("");
        List<RlpType> f = new ArrayList<>(14);
        if (type == 0) {
            for (String name : List.of("nonce", "gasPrice", "gas")) {
                f.add(quantity(tx, name, where));
            }
            f.add(to(tx, where));
            f.add(quantity(tx, "value", where));
            f.add(bytes(tx, "input", -1, where));
            for (String name : List.of("v", "r", "s")) {
                f.add(quantity(tx, name, where));
            }
            return RlpEncoder.encode(new RlpList(f));
        }
        if (type > 4) {
            throw new Unencodable(where + " is of type " + type + ", which Ethereum does not define (0-4): its hash cannot be checked");
        }
        f.add(quantity(tx, "chainId", where));
        f.add(quantity(tx, "nonce", where));
        if (type == 1) {
            f.add(quantity(tx, "gasPrice", where));
        } else {
            f.add(quantity(tx, "maxPriorityFeePerGas", where));
            f.add(quantity(tx, "maxFeePerGas", where));
        }
        f.add(quantity(tx, "gas", where));
        f.add(to(tx, where));
        f.add(quantity(tx, "value", where));
        f.add(bytes(tx, "input", -1, where));
        f.add(accessList(tx, where));
        if (type == 3) {
            f.add(quantity(tx, "maxFeePerBlobGas", where));
            List<RlpType> hashes = new ArrayList<>();
            for (JsonNode h : array(tx, "blobVersionedHashes", where)) {
                hashes.add(RlpString.create(hex(h, 32, where + " blobVersionedHashes")));
            }
            f.add(new RlpList(hashes));
        } else if (type == 4) {
            List<RlpType> authorizations = new ArrayList<>();
            for (JsonNode a : array(tx, "authorizationList", where)) {
                String w = where + " authorization";
                authorizations.add(new RlpList(quantity(a, "chainId", w), bytes(a, "address", 20, w), quantity(a, "nonce", w),
                        quantity(a, "yParity", w), quantity(a, "r", w), quantity(a, "s", w)));
            }
            f.add(new RlpList(authorizations));
        }
        // yParity is the typed transactions' own field; nodes before it was named gave the same value as v.
        f.add(quantity(tx, given(tx, "yParity") ? "yParity" : "v", where));
        f.add(quantity(tx, "r", where));
        f.add(quantity(tx, "s", where));
        return typed(type, RlpEncoder.encode(new RlpList(f)));
    }

    /**
     * A receipt's encoding (EIP-2718, as the transaction's), the item the receipts root commits to: the post-state root
     * before Byzantium (EIP-658), its status after; gas used by the block so far; the logs' bloom; the logs.
     */
    static byte[] receipt(TransactionReceipt r) {
        String where = "receipt of " + r.getTransactionHash();
        List<RlpType> f = new ArrayList<>(4);
        if (r.getRoot() != null && !r.getRoot().isEmpty() && !r.getRoot().equals("0x")) {
            f.add(RlpString.create(hex(r.getRoot(), 32, where + " root")));
        } else if (r.getStatus() != null) {
            f.add(RlpString.create(Rpc.quantity(r.getStatus())));
        } else {
            throw new Unencodable(where + " has neither a status nor a post-state root");
        }
        if (r.getCumulativeGasUsedRaw() == null || r.getLogsBloom() == null || r.getLogs() == null) {
            throw new Unencodable(where + " lacks cumulativeGasUsed, logsBloom or logs");
        }
        f.add(RlpString.create(Rpc.quantity(r.getCumulativeGasUsedRaw())));
        f.add(RlpString.create(hex(r.getLogsBloom(), 256, where + " logsBloom")));
        List<RlpType> logs = new ArrayList<>(r.getLogs().size());
        for (Log l : r.getLogs()) {
            List<RlpType> topics = new ArrayList<>(l.getTopics().size());
            for (String t : l.getTopics()) {
                topics.add(RlpString.create(hex(t, 32, where + " log topic")));
            }
            logs.add(new RlpList(RlpString.create(hex(l.getAddress(), 20, where + " log address")), new RlpList(topics),
                    RlpString.create(hex(l.getData() == null ? "0x" : l.getData(), -1, where + " log data"))));
        }
        f.add(new RlpList(logs));
        int type = r.getType() == null ? 0 : Rpc.quantity(r.getType()).intValueExact();
        return type == 0 ? RlpEncoder.encode(new RlpList(f)) : typed(type, RlpEncoder.encode(new RlpList(f)));
    }

    /** An address field: 20 bytes of hex. */
    static void address(JsonNode node, String name, String where) {
        bytes(node, name, 20, where);
    }

    private static byte[] typed(int type, byte[] payload) {
        byte[] out = new byte[payload.length + 1];
        out[0] = (byte) type;
        System.arraycopy(payload, 0, out, 1, payload.length);
        return out;
    }

    private static RlpType accessList(JsonNode tx, String where) {
        List<RlpType> entries = new ArrayList<>();
        for (JsonNode e : array(tx, "accessList", where)) {
            List<RlpType> keys = new ArrayList<>();
            for (JsonNode k : array(e, "storageKeys", where + " access list")) {
                keys.add(RlpString.create(hex(k, 32, where + " storage key")));
            }
            entries.add(new RlpList(bytes(e, "address", 20, where + " access list"), new RlpList(keys)));
        }
        return new RlpList(entries);
    }

    /** The recipient: 20 bytes, or nothing for a contract creation. */
    private static RlpType to(JsonNode tx, String where) {
        return given(tx, "to") ? bytes(tx, "to", 20, where) : RlpString.create(new byte[0]);
    }

    private static JsonNode array(JsonNode node, String name, String where) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new Unencodable(where + " has no " + name);
        }
        if (!v.isArray()) {
            throw new Unencodable(where + ": " + name + " is not a list");
        }
        return v;
    }

    /** Whether the answer carries the field, not null. */
    static boolean given(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    private static RlpString quantity(JsonNode node, String name, String where) {
        if (!given(node, name)) {
            throw new Unencodable(where + " has no " + name);
        }
        BigInteger q;
        try {
            q = Rpc.quantity(node.get(name));
        } catch (NumberFormatException e) {
            throw new Unencodable(where + ": " + name + " is not a quantity (" + e.getMessage() + ")");
        }
        if (q.signum() < 0) {
            throw new Unencodable(where + ": " + name + " is negative");
        }
        return RlpString.create(q);
    }

    private static RlpString bytes(JsonNode node, String name, int length, String where) {
        if (!given(node, name)) {
            throw new Unencodable(where + " has no " + name);
        }
        return RlpString.create(hex(node.get(name), length, where + " " + name));
    }

    private static byte[] hex(JsonNode v, int length, String what) {
        if (!v.isString()) {
            throw new Unencodable(what + " is not a hex string");
        }
        return hex(v.asString(), length, what);
    }

    /** Hex bytes; exactly {@code length} of them unless it is -1. */
    private static byte[] hex(String s, int length, String what) {
        if (!s.startsWith("0x") || s.length() % 2 != 0 || !s.substring(2).chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new Unencodable(what + " is not hex bytes: " + (s.length() > 80 ? s.substring(0, 80) + "…" : s));
        }
        byte[] b = Numeric.hexStringToByteArray(s);
        if (length >= 0 && b.length != length) {
            throw new Unencodable(what + " is " + b.length + " bytes, not " + length);
        }
        return b;
    }

    /** A header field: bytes of a fixed length (-1: any), or a quantity. */
    private record Field(String name, int length, boolean isQuantity) {
        RlpType rlp(JsonNode block, String where) {
            return isQuantity ? quantity(block, name, where) : bytes(block, name, length, where);
        }
    }

    private static Field bytes(String name, int length) {
        return new Field(name, length, false);
    }

    private static Field quantity(String name) {
        return new Field(name, 0, true);
    }
}
