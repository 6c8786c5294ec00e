package io.chaintrace.ingest;

/**
 * A source of chain data, one class per source: block files ({@code btc.BlockFileSource}), an
 * Ethereum node ({@code eth.EthRpcSource}), blockchain-etl exports ({@code eth.EtlSource}), label
 * lists ({@code labels.LabelImporter}). A source is built with what it reads and the narrow sink it
 * writes to ({@link io.chaintrace.graph.BlockSink}, {@link io.chaintrace.graph.TransferSink},
 * {@link io.chaintrace.graph.LabelSink}); {@link #run} writes complete blocks in chain order, each
 * with the source's checkpoint in one atomic batch, so a run after a crash resumes after the last
 * complete block, and reports each block to the listener. Progress, metrics and what follows an
 * ingest (compaction, clustering) are the caller's, the same for every source.
 *
 * @param <R> what a run reports
 */
public interface Source<R extends Source.Report> {
    /** The name its checkpoint is kept under (and its progress and metrics are tagged with). */
    String name();

    /** The chain it writes, lower case ({@code bitcoin}, {@code ethereum}), or {@code labels}. */
    String chain();

    /** What it counts per block in progress and metrics: {@code transactions}, {@code transfers}, {@code labels}. */
    String unit();

    /** Reads the input and writes it; each block (or file of labels) is reported to {@code listener} as it is written. */
    R run(IngestListener listener);

    /** What a run did. */
    interface Report {
        /** Blocks written by this run (0: nothing new, so nothing to compact or cluster). */
        long written();

        /** One line for the terminal. */
        String describe();
    }
}
