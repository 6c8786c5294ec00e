/**
 * The application layer under the commands: what a command asks for, run against the store and written out.
 * {@link io.chaintrace.cli.app.TraceService} chooses the engine and runs a trace; {@link io.chaintrace.cli.app.BatchRun}
 * runs many; {@link io.chaintrace.cli.app.IngestService} runs any {@link io.chaintrace.ingest.Source} with progress,
 * metrics, compaction and clustering; {@link io.chaintrace.cli.app.Documents} are the JSON documents as records.
 * Commands parse options and call these; nothing here reads the command line.
 */
package io.chaintrace.cli.app;
