package io.chaintrace.spark;

import io.chaintrace.core.cluster.ClusterTx;
import io.chaintrace.core.cluster.Clusterer;
import io.chaintrace.core.cluster.UnionFind;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.CoinJoinClassifier;
import io.chaintrace.core.pattern.PeelChainDetector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The whole chain's Bitcoin clustering over the Parquet tables, as the single-machine clusterer makes it (docs/CLUSTERING.md):
 * every input of a transaction that is not a CoinJoin belongs to one entity, and so does the change output that two change
 * heuristics name when none names another. Which addresses a transaction joins is a function of that transaction alone
 * (its inputs, outputs, whether each output's address appears there first, whether a peel step's remainder is spent by
 * another peel step), so each transaction is judged in parallel by core's own classes ({@link CoinJoinClassifier},
 * {@link Clusterer#change}); the entities are then the connected components of the links, found with the large-star /
 * small-star algorithm of Kiveris et al., "Connected Components in MapReduce and Beyond" (SoCC 2014) in DataFrames
 * (GraphFrames, which runs the same algorithm, has no release for Spark 4 on Maven Central). An entity is named by its
 * first-seen address, as the store names it; the result has the export's {@code entities} columns.
 */
public final class SparkClustering {
    private SparkClustering() {
    }

    /** What a run found: transactions judged, CoinJoins skipped, links by reason, entities and their addresses, rounds. */
    public record Summary(long transactions, long coinjoinsSkipped, long multiInputPairs, long changePairs, long entities, long addresses,
                          int rounds) {
    }

    /** The entities (address, entity) and the summary. */
    public record Outcome(Dataset<Row> entities, Summary summary) {
    }

    private static final StructType JUDGED = new StructType().add("txid", DataTypes.StringType).add("coinjoin", DataTypes.BooleanType)
            .add("remainder", DataTypes.IntegerType);

    private static final StructType PAIRS = new StructType().add("a", DataTypes.LongType).add("b", DataTypes.LongType)
            .add("reason", DataTypes.StringType);

    public static Outcome run(SparkSession spark, String parquet) {
        Dataset<Row> txs = TxRows.register(spark, parquet);
        // 1. Each transaction alone: a CoinJoin? a peel step, and its remainder?
        txs.map((MapFunction<Row, Row>) SparkClustering::judge, Encoders.row(JUDGED)).localCheckpoint().createOrReplaceTempView("cl_judged");
        // 2. With its remainder's spender: does the peel chain go on (the peel-continuation heuristic)?
        spark.sql("select t.*, j.coinjoin, s.remainder is not null as peel_continues from cl_txs t join cl_judged j on j.txid = t.txid"
                + " left join cl_outputs o on o.txid = t.txid and o.vout = j.remainder left join cl_judged s on s.txid = o.spent_by")
                .createOrReplaceTempView("cl_ready");
        // 3. The pairs of owners each transaction joins.
        Dataset<Row> pairs = spark.sql("select * from cl_ready").flatMap((FlatMapFunction<Row, Row>) SparkClustering::links, Encoders.row(PAIRS))
                .localCheckpoint();
        long transactions = txs.count();
        long coinjoins = spark.sql("select count(*) from cl_judged where coinjoin").first().getLong(0);
        long multi = pairs.filter("reason = 'multi_input'").count();
        long change = pairs.filter("reason = 'change'").count();
        // 4. Connected components: every owner pointing to its component's smallest number.
        Components cc = components(spark, pairs.selectExpr("greatest(a, b) as src", "least(a, b) as dst").filter("src <> dst").distinct());
        cc.stars().createOrReplaceTempView("cl_stars");
        Dataset<Row> entities = spark.sql("select m.address, r.address as entity from (select src as node, dst as root from cl_stars"
                + " union all select distinct dst, dst from cl_stars) s join cl_nodes m on m.node = s.node join cl_nodes r on r.node = s.root")
                .localCheckpoint();
        long members = entities.count();
        long groups = entities.select("entity").distinct().count();
        return new Outcome(entities, new Summary(transactions, coinjoins, multi, change, groups, members, cc.rounds()));
    }

    /** Stars (src, dst): every owner of a component of two or more, but its root, with the root (the smallest). */
    record Components(Dataset<Row> stars, int rounds) {
    }

    /**
     * Large-star / small-star until every edge points from a leaf to its component's smallest node: the edges are kept
     * with {@code src > dst}; large-star links each node's larger neighbours to the smallest node it sees, small-star links
     * a node and its smaller neighbours to the smallest of them. Both keep the components; together they end in stars in
     * O(log^2 n) rounds (in practice a handful). Each round's edges are materialised, so a plan never carries the rounds
     * before it.
     */
    static Components components(SparkSession spark, Dataset<Row> edges) {
        Dataset<Row> e = edges.localCheckpoint();
        for (int round = 1; ; round++) {
            e.createOrReplaceTempView("cc_e");
            // Large-star: for each node u, m = the smallest of u and its neighbours; each neighbour v > u is linked to m.
            spark.sql("select src as u, dst as v from cc_e union all select dst, src from cc_e").createOrReplaceTempView("cc_n");
            Dataset<Row> large = spark.sql("select distinct n.v as src, m.m as dst from cc_n n join (select u, least(u, min(v)) as m from cc_n"
                    + " group by u) m on m.u = n.u where n.v > n.u").localCheckpoint();
            large.createOrReplaceTempView("cc_l");
            // Small-star: for each node u, m = the smallest of its smaller neighbours; they and u are linked to m.
            Dataset<Row> small = spark.sql("select distinct src, dst from (select l.dst as src, m.m as dst from cc_l l join (select src as u,"
                    + " min(dst) as m from cc_l group by src) m on m.u = l.src where l.dst <> m.m union all select src, min(dst) from cc_l group by src)")
                    .localCheckpoint();
            small.createOrReplaceTempView("cc_s");
            // Done when every node has one edge, to a node that has none: stars around each component's smallest node.
            Row done = spark.sql("select count(*), count(distinct src), (select count(*) from cc_s where dst in (select src from cc_s)) from cc_s").first();
            e = small;
            if (done.getLong(0) == done.getLong(1) && done.getLong(2) == 0) {
                return new Components(e, round);
            }
        }
    }

    private static Row judge(Row t) {
        UtxoTransaction tx = TxRows.transaction(t);
        boolean coinjoin = CoinJoinClassifier.standard().match(tx).isPresent();
        Integer remainder = PeelChainDetector.DEFAULT.remainder(tx).map(TxOutput::index).orElse(null);
        return RowFactory.create(t.getString(0), coinjoin, remainder);
    }

    private static final Clusterer CHANGE = Clusterer.standard(new UnionFind(1));

    /** The owners one transaction joins: its inputs (unless a CoinJoin) and its change, as {@link Clusterer#accept} joins them. */
    private static Iterator<Row> links(Row t) {
        List<Row> out = new ArrayList<>();
        if (t.getBoolean(6)) {
            return out.iterator(); // a CoinJoin's inputs are many owners
        }
        List<Row> ins = t.getList(4);
        List<Row> outs = t.getList(5);
        int n = ins.size();
        int[] inOwner = new int[n];
        ScriptKind[] inKind = new ScriptKind[n];
        long[] inValue = new long[n];
        long[] nodes = new long[n + outs.size()];
        int first = -1;
        int m = outs.size();
        // Owner ids as the heuristics compare them (for equality only): the first place, among inputs then outputs, its
        // node appears; -1 for none.
        java.util.Map<Long, Integer> ids = new java.util.HashMap<>();
        for (int k = 0; k < n; k++) {
            Row i = ins.get(k);
            boolean owned = "resolved".equals(i.getString(3)) && !i.isNullAt(7);
            inOwner[k] = owned ? ids.computeIfAbsent(i.getLong(7), x -> ids.size()) : -1;
            inKind[k] = owned ? ScriptKind.valueOf(i.getString(6).toUpperCase(Locale.ROOT)) : null;
            inValue[k] = i.isNullAt(4) ? 0 : i.getLong(4);
            if (owned) {
                nodes[k] = i.getLong(7);
                if (first < 0) {
                    first = k;
                } else if (nodes[k] != nodes[first]) {
                    out.add(RowFactory.create(nodes[first], nodes[k], "multi_input"));
                }
            }
        }
        if (first < 0) {
            return out.iterator();
        }
        int[] outOwner = new int[m];
        ScriptKind[] outKind = new ScriptKind[m];
        long[] outValue = new long[m];
        boolean[] fresh = new boolean[m];
        for (int k = 0; k < m; k++) {
            Row o = outs.get(k);
            boolean owned = !o.isNullAt(4);
            nodes[n + k] = owned ? o.getLong(4) : -1;
            outOwner[k] = owned ? ids.computeIfAbsent(o.getLong(4), x -> ids.size()) : -1;
            outKind[k] = ScriptKind.valueOf(o.getString(2).toUpperCase(Locale.ROOT));
            outValue[k] = o.getLong(1);
            fresh[k] = owned && o.getBoolean(5);
        }
        OptionalInt change = CHANGE.change(new ClusterTx(inOwner, inKind, inValue, outOwner, outKind, outValue, fresh, false, t.getBoolean(7)));
        if (change.isPresent() && outOwner[change.getAsInt()] >= 0) {
            out.add(RowFactory.create(nodes[first], nodes[n + change.getAsInt()], "change"));
        }
        return out.iterator();
    }
}
