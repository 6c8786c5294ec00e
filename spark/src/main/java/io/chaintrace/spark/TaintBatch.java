package io.chaintrace.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Forward taint for many seeds at once over the Parquet tables, one account per seed with the fields (and names) of
 * {@code chaintrace batch}'s result lines. One class per policy: {@link PoisonBatch} (reachability, one join per hop) and
 * {@link HaircutBatch} (each transaction split once, when every tainted input it has is final). Both stop at outputs of
 * labelled services and cut what is first reached past the hop limit, as the single-machine {@code CompactTracer} does.
 */
public final class TaintBatch {
    private TaintBatch() {
    }

    /** The policies that run on Spark. */
    public static final List<String> POLICIES = List.of("poison", "haircut");

    /** A seed of the batch: its id, text and line in the seeds file (0: not from a file), as in {@code chaintrace batch}. */
    public record SeedLine(String id, String seed, long line) {
        public SeedLine(String id, String seed) {
            this(id, seed, 0);
        }
    }

    /** A seed that cannot be traced: the error line of {@code chaintrace batch} (same fields). */
    public record SeedError(String id, String seed, long line, String error) {
    }

    /** One seed's account, with the fields (and names) of {@code chaintrace batch}'s result lines. */
    public record Result(String id, String seed, String policy, int hops, long seeded, long endpoints, long unspent, long fees, long cutByHops,
                         long absorbedBySeeds, Map<String, Long> endpointsByEntity, long edgesVisited) {
    }

    public static List<Result> run(SparkSession spark, String parquet, List<SeedLine> seeds, String policy, int hops, Set<String> stopAt) {
        return switch (policy) {
            case "poison" -> PoisonBatch.run(spark, parquet, seeds, hops, stopAt);
            case "haircut" -> HaircutBatch.run(spark, parquet, seeds, hops, stopAt);
            default -> throw new IllegalArgumentException("--policy " + policy + " does not run on Spark (" + String.join(", ", POLICIES)
                    + " do); chaintrace batch runs every policy on one machine");
        };
    }

    /**
     * The views both policies read: {@code ct_transactions, ct_outputs, ct_inputs, ct_labels}; {@code ct_seeds} (sid, txid,
     * vout: null for all of a transaction's outputs); {@code ct_stops} (address, entity: a service's most confident label
     * among the stop categories); {@code ct_txsum} (txid, vout_sum, vin: known inputs' value, n: inputs and outputs, the
     * edges a trace looks at); {@code ct_seed_outputs} (sid, txid, vout, value, spent_by: the seeds' outputs of value).
     */
    static Dataset<Row> register(SparkSession spark, String parquet, List<SeedLine> seeds, Set<String> stopAt) {
        Tables.read(spark, parquet, List.of("transactions", "outputs", "inputs", "labels")).forEach((t, d) -> d.createOrReplaceTempView("ct_" + t));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            String s = seeds.get(i).seed().strip();
            int colon = s.indexOf(':');
            rows.add(RowFactory.create(i, colon < 0 ? s.toLowerCase() : s.substring(0, colon).toLowerCase(),
                    colon < 0 ? null : Integer.parseInt(s.substring(colon + 1))));
        }
        spark.createDataFrame(rows, new StructType().add("sid", DataTypes.IntegerType).add("txid", DataTypes.StringType)
                .add("vout", DataTypes.IntegerType)).createOrReplaceTempView("ct_seeds");
        String stops = stopAt.stream().map(c -> "'" + c.replace("'", "") + "'").collect(Collectors.joining(","));
        // A service's outputs end the trace; its name is its most confident label's entity among the stop categories.
        spark.sql("select address, entity from (select address, entity, row_number() over (partition by address order by confidence desc)"
                + " as r from ct_labels where category in (" + (stops.isEmpty() ? "''" : stops) + ")) where r = 1").cache()
                .createOrReplaceTempView("ct_stops");
        spark.sql("select tx.txid, coalesce(o.vout_sum, 0) as vout_sum, coalesce(i.vin, 0) as vin, tx.input_count + tx.output_count as n"
                + " from ct_transactions tx left join (select txid, sum(value) as vout_sum from ct_outputs group by txid) o on o.txid = tx.txid"
                + " left join (select txid, sum(value) as vin from ct_inputs where status = 'resolved' group by txid) i on i.txid = tx.txid")
                .cache().createOrReplaceTempView("ct_txsum");
        Dataset<Row> seedOutputs = spark.sql("select distinct s.sid, o.txid, o.vout, o.value, o.spent_by from ct_seeds s join ct_outputs o"
                + " on o.txid = s.txid and (s.vout is null or o.vout = s.vout) where o.value > 0").cache();
        seedOutputs.createOrReplaceTempView("ct_seed_outputs");
        return seedOutputs;
    }

    /**
     * The seeds the tables do not hold (the output, or the transaction of a whole-transaction seed), by index, with the
     * error line {@code chaintrace batch} writes for a seed its store does not hold. Call after {@link #run}'s views exist.
     */
    public static Map<Integer, SeedError> missing(SparkSession spark, List<SeedLine> seeds) {
        Map<Integer, SeedError> m = new java.util.TreeMap<>();
        for (Row r : spark.sql("select s.sid from ct_seeds s left anti join ct_outputs o on o.txid = s.txid and (s.vout is null or o.vout = s.vout)")
                .collectAsList()) {
            SeedLine l = seeds.get(r.getInt(0));
            String what = l.seed().contains(":") ? "output " + l.seed().strip().toLowerCase() : "transaction " + l.seed().strip().toLowerCase();
            m.put(r.getInt(0), new SeedError(l.id(), l.seed(), l.line(), what + " is not in the tables (export a store that holds it:"
                    + " chaintrace export parquet --store DIR --out DIR)"));
        }
        return m;
    }

    /** Each seed's value and the part of it never spent, by sid. */
    static Map<Integer, long[]> seeded(SparkSession spark) {
        Map<Integer, long[]> seeded = new java.util.HashMap<>();
        for (Row r : spark.sql("select sid, sum(value), sum(case when spent_by is null then value else 0 end) from ct_seed_outputs group by sid")
                .collectAsList()) {
            seeded.put(r.getInt(0), new long[] {r.getLong(1), r.getLong(2)});
        }
        return seeded;
    }
}
