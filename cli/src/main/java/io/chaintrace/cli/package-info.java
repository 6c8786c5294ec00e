/**
 * The {@code chaintrace} command: demo, ingest, fetch, labels, stats, trace, patterns, cluster, batch
 * and generate-completion. Turns errors into one line and an exit code ({@link io.chaintrace.cli.ExitCode}).
 * Depends on ingest, graph, scenarios and core.
 */
package io.chaintrace.cli;
