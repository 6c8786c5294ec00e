package io.chaintrace.graph;

import io.chaintrace.core.model.ScriptKind;

/** An output as stored in {@code outputs}: value, kind, owner id, the creating transaction's sequence number, output id. */
record OutputRecord(long value, ScriptKind kind, int ownerId, long seq, long outputId) {
    /** The owner id of an output nobody owns (OP_RETURN) and of an unresolved or coinbase input. */
    static final int NO_OWNER = -1;
    private static final ScriptKind[] KINDS = ScriptKind.values();

    byte[] encode() {
        return encode(value, kind, ownerId, seq, outputId);
    }

    static byte[] encode(long value, ScriptKind kind, int ownerId, long seq, long outputId) {
        byte[] v = new byte[29];
        Keys.putLong(v, 0, value);
        v[8] = (byte) kind.ordinal();
        Keys.putInt(v, 9, ownerId);
        Keys.putLong(v, 13, seq);
        Keys.putLong(v, 21, outputId);
        return v;
    }

    static OutputRecord decode(byte[] v) {
        return new OutputRecord(value(v), KINDS[v[8]], ownerId(v), seq(v), outputId(v));
    }

    /** The fields of an encoded record, read without making one. */
    static long value(byte[] v) {
        return Keys.getLong(v, 0);
    }

    static int ownerId(byte[] v) {
        return Keys.getInt(v, 9);
    }

    static long seq(byte[] v) {
        return Keys.getLong(v, 13);
    }

    static long outputId(byte[] v) {
        return Keys.getLong(v, 21);
    }
}
