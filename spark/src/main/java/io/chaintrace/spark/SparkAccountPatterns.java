package io.chaintrace.spark;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Amount;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.TransferKind;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.core.pattern.account.AccountPassThrough;
import io.chaintrace.core.pattern.account.AccountPatterns;
import io.chaintrace.core.pattern.account.AddressSlice;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The account-chain pattern windows (fan-out, fan-in, pass-through) over an Ethereum {@code transfers} table, with the
 * settings of {@code PatternSettings} (docs/PATTERNS.md, "Account chains"), giving the alerts the single-machine
 * {@link AccountPatterns} gives. The rules judge an address by all it did in the scan, so the table is partitioned by
 * address: every transfer is keyed by its payer and by its payee, each address's transfers sorted in chain order, and
 * core's own rules run over that share ({@link AddressSlice}). What a rule asks of the counterparties is a fact of the
 * whole scan, found first the same way: busy or a contract ({@code account.busyTransfers}), and a labelled service
 * from the {@code labels} table. Pass-through chains cross addresses: each address gives the payments it forwards,
 * and the chains are walked from their first hop in SQL, a hop a round.
 */
public final class SparkAccountPatterns {
    private SparkAccountPatterns() {
    }

    /** The transfers in chain order ({@code seq}) with what a slice reads of each. */
    private static final StructType KEYED = new StructType().add("address", DataTypes.StringType).add("seq", DataTypes.LongType)
            .add("t", new StructType().add("tx", DataTypes.StringType).add("block", DataTypes.LongType).add("time", DataTypes.LongType)
                    .add("tx_index", DataTypes.IntegerType).add("kind", DataTypes.StringType).add("index", DataTypes.IntegerType)
                    .add("from", DataTypes.StringType).add("to", DataTypes.StringType).add("asset", DataTypes.StringType)
                    .add("contract", DataTypes.StringType).add("decimals", DataTypes.IntegerType).add("amount", DataTypes.StringType)
                    .add("seq", DataTypes.LongType).add("from_active", DataTypes.BooleanType).add("to_active", DataTypes.BooleanType)
                    .add("from_service", DataTypes.BooleanType).add("to_service", DataTypes.BooleanType));

    private static final StructType FACTS = new StructType().add("address", DataTypes.StringType).add("active", DataTypes.BooleanType);

    /** What a slice found: an alert ({@code pattern} set) or a forward ({@code received} -> {@code paid_on}). */
    private static final StructType FOUND = new StructType().add("pattern", DataTypes.StringType).add("address", DataTypes.StringType)
            .add("transactions", DataTypes.createArrayType(DataTypes.StringType)).add("time", DataTypes.LongType)
            .add("received", DataTypes.LongType).add("paid_on", DataTypes.LongType);

    /**
     * Alerts: the pattern, the address it is about, its transactions in chain order (hex without 0x, as
     * {@code chaintrace patterns} writes them), the first transfer's time.
     */
    public static Dataset<Row> run(SparkSession spark, String parquet, PatternSettings settings) {
        Map<String, Dataset<Row>> tables = Tables.read(spark, parquet, List.of("transfers", "labels"));
        // The rules are built where they run, from the settings' values (the detectors are not serializable).
        Map<String, String> values = new HashMap<>(settings.values());
        int busy = settings.accountPatterns().busyTransfers();
        int minLength = passThrough(settings.accountPatterns()).minLength();
        // Chain order as the store keeps it: block, transaction, kind (native, internal, token), index. An address paying
        // itself moves nothing: the rules leave such transfers out.
        Column kind = functions.when(functions.col("kind").equalTo("native"), 0).when(functions.col("kind").equalTo("internal"), 1)
                .otherwise(2);
        Dataset<Row> transfers = tables.get("transfers").where("`from` <> `to`").withColumn("k", kind)
                .orderBy("block", "tx_index", "k", "index").withColumn("seq", functions.monotonically_increasing_id()).drop("k", "height_range")
                .localCheckpoint();
        transfers.createOrReplaceTempView("ap_transfers");
        Dataset<Row> services = tables.get("labels").where(functions.lower(functions.col("chain")).equalTo("ethereum")).select("address", "category")
                .filter((org.apache.spark.api.java.function.FilterFunction<Row>) r -> !r.isNullAt(1)
                        && AccountPatterns.service(LabelCategory.fromId(r.getString(1)))).select("address").distinct();
        services.createOrReplaceTempView("ap_services");

        // 1. Each address's own facts, from its own transfers: busy, a contract.
        Dataset<Row> plain = spark.sql("select *, true as from_active, true as to_active, false as from_service, false as to_service from ap_transfers");
        Dataset<Row> facts = byAddress(plain).flatMapSortedGroups(new Column[] {functions.col("seq")},
                (FlatMapGroupsFunction<String, Row, Row>) (address, rows) -> {
                    AddressSlice slice = new AddressSlice(Address.parse(address), transfers(rows, null, null));
                    return List.of(RowFactory.create(address, slice.active(busy))).iterator();
                }, Encoders.row(FACTS)).localCheckpoint();
        facts.createOrReplaceTempView("ap_facts");

        // 2. The windows and forwards of each address, its counterparties' facts on each transfer.
        Dataset<Row> judged = spark.sql("select t.*, coalesce(ff.active, false) as from_active, coalesce(ft.active, false) as to_active,"
                + " sf.address is not null as from_service, st.address is not null as to_service from ap_transfers t"
                + " left join ap_facts ff on ff.address = t.`from` left join ap_facts ft on ft.address = t.`to`"
                + " left join ap_services sf on sf.address = t.`from` left join ap_services st on st.address = t.`to`").localCheckpoint();
        Dataset<Row> found = byAddress(judged).flatMapSortedGroups(new Column[] {functions.col("seq")},
                new Slices(values),
                Encoders.row(FOUND))
                .localCheckpoint();
        Dataset<Row> bursts = found.where("pattern is not null").select("pattern", "address", "transactions", "time");
        found.where("pattern is null").select("received", "paid_on").createOrReplaceTempView("ap_links");
        // What the chain walk reads of each transfer, materialised with the rest: every round joins it.
        judged.select("seq", "from", "to", "tx", "time", "to_service").createOrReplaceTempView("ap_hops");
        return bursts.union(chains(spark, minLength));
    }

    private static org.apache.spark.sql.KeyValueGroupedDataset<String, Row> byAddress(Dataset<Row> rows) {
        Dataset<Row> keyed = rows.flatMap((FlatMapFunction<Row, Row>) r -> List.of(RowFactory.create(r.getAs("from"), r.getAs("seq"), r),
                RowFactory.create(r.getAs("to"), r.getAs("seq"), r)).iterator(), Encoders.row(KEYED));
        return keyed.groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING());
    }

    private static AccountPassThrough passThrough(AccountPatterns rules) {
        return rules.rules().stream().filter(r -> r instanceof AccountPassThrough).map(r -> (AccountPassThrough) r).findFirst().orElseThrow();
    }

    /**
     * Each address's slice judged by the account rules, built from the settings' values where the job runs (the detectors
     * are not serializable), once per task: a task deserialises its own copy of this function and keeps its rules.
     */
    private static final class Slices implements FlatMapGroupsFunction<String, Row, Row> {
        private final Map<String, String> values;
        private transient AccountPatterns rules;

        Slices(Map<String, String> values) {
            this.values = values;
        }

        @Override
        public Iterator<Row> call(String address, Iterator<Row> rows) {
            if (rules == null) {
                rules = PatternSettings.of(values).accountPatterns();
            }
            return slice(address, rows, rules);
        }
    }

    /** One address's share: its transfers in chain order, the facts of everyone they name. */
    private static Iterator<Row> slice(String address, Iterator<Row> rows, AccountPatterns rules) {
        Map<Address, Boolean> active = new HashMap<>();
        Map<Address, Boolean> service = new HashMap<>();
        List<Long> seqs = new ArrayList<>();
        List<AccountTransfer> transfers = transfers(rows, seqs, (t, r) -> {
            active.put(t.from(), r.getBoolean(13));
            active.put(t.to(), r.getBoolean(14));
            service.put(t.from(), r.getBoolean(15));
            service.put(t.to(), r.getBoolean(16));
        });
        AddressSlice slice = new AddressSlice(Address.parse(address), transfers);
        List<Row> out = new ArrayList<>();
        slice.bursts(rules, active::get, service::get, a -> out.add(RowFactory.create(a.pattern(), address,
                a.transactions().stream().map(h -> h.hex()).toArray(String[]::new), a.times().getFirst(), null, null)));
        slice.forwards(passThrough(rules), active::get, (received, paidOn) -> out.add(RowFactory.create(null, address, null, null, seqs.get(received),
                seqs.get(paidOn))));
        return out.iterator();
    }

    private static List<AccountTransfer> transfers(Iterator<Row> rows, List<Long> seqs, java.util.function.BiConsumer<AccountTransfer, Row> each) {
        List<AccountTransfer> out = new ArrayList<>();
        Map<String, Address> addresses = new HashMap<>();
        Map<List<Object>, Asset> assets = new HashMap<>();
        while (rows.hasNext()) {
            Row r = rows.next().getStruct(2);
            Address from = addresses.computeIfAbsent(r.getString(6), Address::parse);
            Address to = addresses.computeIfAbsent(r.getString(7), Address::parse);
            Asset asset = assets.computeIfAbsent(java.util.Arrays.asList(r.get(8), r.get(9), r.get(10)), k -> new Asset(Chain.ETHEREUM,
                    Optional.ofNullable((String) k.get(1)).map(Address::parse), (String) k.get(0),
                    k.get(2) == null ? OptionalInt.empty() : OptionalInt.of((Integer) k.get(2))));
            AccountTransfer t = new AccountTransfer(Hash256.fromHex(r.getString(0)), new BlockRef(Math.toIntExact(r.getLong(1)), Hash256.ZERO,
                    r.getLong(2)), r.getInt(3), TransferKind.valueOf(r.getString(4).toUpperCase(Locale.ROOT)), r.getInt(5), from, to,
                    new Amount(asset, new BigInteger(r.getString(11))));
            out.add(t);
            if (seqs != null) {
                seqs.add(r.getLong(12));
            }
            if (each != null) {
                each.accept(t, r);
            }
        }
        return out;
    }

    /**
     * Pass-through chains from {@code ap_links} (received -> paid on): each walked from a payment no forward leads to, a
     * hop a round, stopping at a labelled service (what it pays on is the service's business), at the end, or where the
     * value comes back to an address the chain passed (a cycle, not reported); reported with at least {@code minLength}
     * forwards, about the address the first payment reached.
     */
    private static Dataset<Row> chains(SparkSession spark, int minLength) {
        Dataset<Row> open = spark.sql("select l.received as start, l.received as cur, array(l.received) as path, array(h.`from`, h.`to`) as passed,"
                + " not h.to_service as open, false as loops from (select a.received from ap_links a left anti join ap_links b on b.paid_on = a.received) l"
                + " join ap_hops h on h.seq = l.received").localCheckpoint();
        Dataset<Row> done = open.where("not open");
        open = open.where("open");
        while (!open.isEmpty()) {
            open.createOrReplaceTempView("ap_walk");
            Dataset<Row> step = spark.sql("select s.start, coalesce(l.paid_on, s.cur) as cur,"
                    + " case when l.paid_on is null then s.path else concat(s.path, array(l.paid_on)) end as path,"
                    + " case when l.paid_on is null then s.passed else concat(s.passed, array(h.`to`)) end as passed,"
                    + " l.paid_on is not null and not array_contains(s.passed, h.`to`) and not h.to_service as open,"
                    + " l.paid_on is not null and array_contains(s.passed, h.`to`) as loops"
                    + " from ap_walk s left join ap_links l on l.received = s.cur left join ap_hops h on h.seq = l.paid_on").localCheckpoint();
            done = done.union(step.where("not open"));
            open = step.where("open");
        }
        done.where("not loops and size(path) > " + minLength).createOrReplaceTempView("ap_chains");
        return spark.sql("select 'pass_through' as pattern, first(h0.`to`) as address,"
                + " array_distinct(transform(array_sort(collect_list(struct(p.pos, h.tx))), x -> lower(regexp_replace(x.tx, '^0[xX]', '')))) as transactions, first(h0.time) as time"
                + " from (select start, posexplode(path) as (pos, seq) from ap_chains) p join ap_hops h on h.seq = p.seq"
                + " join ap_hops h0 on h0.seq = p.start group by p.start");
    }
}
