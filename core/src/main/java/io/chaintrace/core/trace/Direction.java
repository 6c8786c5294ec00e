package io.chaintrace.core.trace;

/** Which way a trace follows value. */
public enum Direction {
    /** Where the value went. */
    FORWARD,
    /** Where the value came from. */
    BACKWARD
}
