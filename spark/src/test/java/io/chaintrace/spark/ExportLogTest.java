package io.chaintrace.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/**
 * The export's chunks are large tasks by design: Spark's warning of each is dropped, as Spark words it (4.2); the
 * scheduler's other warnings pass.
 */
class ExportLogTest {
    private static final String SCHEDULER = "org.apache.spark.scheduler.TaskSetManager";

    private static Filter.Result filtered(String text) {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Filter f = ctx.getConfiguration().getLoggerConfig(SCHEDULER).getFilter();
        return f == null ? Filter.Result.NEUTRAL
                : f.filter(Log4jLogEvent.newBuilder().setLoggerName(SCHEDULER).setLevel(Level.WARN).setMessage(new SimpleMessage(text)).build());
    }

    @Test
    void onlyTheLargeTaskWarningIsDropped() {
        ParquetExport.quietLargeTaskWarnings();
        ParquetExport.quietLargeTaskWarnings(); // twice: one filter
        assertEquals(Filter.Result.DENY,
                filtered("Stage 0 contains a task of very large size (28431 KiB). The maximum recommended task size is 1000 KiB."));
        assertEquals(Filter.Result.NEUTRAL, filtered("Lost task 0.0 in stage 1.0 (TID 1) (127.0.0.1 executor 0): java.io.IOException"));
        assertEquals(Filter.Result.NEUTRAL, filtered("Stage 3 was cancelled"));
    }
}
