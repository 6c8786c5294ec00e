package io.chaintrace.cli.app;

import io.chaintrace.ingest.IngestListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ingest's progress as meters, passed on to another listener (the progress bar): blocks and
 * transactions (Bitcoin) or transfers (Ethereum) written, blocks still to go before the head
 * ({@code chaintrace.ingest.lag.blocks}) and the rate ({@code chaintrace.ingest.rate}, per second).
 */
public final class MeteredIngest implements IngestListener {
    private final IngestListener next;
    private final Counter blocks;
    private final Counter items;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong itemCount = new AtomicLong();
    private volatile long start = System.nanoTime();

    public MeteredIngest(IngestListener next, MeterRegistry registry, String chain, String unit) {
        this.next = next;
        blocks = Counter.builder("chaintrace.ingest.blocks").tag("chain", chain).description("Blocks written or found stored").register(registry);
        items = Counter.builder("chaintrace.ingest." + unit).tag("chain", chain).description(unit + " written").register(registry);
        Gauge.builder("chaintrace.ingest.lag.blocks", this, m -> Math.max(0, m.total.get() - m.done.get())).tag("chain", chain)
                .description("Blocks still to ingest before the head (or the end of the input)").register(registry);
        Gauge.builder("chaintrace.ingest.rate", this, m -> m.itemCount.get() / Math.max(1e-9, (System.nanoTime() - m.start) / 1e9))
                .tag("chain", chain).description(unit + " per second since the ingest started").register(registry);
    }

    @Override
    public void started(long total, long alreadyStored) {
        start = System.nanoTime();
        this.total.set(total);
        next.started(total, alreadyStored);
    }

    @Override
    public void block(long transactions) {
        blocks.increment();
        items.increment(transactions);
        done.incrementAndGet();
        itemCount.addAndGet(transactions);
        next.block(transactions);
    }
}
