package io.chaintrace.spark;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Bitcoin transactions whole, one row each, from the Parquet tables: what the jobs that judge a transaction by core's own
 * classes (clustering, pattern windows) read. Views: {@code cl_transactions, cl_outputs, cl_inputs}; {@code cl_nodes}
 * (address, p2pk, node: an owner as the store keys it - a bare key apart from its P2PKH address, which the export shows
 * both as - numbered by where it first appears, height, position and vout, the order the store gives out owner ids in);
 * {@code cl_txs} (txid, height, position, time, ins, outs: every transaction but coinbases, its inputs and outputs with
 * their owners' nodes, and for each output whether its owner appears there first).
 */
final class TxRows {
    private TxRows() {
    }

    static Dataset<Row> register(SparkSession spark, String parquet) {
        Tables.read(spark, parquet, List.of("transactions", "outputs", "inputs")).forEach((t, d) -> d.createOrReplaceTempView("cl_" + t));
        // An owner as the store keys it: the address, a bare key apart from its P2PKH address (the export shows both as the
        // latter). Its number is where it first appears (height, position, vout): the order the store gives out owner ids in,
        // so the smallest number of an entity is its first-seen address.
        spark.sql("select address, kind = 'p2pk' as p2pk, min(shiftleft(cast(height as bigint), 40) + shiftleft(cast(position as bigint), 20) + vout)"
                + " as node from cl_outputs where address is not null and address not like '0x%' group by address, kind = 'p2pk'")
                .localCheckpoint().createOrReplaceTempView("cl_nodes");
        spark.sql("select txid, array_sort(collect_list(struct(o.vout, o.value, o.kind, o.address, n.node,"
                + " shiftright(n.node, 20) = shiftleft(cast(o.height as bigint), 20) + o.position as fresh))) as outs from cl_outputs o"
                + " left join cl_nodes n on n.address = o.address and n.p2pk = (o.kind = 'p2pk') group by txid")
                .createOrReplaceTempView("cl_outs");
        spark.sql("select i.txid, array_sort(collect_list(struct(i.n, i.prev_txid, i.prev_vout, i.status, i.value, i.address, po.kind, n.node)))"
                + " as ins from cl_inputs i left join cl_outputs po on po.txid = i.prev_txid and po.vout = i.prev_vout"
                + " left join cl_nodes n on n.address = i.address and n.p2pk = (po.kind = 'p2pk') group by i.txid")
                .createOrReplaceTempView("cl_ins");
        // Coinbases pay from nobody and join nobody: left out. Materialised: every job reads it more than once.
        Dataset<Row> txs = spark.sql("select t.txid, t.height, t.position, t.time, i.ins, o.outs from cl_transactions t"
                + " join cl_ins i on i.txid = t.txid join cl_outs o on o.txid = t.txid where not t.coinbase").localCheckpoint();
        txs.createOrReplaceTempView("cl_txs");
        return txs;
    }

    /** A transaction's row as core's model: owners keyed by their node (what the store's ids are to it). */
    static UtxoTransaction transaction(Row t) {
        Hash256 txid = Hash256.fromHex(t.getString(0));
        List<TxInput> ins = new ArrayList<>();
        for (Row i : t.<Row>getList(4)) {
            InputStatus status = InputStatus.valueOf(i.getString(3).toUpperCase(Locale.ROOT));
            Outpoint prev = new Outpoint(Hash256.fromHex(i.getString(1)), i.getInt(2));
            boolean owned = status == InputStatus.RESOLVED && !i.isNullAt(7);
            ins.add(new TxInput(prev, status, status == InputStatus.RESOLVED ? i.getLong(4) : 0,
                    owned ? Optional.of(owner(i.getString(6), i.getLong(7))) : Optional.empty()));
        }
        List<TxOutput> outs = new ArrayList<>();
        for (Row o : t.<Row>getList(5)) {
            outs.add(new TxOutput(o.getInt(0), o.getLong(1), ScriptKind.valueOf(o.getString(2).toUpperCase(Locale.ROOT)),
                    o.isNullAt(4) ? Optional.empty() : Optional.of(owner(o.getString(2), o.getLong(4)))));
        }
        return new UtxoTransaction(txid, new BlockRef(t.getInt(1), Hash256.ZERO, t.getLong(3)), t.getInt(2), ins, outs);
    }

    /** The node of an owner made by {@link #owner}. */
    static long node(Address owner) {
        return Long.parseLong(owner.text().substring("node:".length()));
    }

    /** An owner whose text is its node: equal owners are the same owner, as in the store (a bare key apart from its address). */
    static Address owner(String kind, long node) {
        return new Address(Chain.BITCOIN, ScriptKind.valueOf(kind.toUpperCase(Locale.ROOT)), "node:" + node);
    }

}
