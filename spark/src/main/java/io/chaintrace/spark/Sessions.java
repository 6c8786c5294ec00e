package io.chaintrace.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions as Chaintrace starts them: local[*] unless a master is named; on loopback; no web UI. */
public final class Sessions {
    private Sessions() {
    }

    public static SparkSession start(String master, String app) {
        SparkSession.Builder b = SparkSession.builder().appName(app).master(master == null ? "local[*]" : master)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC");
        if (master == null || master.startsWith("local")) {
            // One machine: the driver listens on loopback only (Spark would otherwise pick the first interface it finds).
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() * 2)));
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
