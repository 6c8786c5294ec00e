package io.chaintrace.spark;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.ScriptClassifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A bitcoin-etl export read as the export's tables: {@code DIR/transactions} holds bitcoin-etl's transactions (its
 * published schema: {@code hash, block_number, block_timestamp, index, is_coinbase, inputs[index, spent_transaction_hash,
 * spent_output_index, ...], outputs[index, script_hex, value, ...]}), as the JSON lines {@code bitcoinetl
 * export_blocks_and_transactions} writes (Hive-partitioned by block range, plain or gzipped) or as Parquet (the public
 * BigQuery dataset's export). Owners are read from each output's {@code script_hex} with core's {@link ScriptClassifier},
 * as the store reads them (bitcoin-etl names a bare key's coins "nonstandard..." and loses OP_RETURN's kind); an input's
 * value and owner are its output's when the export holds it (status {@code resolved}), as in the store; bitcoin-etl leaves
 * the coinbase input out, the tables show it. Labels and entities are read from {@code DIR/labels} and {@code DIR/entities}
 * in the export's layout when they are there (empty otherwise).
 */
final class BitcoinEtl {
    private BitcoinEtl() {
    }

    /** The largest value a Bitcoin output can hold (21 million BTC in satoshi): more is not a Bitcoin amount. */
    private static final long MAX_SATOSHI = 2_100_000_000_000_000L;

    /** Owner of a locking script, as the tables show it. */
    private static final StructType OWNER = new StructType().add("kind", DataTypes.StringType).add("address", DataTypes.StringType);

    /** The columns of bitcoin-etl's JSON the tables are made from (the others are left unread). */
    static final StructType JSON = new StructType()
            .add("hash", DataTypes.StringType).add("block_number", DataTypes.LongType).add("block_timestamp", DataTypes.LongType)
            .add("index", DataTypes.LongType).add("is_coinbase", DataTypes.BooleanType)
            .add("inputs", DataTypes.createArrayType(new StructType().add("index", DataTypes.LongType)
                    .add("spent_transaction_hash", DataTypes.StringType).add("spent_output_index", DataTypes.LongType)))
            .add("outputs", DataTypes.createArrayType(new StructType().add("index", DataTypes.LongType)
                    .add("script_hex", DataTypes.StringType).add("value", DataTypes.createDecimalType(38, 9))));

    /** Whether {@code dir}'s {@code transactions} table is bitcoin-etl's (JSON lines, or Parquet with nested inputs). */
    static boolean holds(SparkSession spark, String dir) {
        return format(spark, dir) != null;
    }

    /** "json" or "parquet" when {@code dir}'s {@code transactions} table is bitcoin-etl's; null when it is not. */
    static String format(SparkSession spark, String dir) {
        String first = firstFile(spark, ParquetTables.table(dir, "transactions"));
        if (first == null) {
            return null;
        }
        if (first.endsWith(".json") || first.endsWith(".json.gz")) {
            return "json";
        }
        StructType schema = spark.read().parquet(ParquetTables.table(dir, "transactions")).schema();
        return java.util.Arrays.stream(schema.fieldNames()).anyMatch("inputs"::equals) ? "parquet" : null;
    }

    /** The first data file under {@code table} (null: no such directory, or no file in it). */
    static String firstFile(SparkSession spark, String table) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(table);
        try {
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(p)) {
                return null;
            }
            String[] first = new String[1];
            FileWalk.files(fs, p, f -> {
                String name = f.getName();
                if (!name.startsWith("_") && !name.startsWith(".")) {
                    first[0] = name;
                    return false;
                }
                return true;
            });
            return first[0];
        } catch (IOException e) {
            throw new UncheckedIOException("blockchain-etl " + table + ": cannot list: " + e.getMessage(), e);
        }
    }

    /**
     * The tables {@code names} made from the export at {@code dir} (its {@link #format}); every row checked, a bad one
     * stops with one line.
     */
    static Map<String, Dataset<Row>> tables(SparkSession spark, String dir, String format, List<String> names) {
        String table = ParquetTables.table(dir, "transactions");
        Dataset<Row> raw = format.equals("json")
                ? spark.read().schema(JSON).option("mode", "PERMISSIVE").json(table)
                : spark.read().parquet(table);
        checkColumns(dir, raw.schema());
        raw.withColumn("file", org.apache.spark.sql.functions.input_file_name()).createOrReplaceTempView("etl_raw");
        spark.udf().register("ct_owner", (UDF1<String, Row>) BitcoinEtl::owner, OWNER);
        String time = raw.schema().apply("block_timestamp").dataType() instanceof org.apache.spark.sql.types.TimestampType
                ? "unix_seconds(block_timestamp)" : "cast(block_timestamp as bigint)";
        spark.sql("select hash as txid, cast(block_number as int) as height, cast(`index` as int) as position, " + time + " as time,"
                + " coalesce(is_coinbase, false) as coinbase, inputs, outputs, file from etl_raw").createOrReplaceTempView("etl_tx");
        // Outputs and inputs flat, materialised once: every table below reads them, and the check reads them first.
        Dataset<Row> outs = spark.sql("select t.txid, cast(o.`index` as int) as vout, t.height, t.position, t.time, o.value as raw_value,"
                + " ct_owner(o.script_hex) as owner, o.script_hex is null as no_script, t.file from etl_tx t lateral view explode(t.outputs) x as o")
                .localCheckpoint();
        outs.createOrReplaceTempView("etl_outs");
        Dataset<Row> ins = spark.sql("select t.txid, cast(coalesce(i.`index`, p) as int) as n, t.height, i.spent_transaction_hash as prev_txid,"
                + " cast(i.spent_output_index as int) as prev_vout, t.file from etl_tx t lateral view posexplode(t.inputs) x as p, i"
                + " where not t.coinbase").localCheckpoint();
        ins.createOrReplaceTempView("etl_ins");
        checkRows(spark, dir);
        spark.sql("select txid, vout, height, position, time, cast(raw_value as bigint) as value, owner.kind as kind, owner.address as address"
                + " from etl_outs").createOrReplaceTempView("etl_outputs");
        Map<String, Dataset<Row>> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, switch (n) {
                case "transactions" -> spark.sql("select txid, height, position, time, coinbase, case when coinbase then 1 else size(inputs) end"
                        + " as input_count, size(outputs) as output_count, " + range("height") + " from etl_tx");
                case "outputs" -> spark.sql("select o.txid, o.vout, o.height, o.position, o.time, o.value, o.kind, o.address, i.txid as spent_by, "
                        + range("o.height") + " from etl_outputs o left join etl_ins i on i.prev_txid = o.txid and i.prev_vout = o.vout");
                case "inputs" -> spark.sql("select i.txid, i.n, i.height, i.prev_txid, i.prev_vout, case when o.txid is null then 'unresolved'"
                        + " else 'resolved' end as status, o.value, o.address, " + range("i.height") + " from etl_ins i left join etl_outputs o"
                        + " on o.txid = i.prev_txid and o.vout = i.prev_vout union all select txid, 0, height, null, null, 'coinbase', null, null, "
                        + range("height") + " from etl_tx where coinbase");
                case "labels", "entities" -> beside(spark, dir, n);
                default -> throw new IllegalArgumentException("blockchain-etl " + dir + ": has no table '" + n + "' (a bitcoin-etl export holds"
                        + " Bitcoin transactions; Ethereum transfers are read from a Chaintrace export)");
            });
        }
        return m;
    }

    private static String range(String height) {
        return "cast(floor(" + height + " / " + ParquetTables.RANGE + ") * " + ParquetTables.RANGE + " as int) as height_range";
    }

    /** Labels or entities in the export's layout beside the bitcoin-etl tables; none when absent. */
    static Dataset<Row> beside(SparkSession spark, String dir, String name) {
        if (firstFile(spark, ParquetTables.table(dir, name)) == null) {
            return spark.createDataFrame(List.<Row>of(), ParquetTables.ALL.get(name));
        }
        ParquetTables.check(spark, dir, List.of(name));
        return spark.read().parquet(ParquetTables.table(dir, name));
    }

    /** The columns the tables are made from, present and of a type that holds what bitcoin-etl writes there exactly. */
    private static void checkColumns(String dir, StructType schema) {
        String where = "blockchain-etl " + dir + ": table 'transactions'";
        for (String c : List.of("hash", "block_number", "block_timestamp", "index", "is_coinbase", "inputs", "outputs")) {
            if (!java.util.Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException(where + " has no column '" + c + "'");
            }
        }
        for (String[] nested : new String[][] {{"inputs", "spent_transaction_hash"}, {"inputs", "spent_output_index"}, {"outputs", "index"},
                {"outputs", "script_hex"}, {"outputs", "value"}}) {
            DataType t = schema.apply(nested[0]).dataType();
            StructType element = t instanceof ArrayType a && a.elementType() instanceof StructType s ? s : null;
            if (element == null) {
                throw new IllegalArgumentException(where + " column '" + nested[0] + "' is " + t.simpleString() + ", not an array of records");
            }
            if (!java.util.Arrays.asList(element.fieldNames()).contains(nested[1])) {
                throw new IllegalArgumentException(where + " has no column '" + nested[0] + "." + nested[1] + "'");
            }
        }
        StructField value = ((StructType) ((ArrayType) schema.apply("outputs").dataType()).elementType()).apply("value");
        DataType v = value.dataType();
        boolean exact = v instanceof DecimalType || v.equals(DataTypes.LongType) || v.equals(DataTypes.IntegerType);
        if (!exact) {
            throw new IllegalArgumentException(where + " column 'outputs.value' is " + v.simpleString()
                    + ", not whole satoshi (bitcoin-etl writes integers; a floating-point amount is not exact)");
        }
    }

    /** The first row the tables cannot be made from, as one line naming the file, the transaction and the column. */
    private static void checkRows(SparkSession spark, String dir) {
        List<Row> bad = spark.sql("select file, coalesce(txid, '(none)'), case when txid is null then 'hash'"
                + " when height is null or height < 0 then 'block_number' when position is null then 'index' when time is null then 'block_timestamp'"
                + " end from etl_tx where txid is null or height is null or height < 0 or position is null or time is null limit 1").collectAsList();
        if (!bad.isEmpty()) {
            throw rowError(bad.get(0), "is missing or not a number (not a bitcoin-etl transaction line)");
        }
        bad = spark.sql("select file, txid, concat('outputs[', coalesce(cast(vout as string), '?'), '].', case when vout is null then 'index'"
                + " when no_script then 'script_hex' when owner is null then 'script_hex' else 'value' end) from etl_outs where vout is null or no_script"
                + " or owner is null or raw_value is null or raw_value < 0 or raw_value > " + MAX_SATOSHI + " or raw_value <> floor(raw_value) limit 1")
                .collectAsList();
        if (!bad.isEmpty()) {
            throw rowError(bad.get(0), "is missing or not valid (script_hex: hex of the locking script; value: whole satoshi, 0 to 21 million BTC)");
        }
        bad = spark.sql("select file, txid, concat('inputs[', n, '].', case when prev_txid is null then 'spent_transaction_hash'"
                + " else 'spent_output_index' end) from etl_ins where prev_txid is null or prev_vout is null or prev_vout < 0 limit 1").collectAsList();
        if (!bad.isEmpty()) {
            throw rowError(bad.get(0), "is missing (a spending input names the output it spends)");
        }
    }

    private static IllegalArgumentException rowError(Row r, String what) {
        return new IllegalArgumentException("blockchain-etl " + r.getString(0) + ": transaction " + r.getString(1) + ": column '" + r.getString(2)
                + "' " + what);
    }

    /** The kind and owner of a locking script given as hex; null when it is not hex. */
    static Row owner(String scriptHex) {
        if (scriptHex == null) {
            return null;
        }
        byte[] script;
        try {
            script = HexFormat.of().parseHex(scriptHex);
        } catch (IllegalArgumentException e) {
            return null;
        }
        ScriptClassifier.Owner o = CLASSIFIER.classify(script);
        return RowFactory.create(o.kind().name().toLowerCase(Locale.ROOT), o.address().map(Address::shown).orElse(null));
    }

    private static final ScriptClassifier CLASSIFIER = new ScriptClassifier(org.bitcoinj.base.BitcoinNetwork.MAINNET);
}
