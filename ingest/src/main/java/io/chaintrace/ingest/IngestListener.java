package io.chaintrace.ingest;

/** Progress of a long ingest, for a progress bar or metrics. Called from the writing thread. */
public interface IngestListener {
    /** The source knows how many blocks it will write ({@code total}) and how many it skips as stored. */
    default void started(long total, long alreadyStored) {
    }

    /** One more block written (or skipped as already stored) with this many transactions. */
    default void block(long transactions) {
    }

    IngestListener NONE = new IngestListener() {
    };
}
