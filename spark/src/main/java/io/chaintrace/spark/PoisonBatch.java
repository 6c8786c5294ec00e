package io.chaintrace.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Poison forward from many seeds at once over the Parquet tables, hop-synchronous: poison taints every output of a
 * transaction a tainted coin enters, so what it reaches does not depend on the order transactions are taken in, and a
 * breadth-first pass, one join per hop for all seeds together, gives each transaction its smallest hop - the
 * single-machine engine's answer ({@code CompactTracer}: the same account per seed, to the satoshi). Taint stops at outputs
 * of labelled services (categories {@code stopAt}); a transaction first reached past {@code hops} is cut, with the taint
 * it received. Seeds: {@code TXID:VOUT} (one output) or {@code TXID} (all its outputs).
 */
public final class PoisonBatch {
    private PoisonBatch() {
    }

    /** A seed of the batch: its id and text, as in {@code chaintrace batch}'s seeds file. */
    public record SeedLine(String id, String seed) {
    }

    /** One seed's account, with the fields (and names) of {@code chaintrace batch}'s result lines. */
    public record Result(String id, String seed, String policy, int hops, long seeded, long endpoints, long unspent, long fees, long cutByHops,
                         long absorbedBySeeds, Map<String, Long> endpointsByEntity, long edgesVisited) {
    }

    public static List<Result> run(SparkSession spark, Path parquet, List<SeedLine> seeds, int hops, Set<String> stopAt) {
        ParquetTables.check(spark, parquet, List.of("transactions", "outputs", "inputs", "labels"));
        for (String t : List.of("transactions", "outputs", "inputs", "labels")) {
            spark.read().parquet(parquet.resolve(t).toString()).createOrReplaceTempView("ct_" + t);
        }
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
                + " as r from ct_labels where category in (" + stops + ")) where r = 1").cache().createOrReplaceTempView("ct_stops");
        spark.sql("select tx.txid, coalesce(o.vout_sum, 0) as vout_sum, coalesce(i.vin, 0) as vin, tx.input_count + tx.output_count as n"
                + " from ct_transactions tx left join (select txid, sum(value) as vout_sum from ct_outputs group by txid) o on o.txid = tx.txid"
                + " left join (select txid, sum(value) as vin from ct_inputs where status = 'resolved' group by txid) i on i.txid = tx.txid")
                .cache().createOrReplaceTempView("ct_txsum");
        Dataset<Row> seedOutputs = spark.sql("select distinct s.sid, o.txid, o.vout, o.value, o.spent_by from ct_seeds s join ct_outputs o"
                + " on o.txid = s.txid and (s.vout is null or o.vout = s.vout) where o.value > 0").cache();
        seedOutputs.createOrReplaceTempView("ct_seed_outputs");
        // Tainted outputs, seeds first; then, hop by hop, every output of a transaction reached that is not a service's.
        Dataset<Row> tainted = seedOutputs.select("sid", "txid", "vout", "value");
        Dataset<Row> frontier = spark.sql("select distinct sid, spent_by as tx from ct_seed_outputs where spent_by is not null");
        frontier = frontier.localCheckpoint();
        Dataset<Row> visited = frontier;
        Map<Integer, long[]> sums = new HashMap<>(); // endpoints, unspent, fees, absorbed, edges
        Map<Integer, Map<String, Long>> byEntity = new HashMap<>();
        for (int h = 1; h <= hops; h++) {
            frontier.createOrReplaceTempView("ct_frontier");
            Dataset<Row> outs = spark.sql("select f.sid, o.txid, o.vout, o.value, o.spent_by, st.entity, o.address,"
                    + " (so.sid is not null) as is_seed from ct_frontier f join ct_outputs o on o.txid = f.tx"
                    + " left join ct_stops st on st.address = o.address"
                    + " left join ct_seed_outputs so on so.sid = f.sid and so.txid = o.txid and so.vout = o.vout where o.value > 0").cache();
            outs.createOrReplaceTempView("ct_outs");
            for (Row r : spark.sql("select sid, sum(case when is_seed then value else 0 end),"
                    + " sum(case when not is_seed and entity is not null then value else 0 end),"
                    + " sum(case when not is_seed and entity is null and spent_by is null then value else 0 end) from ct_outs group by sid")
                    .collectAsList()) {
                long[] a = sums.computeIfAbsent(r.getInt(0), k -> new long[5]);
                a[3] += r.getLong(1);
                a[0] += r.getLong(2);
                a[1] += r.getLong(3);
            }
            for (Row r : spark.sql("select sid, entity, sum(value) from ct_outs where not is_seed and entity is not null group by sid, entity")
                    .collectAsList()) {
                byEntity.computeIfAbsent(r.getInt(0), k -> new TreeMap<>()).merge(r.getString(1), r.getLong(2), Long::sum);
            }
            // Fees: what a transaction's known inputs hold beyond its outputs; edges: its inputs and outputs, looked at once.
            for (Row r : spark.sql("select f.sid, sum(greatest(0, t.vin - t.vout_sum)), sum(t.n) from ct_frontier f join ct_txsum t"
                    + " on t.txid = f.tx group by f.sid").collectAsList()) {
                long[] a = sums.computeIfAbsent(r.getInt(0), k -> new long[5]);
                a[2] += r.getLong(1);
                a[4] += r.getLong(2);
            }
            // Each hop's tables are materialised (local checkpoints): the plan of hop h does not carry hops 1..h-1.
            tainted = tainted.union(outs.filter("not is_seed and entity is null").select("sid", "txid", "vout", "value")).localCheckpoint();
            Dataset<Row> next = spark.sql("select distinct sid, spent_by as tx from ct_outs where not is_seed and entity is null and spent_by is not null");
            frontier = next.join(visited, next.col("sid").equalTo(visited.col("sid")).and(next.col("tx").equalTo(visited.col("tx"))), "left_anti")
                    .localCheckpoint();
            visited = visited.union(frontier).localCheckpoint();
            outs.unpersist();
        }
        // Past the hop limit: each transaction reached first at hops + 1 is cut with the taint its inputs bring.
        frontier.createOrReplaceTempView("ct_cut");
        tainted.createOrReplaceTempView("ct_tainted");
        Map<Integer, Long> cut = new HashMap<>();
        for (Row r : spark.sql("select c.sid, sum(t.value) from ct_cut c join ct_inputs i on i.txid = c.tx join ct_tainted t on t.sid = c.sid"
                + " and t.txid = i.prev_txid and t.vout = i.prev_vout group by c.sid").collectAsList()) {
            cut.put(r.getInt(0), r.getLong(1));
        }
        for (Row r : spark.sql("select c.sid, sum(t.n) from ct_cut c join ct_txsum t on t.txid = c.tx group by c.sid").collectAsList()) {
            sums.computeIfAbsent(r.getInt(0), k -> new long[5])[4] += r.getLong(1);
        }
        Map<Integer, long[]> seeded = new HashMap<>();
        for (Row r : spark.sql("select sid, sum(value), sum(case when spent_by is null then value else 0 end) from ct_seed_outputs group by sid")
                .collectAsList()) {
            seeded.put(r.getInt(0), new long[] {r.getLong(1), r.getLong(2)});
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            long[] a = sums.getOrDefault(i, new long[5]);
            long[] s = seeded.getOrDefault(i, new long[2]);
            results.add(new Result(seeds.get(i).id(), seeds.get(i).seed(), "poison", hops, s[0], a[0], a[1] + s[1], a[2], cut.getOrDefault(i, 0L),
                    a[3], byEntity.getOrDefault(i, Map.of()), a[4]));
        }
        return results;
    }
}
