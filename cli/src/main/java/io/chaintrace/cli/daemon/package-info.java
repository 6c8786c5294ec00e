/**
 * A resident chaintrace process for short commands: {@code ./chaintrace daemon start} keeps one warm JVM, and the
 * {@code chaintrace} script hands it {@code trace} and {@code stats} over 127.0.0.1 with a token only the user can read,
 * so that a trace costs the trace, not a JVM's start (benchmarks/README.md, "A trace from the command line").
 */
package io.chaintrace.cli.daemon;
