/**
 * A resident chaintrace process for short commands: {@code chaintrace daemon start} keeps one warm JVM, and the
 * {@code chaintrace} script hands it {@code trace} and {@code stats} through a Unix socket only the user can reach,
 * so that a trace costs the trace, not a JVM's start (benchmarks/README.md, "A trace from the command line").
 */
package io.chaintrace.cli.daemon;
