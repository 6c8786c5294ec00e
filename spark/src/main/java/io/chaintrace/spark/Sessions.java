package io.chaintrace.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions as Chaintrace starts them: local[*] unless a master is named (--master, or spark-submit's); local on loopback; no web UI. */
public final class Sessions {
    private Sessions() {
    }

    /** The cost of the jobs of this JVM's session (one session per command). */
    public static final JobMetrics METRICS = new JobMetrics();

    public static SparkSession start(String master, String app) {
        // Under spark-submit the master comes from its --master (as the system property spark.master): never overridden.
        String submitted = System.getProperty("spark.master");
        String m = master != null ? master : submitted != null ? submitted : "local[*]";
        SparkSession.Builder b = SparkSession.builder().appName(app).master(m)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC");
        if (m.startsWith("local")) {
            // One machine: the driver listens on loopback only (Spark would otherwise pick the first interface it finds).
            // A table's height ranges are listed by the driver: past 32 directories Spark lists them in a job, a task per
            // directory, and each task deserialises the whole Hadoop configuration - on the same cores, for listings of
            // the local disk that take microseconds (an export of Ethereum has some 2,100 ranges per table).
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() * 2)))
                    .config("spark.sql.sources.parallelPartitionDiscovery.threshold", Integer.toString(Integer.MAX_VALUE));
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        s.sparkContext().addSparkListener(METRICS);
        return s;
    }
}
