package io.chaintrace.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The tables a job reads, from either of the two layouts a user may have: a Chaintrace export (docs/PARQUET.md) or a
 * bitcoin-etl export ({@link BitcoinEtl}: transactions with nested inputs and outputs, JSON lines or Parquet), told apart
 * by the {@code transactions} table itself. Either way a job sees the export's tables, columns and types, so it needs no
 * Chaintrace store.
 */
final class Tables {
    private Tables() {
    }

    /** The tables {@code names} of {@code dir}, checked first (a missing table or column: one line naming it). */
    static Map<String, Dataset<Row>> read(SparkSession spark, String dir, List<String> names) {
        String etl = BitcoinEtl.format(spark, dir);
        if (etl != null) {
            return BitcoinEtl.tables(spark, dir, etl, names);
        }
        ParquetTables.check(spark, dir, names);
        Map<String, Dataset<Row>> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, spark.read().parquet(ParquetTables.table(dir, n)));
        }
        return m;
    }
}
