package io.chaintrace.spark;

import io.chaintrace.core.trace.HaircutPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Haircut forward from many seeds at once over the Parquet tables. Haircut is linear in value, but its split is in whole
 * satoshi (largest remainder, docs/POLICIES.md), and the rounding of a sum is not the sum of the roundings: a transaction
 * must be split once, with everything its tainted inputs will ever bring. So the job runs in rounds over each seed's
 * candidate transactions (those poison reaches within {@code hops + 1}: haircut reaches no more, and no sooner): a round
 * splits every candidate whose candidate parents are all split, all seeds together, with {@link HaircutPolicy#split} - the
 * single-machine engine's own arithmetic - and pushes the shares to the outputs' spenders. A transaction's hop is one more
 * than the smallest hop among the parents that brought it taint; one first reached past {@code hops} is cut with the taint
 * it received; outputs of labelled services end the trace. The account per seed equals {@code CompactTracer}'s.
 */
public final class HaircutBatch {
    private HaircutBatch() {
    }

    /**
     * What a round's split yields per output (and the fee; and per transaction its edges, or the taint cut past the
     * limit): its amount, what became of it, the service, the hop.
     */
    private static final StructType SHARES = new StructType().add("sid", DataTypes.IntegerType).add("txid", DataTypes.StringType)
            .add("vout", DataTypes.IntegerType).add("amount", DataTypes.LongType).add("kind", DataTypes.StringType)
            .add("entity", DataTypes.StringType).add("hop", DataTypes.IntegerType);

    public static List<TaintBatch.Result> run(SparkSession spark, String parquet, List<TaintBatch.SeedLine> seeds, int hops, Set<String> stopAt) {
        TaintBatch.register(spark, parquet, seeds, stopAt);
        // What taint can pass through an output: of value, not a service's, not one of the seed's own (seeds keep their value).
        String passes = " o.value > 0 and st.address is null and so.sid is null ";
        String outsOf = " join ct_outputs o on o.txid = f.tx left join ct_stops st on st.address = o.address"
                + " left join ct_seed_outputs so on so.sid = f.sid and so.txid = o.txid and so.vout = o.vout ";
        // 1. Candidates: the transactions poison reaches within hops + 1 (a haircut share can be 0, never more than all).
        // A query run a hop: the candidates are the union of the frontiers, each checkpointed (on a cluster every job costs its
        // scheduling whatever its size, so nothing is materialised twice).
        Dataset<Row> frontier = spark.sql("select distinct sid, spent_by as tx from ct_seed_outputs where spent_by is not null").localCheckpoint();
        Dataset<Row> candidates = frontier;
        for (int h = 1; h <= hops; h++) {
            frontier.createOrReplaceTempView("ct_frontier");
            Dataset<Row> next = spark.sql("select distinct f.sid, o.spent_by as tx from ct_frontier f" + outsOf + "where" + passes
                    + "and o.spent_by is not null");
            frontier = next.join(candidates, next.col("sid").equalTo(candidates.col("sid")).and(next.col("tx").equalTo(candidates.col("tx"))),
                    "left_anti").localCheckpoint();
            candidates = candidates.union(frontier);
        }
        candidates = candidates.localCheckpoint();
        candidates.createOrReplaceTempView("ct_candidates");
        // The rounds read only the candidates' rows: taken out of the tables once (small enough to broadcast, where the
        // whole outputs table was shuffled again every round).
        spark.sql("select distinct tx from ct_candidates").localCheckpoint().createOrReplaceTempView("ct_cand_tx");
        spark.sql("select o.* from ct_outputs o join ct_cand_tx c on c.tx = o.txid").localCheckpoint().createOrReplaceTempView("ct_c_outputs");
        spark.sql("select i.* from ct_inputs i join ct_cand_tx c on c.tx = i.txid").localCheckpoint().createOrReplaceTempView("ct_c_inputs");
        spark.sql("select s.* from ct_txsum s join ct_cand_tx c on c.tx = s.txid").localCheckpoint().createOrReplaceTempView("ct_c_txsum");
        outsOf = outsOf.replace("join ct_outputs o", "join ct_c_outputs o");
        // 2. Which candidate waits for which: a child spends a parent's output that can carry taint.
        spark.sql("select distinct f.sid, f.tx as parent, o.spent_by as child from ct_candidates f" + outsOf
                + " join ct_candidates c on c.sid = f.sid and c.tx = o.spent_by where" + passes).localCheckpoint()
                .createOrReplaceTempView("ct_waits");
        // 3. Rounds: taint on outputs that pass it on (seeds' own first, hop 0), the candidates not split yet. Four queries
        // run a round: the ready candidates, their split, the round's sums (with how many were ready), what is left pending; the
        // taint is the union of the rounds' splits, each checkpointed.
        Dataset<Row> taint = spark.sql("select sid, txid, vout, value as amount, 0 as hop from ct_seed_outputs where spent_by is not null")
                .localCheckpoint();
        Dataset<Row> pending = candidates;
        Map<Integer, long[]> sums = new HashMap<>(); // endpoints, unspent, fees, absorbed, edges, cut
        Map<Integer, Map<String, Long>> byEntity = new HashMap<>();
        while (true) {
            pending.createOrReplaceTempView("ct_pending");
            Dataset<Row> ready = spark.sql("select p.sid, p.tx from ct_pending p left anti join (select w.sid, w.child from ct_waits w"
                    + " join ct_pending q on q.sid = w.sid and q.tx = w.parent) b on b.sid = p.sid and b.child = p.tx").localCheckpoint();
            ready.createOrReplaceTempView("ct_ready");
            taint.createOrReplaceTempView("ct_taint");
            // The taint each ready transaction receives (none: the trace never reaches it) and its hop; split when the hop
            // is within the limit, cut with that taint when it is past it.
            spark.sql("select r.sid, r.tx, sum(t.amount) as taint_in, min(t.hop) + 1 as hop from ct_ready r join ct_c_inputs i on i.txid = r.tx"
                    + " join ct_taint t on t.sid = r.sid and t.txid = i.prev_txid and t.vout = i.prev_vout group by r.sid, r.tx")
                    .createOrReplaceTempView("ct_in");
            Dataset<Row> split = spark.sql("select i.sid, i.tx, i.hop, i.taint_in, greatest(0, s.vin - s.vout_sum) as fee, s.n,"
                    + " array_sort(collect_list(struct(o.vout, o.value, so.sid is not null as is_seed, st.entity, o.spent_by))) as outs"
                    + " from ct_in i join ct_c_txsum s on s.txid = i.tx join ct_c_outputs o on o.txid = i.tx"
                    + " left join ct_stops st on st.address = o.address"
                    + " left join ct_seed_outputs so on so.sid = i.sid and so.txid = o.txid and so.vout = o.vout"
                    + " group by i.sid, i.tx, i.hop, i.taint_in, s.vin, s.vout_sum, s.n")
                    .flatMap((FlatMapFunction<Row, Row>) tx -> shares(tx, hops), Encoders.row(SHARES)).localCheckpoint();
            split.createOrReplaceTempView("ct_split");
            long readyCount = 0;
            for (Row r : spark.sql("select sid, kind, entity, sum(amount) from ct_split where kind <> 'taint' group by sid, kind, entity"
                    + " union all select -1, 'ready', null, count(*) from ct_ready").collectAsList()) {
                long v = r.getLong(3);
                if (r.getString(1).equals("ready")) {
                    readyCount = v;
                    continue;
                }
                long[] a = sums.computeIfAbsent(r.getInt(0), k -> new long[6]);
                switch (r.getString(1)) {
                    case "endpoint" -> {
                        a[0] += v;
                        byEntity.computeIfAbsent(r.getInt(0), k -> new TreeMap<>()).merge(r.getString(2), v, Long::sum);
                    }
                    case "unspent" -> a[1] += v;
                    case "fee" -> a[2] += v;
                    case "absorbed" -> a[3] += v;
                    case "edges" -> a[4] += v;
                    case "cut" -> a[5] += v;
                    default -> throw new IllegalStateException(r.getString(1));
                }
            }
            if (readyCount == 0) {
                if (!pending.isEmpty()) {
                    throw new IllegalStateException("the spends in the tables form a cycle: they are not a chain");
                }
                break;
            }
            taint = taint.union(spark.sql("select sid, txid, vout, amount, hop from ct_split where kind = 'taint'"));
            pending = pending.join(ready, pending.col("sid").equalTo(ready.col("sid")).and(pending.col("tx").equalTo(ready.col("tx"))),
                    "left_anti").localCheckpoint();
        }
        Map<Integer, long[]> seeded = TaintBatch.seeded(spark);
        List<TaintBatch.Result> results = new ArrayList<>();
        for (int i = 0; i < seeds.size(); i++) {
            long[] a = sums.getOrDefault(i, new long[6]);
            long[] s = seeded.getOrDefault(i, new long[2]);
            results.add(new TaintBatch.Result(seeds.get(i).id(), seeds.get(i).seed(), "haircut", hops, s[0], a[0], a[1] + s[1], a[2], a[5], a[3],
                    byEntity.getOrDefault(i, Map.of()), a[4]));
        }
        return results;
    }

    /**
     * One transaction's split, as {@code CompactTracer} makes it: the taint in by the outputs' values and the fee (in that
     * order, whole satoshi); a seed's own output absorbs its share, a service's output ends it, an unspent output keeps it.
     * A transaction reached past {@code hops} is not split: the taint it received is cut. Either way its inputs and
     * outputs are edges the trace looked at.
     */
    private static Iterator<Row> shares(Row tx, int hops) {
        int sid = tx.getInt(0);
        String txid = tx.getString(1);
        int hop = tx.getInt(2);
        long taintIn = tx.getLong(3);
        long fee = tx.getLong(4);
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create(sid, txid, -1, (long) tx.getInt(5), "edges", null, hop));
        if (hop > hops) {
            rows.add(RowFactory.create(sid, txid, -1, taintIn, "cut", null, hop));
            return rows.iterator();
        }
        List<Row> outs = tx.getList(6);
        int n = outs.size();
        long[] weights = new long[n + 1];
        for (int j = 0; j < n; j++) {
            weights[j] = outs.get(j).getLong(1);
        }
        weights[n] = fee;
        long[] shares = HaircutPolicy.split(taintIn, weights);
        for (int j = 0; j < n; j++) {
            long a = shares[j];
            if (a == 0) {
                continue;
            }
            Row o = outs.get(j);
            String kind = o.getBoolean(2) ? "absorbed" : !o.isNullAt(3) ? "endpoint" : o.isNullAt(4) ? "unspent" : "taint";
            rows.add(RowFactory.create(sid, txid, o.getInt(0), a, kind, o.isNullAt(3) ? null : o.getString(3), hop));
        }
        if (shares[n] > 0) {
            rows.add(RowFactory.create(sid, txid, -1, shares[n], "fee", null, hop));
        }
        return rows.iterator();
    }
}
