package io.chaintrace.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The tables a job reads, from any of the layouts a user may have: a Chaintrace export (docs/PARQUET.md), a bitcoin-etl
 * export ({@link BitcoinEtl}: transactions with nested inputs and outputs, JSON lines or Parquet) or an ethereum-etl
 * export ({@link EthereumEtl}: its CSV or JSON-lines tables, read as the transfers they make), told apart by their files. Either way a job sees the export's tables, columns and types, so it needs no
 * Chaintrace store.
 */
final class Tables {
    private Tables() {
    }

    /** The tables {@code names} of {@code dir}, checked first (a missing table or column: one line naming it). */
    static Map<String, Dataset<Row>> read(SparkSession spark, String dir, List<String> names) {
        Map<String, List<String>> eth = EthereumEtl.files(spark, dir);
        if (eth != null) {
            Map<String, Dataset<Row>> m = new LinkedHashMap<>();
            for (String n : names) {
                m.put(n, switch (n) {
                    case "transfers" -> EthereumEtl.transfers(spark, dir, eth);
                    case "labels", "entities" -> BitcoinEtl.beside(spark, dir, n);
                    default -> throw new IllegalArgumentException("ethereum-etl " + dir + ": has no table '" + n + "' (an ethereum-etl export"
                            + " holds Ethereum transfers; Bitcoin's tables come from a Chaintrace or a bitcoin-etl export)");
                });
            }
            return m;
        }
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

    /** The chains whose rows the tables hold: bitcoin (transactions, either layout), ethereum (transfers). */
    static List<String> chains(SparkSession spark, String dir) {
        List<String> out = new java.util.ArrayList<>();
        if (EthereumEtl.files(spark, dir) != null) {
            return List.of("ethereum");
        }
        if (BitcoinEtl.format(spark, dir) != null || holds(spark, dir, "transactions")) {
            out.add("bitcoin");
        }
        if (holds(spark, dir, "transfers")) {
            out.add("ethereum");
        }
        return out;
    }

    /** Whether {@code dir} has table {@code name} of the export's layout with a row in it (an empty table has no data file). */
    private static boolean holds(SparkSession spark, String dir, String name) {
        String table = ParquetTables.table(dir, name);
        return BitcoinEtl.firstFile(spark, table) != null && !spark.read().parquet(table).isEmpty();
    }
}
