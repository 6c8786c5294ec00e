package io.chaintrace.spark;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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

    public static List<TaintBatch.Result> run(SparkSession spark, String parquet, List<TaintBatch.SeedLine> seeds, int hops, Set<String> stopAt) {
        Dataset<Row> seedOutputs = TaintBatch.register(spark, parquet, seeds, stopAt);
        // Two queries run a hop: its sums and the next frontier. The tainted outputs and the transactions reached are
        // unions of what each hop materialised (its outputs cached, its frontier checkpointed), not materialised again:
        // a query's plan stays a union of leaves, and on a cluster each job costs its scheduling whatever its size.
        Dataset<Row> tainted = seedOutputs.select("sid", "txid", "vout", "value");
        Dataset<Row> frontier = spark.sql("select distinct sid, spent_by as tx from ct_seed_outputs where spent_by is not null");
        frontier = frontier.localCheckpoint();
        Dataset<Row> visited = frontier; // within the hop limit: the cut (past it) is the last frontier, never added
        List<Dataset<Row>> hopOutputs = new ArrayList<>();
        Map<Integer, long[]> sums = new HashMap<>(); // endpoints, unspent, fees, absorbed, edges
        Map<Integer, Map<String, Long>> byEntity = new HashMap<>();
        for (int h = 1; h <= hops; h++) {
            frontier.createOrReplaceTempView("ct_frontier");
            Dataset<Row> outs = spark.sql("select f.sid, o.txid, o.vout, o.value, o.spent_by, st.entity, o.address,"
                    + " (so.sid is not null) as is_seed from ct_frontier f join ct_outputs o on o.txid = f.tx"
                    + " left join ct_stops st on st.address = o.address"
                    + " left join ct_seed_outputs so on so.sid = f.sid and so.txid = o.txid and so.vout = o.vout where o.value > 0").cache();
            hopOutputs.add(outs);
            outs.createOrReplaceTempView("ct_outs");
            // Per seed and service: what seeds absorb, what services receive (every value is > 0: a service's row is
            // there only when it received something), what stays unspent.
            for (Row r : spark.sql("select sid, entity, sum(case when is_seed then value else 0 end),"
                    + " sum(case when not is_seed and entity is not null then value else 0 end),"
                    + " sum(case when not is_seed and entity is null and spent_by is null then value else 0 end) from ct_outs group by sid, entity")
                    .collectAsList()) {
                long[] a = sums.computeIfAbsent(r.getInt(0), k -> new long[5]);
                a[3] += r.getLong(2);
                a[0] += r.getLong(3);
                a[1] += r.getLong(4);
                if (r.getLong(3) > 0) {
                    byEntity.computeIfAbsent(r.getInt(0), k -> new TreeMap<>()).merge(r.getString(1), r.getLong(3), Long::sum);
                }
            }
            tainted = tainted.union(outs.filter("not is_seed and entity is null").select("sid", "txid", "vout", "value"));
            Dataset<Row> next = spark.sql("select distinct sid, spent_by as tx from ct_outs where not is_seed and entity is null and spent_by is not null");
            frontier = next.join(visited, next.col("sid").equalTo(visited.col("sid")).and(next.col("tx").equalTo(visited.col("tx"))), "left_anti")
                    .localCheckpoint();
            if (h < hops) {
                visited = visited.union(frontier);
            }
        }
        // Fees: what a transaction's known inputs hold beyond its outputs; edges: its inputs and outputs, looked at once.
        // Each transaction is in one hop's frontier: summed once over all of them.
        (hops > 0 ? visited : visited.where("false")).createOrReplaceTempView("ct_reached");
        for (Row r : spark.sql("select f.sid, sum(greatest(0, t.vin - t.vout_sum)), sum(t.n) from ct_reached f join ct_txsum t"
                + " on t.txid = f.tx group by f.sid").collectAsList()) {
            long[] a = sums.computeIfAbsent(r.getInt(0), k -> new long[5]);
            a[2] += r.getLong(1);
            a[4] += r.getLong(2);
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
        hopOutputs.forEach(Dataset::unpersist);
        Map<Integer, long[]> seeded = TaintBatch.seeded(spark);
        List<TaintBatch.Result> results = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            long[] a = sums.getOrDefault(i, new long[5]);
            long[] s = seeded.getOrDefault(i, new long[2]);
            results.add(new TaintBatch.Result(seeds.get(i).id(), seeds.get(i).seed(), "poison", hops, s[0], a[0], a[1] + s[1], a[2], cut.getOrDefault(i, 0L),
                    a[3], byEntity.getOrDefault(i, Map.of()), a[4]));
        }
        return results;
    }
}
