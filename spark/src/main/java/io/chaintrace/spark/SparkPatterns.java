package io.chaintrace.spark;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.CoinJoinClassifier;
import io.chaintrace.core.pattern.FanInDetector;
import io.chaintrace.core.pattern.FanOutDetector;
import io.chaintrace.core.pattern.PassThroughDetector;
import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.core.pattern.Payments;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Pattern windows over the whole chain, with the settings of {@code PatternSettings} (docs/PATTERNS.md), giving the alerts
 * the single-machine detectors give. Fan-out and fan-in keep a window per address that depends on that address's payments
 * alone ({@code CounterpartyWindow}): the transactions are grouped by payer (fan-out) or by payee (fan-in), and core's own
 * detector runs over each group in chain order - the parallel part is the grouping. Pass-through chains link a hop to the
 * hop whose forwarded output it spends: each transaction is judged alone ({@link PassThroughDetector#hop}, and its coins no
 * older than {@code passThrough.maxDelay}), then the chain lengths are propagated in SQL, {@code passThrough.minLength}
 * rounds, and a chain is reported at its {@code minLength}-th hop, through the longest chain before it (the first input's
 * on a tie), as the detector reports it.
 */
public final class SparkPatterns {
    private SparkPatterns() {
    }

    /** The patterns this job finds. */
    public static final List<String> PATTERNS = List.of("fan_out", "fan_in", "pass_through");

    /** Alerts: the pattern, the address it is about (payer, payee; null for a chain), its transactions in order, first time. */
    public static final StructType ALERTS = new StructType().add("pattern", DataTypes.StringType).add("node", DataTypes.LongType)
            .add("transactions", DataTypes.createArrayType(DataTypes.StringType)).add("time", DataTypes.LongType);

    /** The alerts, with the address each is about ({@code address}: shown as the export shows it). */
    public static Dataset<Row> run(SparkSession spark, String parquet, PatternSettings settings) {
        Dataset<Row> txs = TxRows.register(spark, parquet);
        Map<String, String> values = settings.values();
        // 1. Fan-out by payer, fan-in by payee: each transaction keyed once per window it belongs to.
        StructType keyedSchema = new StructType().add("pattern", DataTypes.StringType).add("node", DataTypes.LongType)
                .add("height", DataTypes.IntegerType).add("position", DataTypes.IntegerType).add("tx", txs.schema());
        Dataset<Row> keyed = txs.flatMap((FlatMapFunction<Row, Row>) SparkPatterns::keys, Encoders.row(keyedSchema));
        Dataset<Row> windows = keyed.groupByKey((MapFunction<Row, Row>) r -> RowFactory.create(r.getString(0), r.getLong(1)),
                        Encoders.row(new StructType().add("pattern", DataTypes.StringType).add("node", DataTypes.LongType)))
                .flatMapSortedGroups(new Column[] {keyed.col("height"), keyed.col("position")},
                        (FlatMapGroupsFunction<Row, Row, Row>) (key, rows) -> burst(key, rows, values), Encoders.row(ALERTS));
        // 2. Pass-through: hops judged one by one, then chains.
        Dataset<Row> chains = passThrough(spark, txs, settings);
        windows.union(chains).createOrReplaceTempView("pt_alerts");
        return spark.sql("select a.pattern, n.address, a.transactions, a.time from pt_alerts a left join cl_nodes n on n.node = a.node");
    }

    /** The windows a transaction belongs to: its payer's fan-out, each payee's fan-in (core's reading of payer and payees). */
    private static Iterator<Row> keys(Row t) {
        UtxoTransaction tx = TxRows.transaction(t);
        List<Row> out = new ArrayList<>();
        Address payer = Payments.payerOfPayment(tx, CoinJoinClassifier.standard()).orElse(null);
        if (payer == null) {
            return out.iterator();
        }
        out.add(RowFactory.create("fan_out", TxRows.node(payer), t.getInt(1), t.getInt(2), t));
        java.util.Set<Long> payees = new java.util.LinkedHashSet<>();
        for (Payments.Payee p : Payments.payees(tx)) {
            payees.add(TxRows.node(p.address()));
        }
        for (long p : payees) {
            out.add(RowFactory.create("fan_in", p, t.getInt(1), t.getInt(2), t));
        }
        return out.iterator();
    }

    /** Core's detector over one address's transactions in chain order; only the alerts about that address are its. */
    private static Iterator<Row> burst(Row key, Iterator<Row> rows, Map<String, String> values) {
        String pattern = key.getString(0);
        long node = key.getLong(1);
        String subject = pattern.equals("fan_out") ? "payer" : "payee";
        PatternDetector d = pattern.equals("fan_out")
                ? new FanOutDetector(Integer.parseInt(values.get("fanOut.minPayees")), Long.parseLong(values.get("fanOut.window")))
                : new FanInDetector(Integer.parseInt(values.get("fanIn.minPayers")), Long.parseLong(values.get("fanIn.window")));
        String mine = TxRows.owner("p2pkh", node).text();
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            d.accept(TxRows.transaction(rows.next().getStruct(4)), null, a -> {
                if (mine.equals(a.parameters().get(subject))) {
                    out.add(alertRow(pattern, node, a));
                }
            });
        }
        return out.iterator();
    }

    private static Row alertRow(String pattern, Long node, Alert a) {
        return RowFactory.create(pattern, node, a.transactions().stream().map(Hash256::hex).toArray(String[]::new), a.times().getFirst());
    }

    private static final StructType HOPS = new StructType().add("txid", DataTypes.StringType).add("forward", DataTypes.IntegerType);

    /**
     * Pass-through chains: {@code pt_hop} (txid, forward: the output it forwards) for each transaction whose shape is a hop
     * and whose coins are no older than the delay; {@code pt_link} (txid, n, prev): the hop before it, through input n, when
     * that input spends the forwarded output. Then the chain before each hop, its longest, round by round.
     */
    private static Dataset<Row> passThrough(SparkSession spark, Dataset<Row> txs, PatternSettings settings) {
        Map<String, String> values = settings.values();
        double minShare = Double.parseDouble(values.get("passThrough.minShare"));
        long maxDelay = Long.parseLong(values.get("passThrough.maxDelay"));
        int minLength = Integer.parseInt(values.get("passThrough.minLength"));
        txs.flatMap((FlatMapFunction<Row, Row>) t -> {
            java.util.Optional<TxOutput> f = new PassThroughDetector(minShare, maxDelay, minLength).hop(TxRows.transaction(t));
            return f.map(o -> List.of(RowFactory.create(t.getString(0), o.index())).iterator()).orElse(java.util.Collections.emptyIterator());
        }, Encoders.row(HOPS)).createOrReplaceTempView("pt_shape");
        // Every coin no older than the delay (a hop is fully resolved: every funding transaction is in the tables).
        spark.sql("select s.txid, s.forward, t.time, t.height, t.position from pt_shape s join cl_transactions t on t.txid = s.txid"
                + " where not exists (select 1 from cl_inputs i join cl_transactions f on f.txid = i.prev_txid"
                + " where i.txid = s.txid and t.time - f.time > " + maxDelay + ")").localCheckpoint().createOrReplaceTempView("pt_hop");
        spark.sql("select h.txid, i.n, p.txid as prev from pt_hop h join cl_inputs i on i.txid = h.txid"
                + " join pt_hop p on p.txid = i.prev_txid and p.forward = i.prev_vout").localCheckpoint().createOrReplaceTempView("pt_link");
        // The chain ending at each hop: its own, then (round by round) the longest before it plus itself; longer than
        // minLength is never reported, so lengths stop there.
        Dataset<Row> chain = spark.sql("select txid, array(txid) as chain from pt_hop").localCheckpoint();
        // Lengths up to minLength + 1, so that a chain of exactly minLength is told from a longer one.
        for (int round = 1; round <= minLength; round++) {
            chain.createOrReplaceTempView("pt_chain");
            chain = spark.sql("select h.txid, coalesce(concat(b.chain, array(h.txid)), array(h.txid)) as chain from pt_hop h left join"
                    + " (select txid, chain from (select l.txid, c.chain, row_number() over (partition by l.txid order by size(c.chain) desc, l.n)"
                    + " as r from pt_link l join pt_chain c on c.txid = l.prev) where r = 1) b on b.txid = h.txid").localCheckpoint();
        }
        chain.createOrReplaceTempView("pt_chain");
        return spark.sql("select 'pass_through' as pattern, cast(null as bigint) as node, c.chain as transactions, t.time from pt_chain c"
                + " join cl_transactions t on t.txid = c.chain[0] where size(c.chain) = " + minLength);
    }
}
