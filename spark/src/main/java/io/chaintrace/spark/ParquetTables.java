package io.chaintrace.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The tables of a Chaintrace Parquet export (docs/PARQUET.md): their names, columns and types, in one place for the
 * writer and for the jobs that check what they are given. Each table is a directory of Parquet files partitioned by
 * {@code height_range} (Bitcoin heights, Ethereum block numbers, in steps of {@link #RANGE}).
 */
public final class ParquetTables {
    /** Heights per partition: a job over a range of blocks reads only its partitions. */
    public static final int RANGE = 10_000;

    private ParquetTables() {
    }

    public static final StructType TRANSACTIONS = schema(
            "txid", DataTypes.StringType, "height", DataTypes.IntegerType, "position", DataTypes.IntegerType, "time", DataTypes.LongType,
            "coinbase", DataTypes.BooleanType, "input_count", DataTypes.IntegerType, "output_count", DataTypes.IntegerType,
            "height_range", DataTypes.IntegerType);

    /** Every output, with its owner and the transaction that spent it (null: not spent in the data). Satoshi as long. */
    public static final StructType OUTPUTS = schema(
            "txid", DataTypes.StringType, "vout", DataTypes.IntegerType, "height", DataTypes.IntegerType, "position", DataTypes.IntegerType,
            "time", DataTypes.LongType, "value", DataTypes.LongType, "kind", DataTypes.StringType, "address", DataTypes.StringType,
            "spent_by", DataTypes.StringType, "height_range", DataTypes.IntegerType);

    /** Every input: the output it spends; value and address null when the funding transaction is not in the data. */
    public static final StructType INPUTS = schema(
            "txid", DataTypes.StringType, "n", DataTypes.IntegerType, "height", DataTypes.IntegerType, "prev_txid", DataTypes.StringType,
            "prev_vout", DataTypes.IntegerType, "status", DataTypes.StringType, "value", DataTypes.LongType, "address", DataTypes.StringType,
            "height_range", DataTypes.IntegerType);

    /** Ethereum transfers: amounts exact as decimal text (wei and token units exceed any fixed-width number). */
    public static final StructType TRANSFERS = schema(
            "tx", DataTypes.StringType, "block", DataTypes.LongType, "time", DataTypes.LongType, "tx_index", DataTypes.IntegerType,
            "kind", DataTypes.StringType, "index", DataTypes.IntegerType, "from", DataTypes.StringType, "to", DataTypes.StringType,
            "asset", DataTypes.StringType, "contract", DataTypes.StringType, "decimals", DataTypes.IntegerType, "amount", DataTypes.StringType,
            "height_range", DataTypes.IntegerType);

    public static final StructType LABELS = schema(
            "address", DataTypes.StringType, "chain", DataTypes.StringType, "entity", DataTypes.StringType, "category", DataTypes.StringType,
            "source", DataTypes.StringType, "confidence", DataTypes.DoubleType, "source_category", DataTypes.StringType);

    /** Addresses joined into an entity (multi-member entities only), named by the entity's first address. */
    public static final StructType ENTITIES = schema("address", DataTypes.StringType, "entity", DataTypes.StringType);

    /** Every table by name, in the order they are written. */
    public static final Map<String, StructType> ALL = tables();

    private static Map<String, StructType> tables() {
        Map<String, StructType> m = new LinkedHashMap<>();
        m.put("transactions", TRANSACTIONS);
        m.put("outputs", OUTPUTS);
        m.put("inputs", INPUTS);
        m.put("transfers", TRANSFERS);
        m.put("labels", LABELS);
        m.put("entities", ENTITIES);
        return java.util.Collections.unmodifiableMap(m);
    }

    private static StructType schema(Object... nameType) {
        StructField[] fields = new StructField[nameType.length / 2];
        for (int i = 0; i < fields.length; i++) {
            fields[i] = new StructField((String) nameType[2 * i], (DataType) nameType[2 * i + 1], true, Metadata.empty());
        }
        return new StructType(fields);
    }

    /** Where table {@code name} of the tables at {@code dir} (a local directory or a URI Spark reads: hdfs://, s3a://) lies. */
    public static String table(String dir, String name) {
        return new org.apache.hadoop.fs.Path(dir, name).toString();
    }

    /**
     * Checks that {@code dir} (a local directory, or a URI Spark reads) holds the tables {@code needed} with their columns
     * and types; a missing table or a column missing or of another type stops with one line naming the table and the column.
     */
    public static void check(SparkSession spark, String dir, List<String> needed) {
        for (String table : needed) {
            StructType expected = ALL.get(table);
            org.apache.hadoop.fs.Path t = new org.apache.hadoop.fs.Path(dir, table);
            boolean there;
            try {
                there = t.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(t).isDirectory();
            } catch (java.io.FileNotFoundException e) {
                there = false;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("parquet " + dir + ": cannot read table '" + table + "': " + e.getMessage(), e);
            }
            if (!there) {
                throw new IllegalArgumentException("parquet " + dir + ": table '" + table + "' is missing (expected " + t + ")");
            }
            StructType found = spark.read().parquet(t.toString()).schema();
            for (StructField f : expected.fields()) {
                StructField[] have = java.util.Arrays.stream(found.fields()).filter(x -> x.name().equals(f.name())).toArray(StructField[]::new);
                if (have.length == 0) {
                    throw new IllegalArgumentException("parquet " + dir + ": table '" + table + "' has no column '" + f.name() + "' ("
                            + f.dataType().simpleString() + ")");
                }
                if (!have[0].dataType().equals(f.dataType())) {
                    throw new IllegalArgumentException("parquet " + dir + ": table '" + table + "' column '" + f.name() + "' is "
                            + have[0].dataType().simpleString() + ", not " + f.dataType().simpleString());
                }
            }
        }
    }
}
