package io.chaintrace.ingest.eth;

import java.math.BigInteger;
import tools.jackson.databind.JsonNode;

/** JSON-RPC quantities: hex strings ("0x1a"), or plain numbers in some nodes' and exports' output. */
final class Rpc {
    private Rpc() {
    }

    /** A quantity as an exact integer; absent or null is 0. */
    static BigInteger quantity(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return BigInteger.ZERO;
        }
        if (v.isNumber()) {
            return v.bigIntegerValue();
        }
        if (!v.isString()) {
            throw new NumberFormatException("not a quantity: " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return quantity(v.asString());
    }

    static BigInteger quantity(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return BigInteger.ZERO;
        }
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return t.length() == 2 ? BigInteger.ZERO : new BigInteger(t.substring(2), 16);
        }
        return new BigInteger(t);
    }

    static long number(JsonNode v) {
        return quantity(v).longValueExact();
    }

    static String hex(long n) {
        return "0x" + Long.toHexString(n);
    }
}
