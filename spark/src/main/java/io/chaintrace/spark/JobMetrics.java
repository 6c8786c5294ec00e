package io.chaintrace.spark;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * What a job cost on the cluster, summed over its tasks as the driver hears of them: tasks, shuffle bytes written and
 * read, bytes spilled, the largest peak execution memory of a task, and executor CPU time. Printed by each command at its
 * end, and what the benchmarks record.
 */
public final class JobMetrics extends SparkListener {
    private final AtomicLong tasks = new AtomicLong();
    private final AtomicLong shuffleWritten = new AtomicLong();
    private final AtomicLong shuffleRead = new AtomicLong();
    private final AtomicLong spilled = new AtomicLong();
    private final AtomicLong peakTaskMemory = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics m = end.taskMetrics();
        if (m == null) {
            return;
        }
        tasks.incrementAndGet();
        shuffleWritten.addAndGet(m.shuffleWriteMetrics().bytesWritten());
        shuffleRead.addAndGet(m.shuffleReadMetrics().totalBytesRead());
        spilled.addAndGet(m.diskBytesSpilled());
        peakTaskMemory.accumulateAndGet(m.peakExecutionMemory(), Math::max);
        cpuNanos.addAndGet(m.executorCpuTime());
    }

    public long shuffleWritten() {
        return shuffleWritten.get();
    }

    public long shuffleRead() {
        return shuffleRead.get();
    }

    /** One line for the end of a command. */
    public String summary() {
        return String.format("spark: %,d tasks, shuffle %.1f MB written / %.1f MB read, %.1f MB spilled, peak task memory %.1f MB,"
                + " executor CPU %.1f s", tasks.get(), shuffleWritten.get() / 1e6, shuffleRead.get() / 1e6, spilled.get() / 1e6,
                peakTaskMemory.get() / 1e6, cpuNanos.get() / 1e9);
    }
}
