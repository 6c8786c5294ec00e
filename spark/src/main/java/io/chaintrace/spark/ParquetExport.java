package io.chaintrace.spark;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import io.chaintrace.graph.ChainStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.RegexFilter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The store as Parquet tables ({@link ParquetTables}, docs/PARQUET.md): read from the store in chain order on the driver,
 * written by Spark in chunks, partitioned by height range. Everything goes into a temporary directory beside the output
 * and is moved into place when complete: a run killed half-way leaves no half export, and an export already there is
 * replaced only when asked.
 */
public final class ParquetExport {
    /** Rows handed to Spark at a time: the driver holds one chunk, never the chain. */
    static final int CHUNK = 200_000;

    private ParquetExport() {
    }

    /** What an export wrote, table by table. */
    public record Summary(long transactions, long outputs, long inputs, long transfers, long labels, long entities) {
    }

    public static Summary write(SparkSession spark, ChainStore cs, Path out, boolean replace, LongConsumer progress) {
        quietLargeTaskWarnings();
        if (Files.exists(out) && !replace && ParquetTables.ALL.keySet().stream().anyMatch(t -> Files.exists(out.resolve(t)))) {
            throw new IllegalArgumentException(out + " already holds an export; rerun with --force to replace it");
        }
        Path parent = out.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, ".parquet-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Chunks txs = new Chunks(spark, tmp.resolve("transactions"), ParquetTables.TRANSACTIONS);
            Chunks outs = new Chunks(spark, tmp.resolve("outputs"), ParquetTables.OUTPUTS);
            Chunks ins = new Chunks(spark, tmp.resolve("inputs"), ParquetTables.INPUTS);
            long[] done = {0};
            cs.forEachTransaction(t -> {
                bitcoin(cs, t, txs, outs, ins);
                if (++done[0] % 10_000 == 0) {
                    progress.accept(done[0]);
                }
            });
            progress.accept(done[0]);
            Chunks transfers = new Chunks(spark, tmp.resolve("transfers"), ParquetTables.TRANSFERS);
            cs.forEachEthTransfer(0, Long.MAX_VALUE, t -> transfers.add(transfer(t)));
            Chunks labels = new Chunks(spark, tmp.resolve("labels"), ParquetTables.LABELS);
            cs.forEachLabelled(ls -> ls.forEach(l -> labels.add(label(l))));
            Chunks entities = new Chunks(spark, tmp.resolve("entities"), ParquetTables.ENTITIES);
            cs.forEachEntityMember((member, entity) -> entities.add(RowFactory.create(member.shown(), entity.shown())));
            Summary s = new Summary(txs.finish(), outs.finish(), ins.finish(), transfers.finish(), labels.finish(), entities.finish());
            commit(tmp, out);
            return s;
        } finally {
            delete(tmp);
        }
    }

    private static void bitcoin(ChainStore cs, UtxoTransaction t, Chunks txs, Chunks outs, Chunks ins) {
        int h = t.block().height();
        int range = Math.floorDiv(h, ParquetTables.RANGE) * ParquetTables.RANGE;
        String txid = t.txid().hex();
        txs.add(RowFactory.create(txid, h, t.position(), t.block().time(), t.coinbase(), t.inputs().size(), t.outputs().size(), range));
        List<Optional<UtxoLedger.Spend>> spends = cs.spendersOf(t);
        for (TxOutput o : t.outputs()) {
            String spentBy = spends.get(o.index()).map(s -> s.spendingTx().hex()).orElse(null);
            outs.add(RowFactory.create(txid, o.index(), h, t.position(), t.block().time(), o.value(), o.kind().name().toLowerCase(Locale.ROOT),
                    o.owner().map(Address::shown).orElse(null), spentBy, range));
        }
        int n = 0;
        for (TxInput i : t.inputs()) {
            boolean known = i.status() == io.chaintrace.core.model.InputStatus.RESOLVED;
            ins.add(RowFactory.create(txid, n++, h, i.status() == io.chaintrace.core.model.InputStatus.COINBASE ? null : i.prevout().txid().hex(),
                    i.status() == io.chaintrace.core.model.InputStatus.COINBASE ? null : i.prevout().vout(), i.status().name().toLowerCase(Locale.ROOT),
                    known ? i.value() : null, i.owner().map(Address::shown).orElse(null), range));
        }
    }

    private static Row transfer(AccountTransfer t) {
        long number = t.block().height();
        return RowFactory.create("0x" + t.txHash().hex(), number, t.block().time(), t.txIndex(), t.kind().name().toLowerCase(Locale.ROOT), t.index(),
                t.from().shown(), t.to().shown(), t.amount().asset().symbol(), t.amount().asset().contract().map(Address::shown).orElse(null),
                t.amount().asset().decimals().isPresent() ? t.amount().asset().decimals().getAsInt() : null, t.amount().units().toString(),
                (int) (Math.floorDiv(number, ParquetTables.RANGE) * ParquetTables.RANGE));
    }

    private static Row label(Label l) {
        return RowFactory.create(l.address().shown(), l.address().chain().name().toLowerCase(Locale.ROOT), l.entity(), l.category().id(),
                l.source(), l.confidence(), l.sourceCategory());
    }

    /**
     * The export hands Spark the rows it read from the store, a chunk at a time (tens of MB a task, by design: the store is
     * on this machine). Spark warns of every such task ("contains a task of very large size"): hundreds of warnings in an
     * export of 10^7 transactions that say nothing about it. That message alone is dropped; the scheduler's other warnings
     * (a task lost, a stage retried) are kept.
     */
    static void quietLargeTaskWarnings() {
        if (!(LogManager.getContext(false) instanceof LoggerContext ctx)) {
            return; // another logging backend: its warnings as they are
        }
        Configuration config = ctx.getConfiguration();
        String name = "org.apache.spark.scheduler.TaskSetManager";
        LoggerConfig logger = config.getLoggerConfig(name);
        if (!logger.getName().equals(name)) {
            logger = new LoggerConfig(name, null, true);
            config.addLogger(name, logger);
        }
        if (logger.getFilter() == null) {
            try {
                logger.addFilter(RegexFilter.createFilter(".*contains a task of very large size.*", null, false,
                        Filter.Result.DENY, Filter.Result.NEUTRAL));
            } catch (IllegalAccessException e) {
                return; // (thrown for regex flags, none given here)
            }
            ctx.updateLoggers();
        }
    }

    /** Rows of one table, written to Parquet a chunk at a time (appended), partitioned by height range when it has one. */
    private static final class Chunks {
        private final SparkSession spark;
        private final Path dir;
        private final StructType schema;
        private final List<Row> rows = new ArrayList<>();
        private long count;
        private boolean written;

        Chunks(SparkSession spark, Path dir, StructType schema) {
            this.spark = spark;
            this.dir = dir;
            this.schema = schema;
        }

        void add(Row row) {
            rows.add(row);
            if (rows.size() >= CHUNK) {
                flush();
            }
        }

        private void flush() {
            if (rows.isEmpty() && written) {
                return;
            }
            var writer = spark.createDataFrame(rows, schema).write().mode(written ? SaveMode.Append : SaveMode.Overwrite);
            if (List.of(schema.fieldNames()).contains("height_range")) {
                writer = writer.partitionBy("height_range");
            }
            writer.parquet(dir.toString());
            count += rows.size();
            rows.clear();
            written = true;
        }

        /** Writes what is left (an empty table is written too: a job finds every table) and returns the row count. */
        long finish() {
            flush();
            return count;
        }
    }

    /** Moves the finished tables into {@code out}, replacing an earlier export's tables. */
    private static void commit(Path tmp, Path out) {
        try {
            Files.createDirectories(out);
            for (String table : ParquetTables.ALL.keySet()) {
                Path target = out.resolve(table);
                if (Files.exists(target)) {
                    delete(target);
                }
                Files.move(tmp.resolve(table), target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the export into " + out + ": " + e.getMessage(), e);
        }
    }

    static void delete(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** For callers that print: the summary as name to count. */
    public static Map<String, Long> counts(Summary s) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("transactions", s.transactions());
        m.put("outputs", s.outputs());
        m.put("inputs", s.inputs());
        m.put("transfers", s.transfers());
        m.put("labels", s.labels());
        m.put("entities", s.entities());
        return m;
    }
}
