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

    /** What it writes, which names its meters and what it counts per block. */
    Kind kind();

    /** What a source writes: the chain (the tag of its meters) and what it counts per block in progress and metrics. */
    enum Kind {
        BITCOIN("bitcoin", "transactions"), ETHEREUM("ethereum", "transfers"), LABELS("labels", "labels");

        public final String chain;
        public final String unit;

        Kind(String chain, String unit) {
            this.chain = chain;
            this.unit = unit;
        }
    }

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
