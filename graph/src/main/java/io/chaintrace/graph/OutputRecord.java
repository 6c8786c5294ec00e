package io.chaintrace.graph;

import io.chaintrace.core.model.ScriptKind;

/** An output as stored in {@code outputs}: value, kind, owner id, the creating transaction's sequence number, output id. */
record OutputRecord(long value, ScriptKind kind, int ownerId, long seq, long outputId) {
    /** The owner id of an output nobody owns (OP_RETURN) and of an unresolved or coinbase input. */
    static final int NO_OWNER = -1;
    private static final ScriptKind[] KINDS = ScriptKind.values();

    byte[] encode() {
        byte[] v = new byte[29];
        Keys.putLong(v, 0, value);
        v[8] = (byte) kind.ordinal();
        Keys.putInt(v, 9, ownerId);
        Keys.putLong(v, 13, seq);
        Keys.putLong(v, 21, outputId);
        return v;
    }

    static OutputRecord decode(byte[] v) {
        return new OutputRecord(Keys.getLong(v, 0), KINDS[v[8]], Keys.getInt(v, 9), Keys.getLong(v, 13), Keys.getLong(v, 21));
    }
}
