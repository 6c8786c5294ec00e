/**
 * The {@code chaintrace} command: ingest, stats, trace. Turns errors into one line and an exit code
 * ({@link io.chaintrace.cli.ExitCode}). Depends on ingest, graph and core.
 */
package io.chaintrace.cli;
