package io.chaintrace.cli.app;

import io.chaintrace.ingest.IngestListener;
import me.tongfei.progressbar.ProgressBar;

/** Draws blocks done, the rate and the ETA of an ingest on stderr. */
public final class IngestProgress implements IngestListener, AutoCloseable {
    private final boolean enabled;
    private final String unit;
    private ProgressBar bar;
    private long items;
    private long start;

    public IngestProgress(boolean enabled, String unit) {
        this.enabled = enabled;
        this.unit = unit;
    }

    @Override
    public void started(long total, long alreadyStored) {
        start = System.nanoTime();
        if (enabled && total > 0) {
            bar = ProgressBars.builder("blocks", total).build();
        }
    }

    @Override
    public void block(long count) {
        items += count;
        if (bar != null) {
            double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
            bar.step();
            bar.setExtraMessage(String.format("%,d %s, %,.0f/s", items, unit, items / secs));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
