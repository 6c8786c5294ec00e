package io.chaintrace.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.pattern.PatternSettings;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.EthBlock;
import io.chaintrace.scenarios.AccountPatternPlanter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The account-chain windows on Spark (fan-out, fan-in, pass-through over the {@code transfers} table) give the alerts
 * the single-machine rules give: a generated Ethereum history with every pattern planted among near-misses (payrolls,
 * exchange sweeps, DEX traders, slow payers, shoppers...) and two labelled pools, written through the store and
 * exported, on the default settings and on tighter ones.
 */
class SparkAccountPatternsTest {
    static final List<String> PATTERNS = List.of("fan_out", "fan_in", "pass_through");
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path parquet;
    static Path store;

    @BeforeAll
    static void export() throws Exception {
        spark = Sessions.start("local[2]", "chaintrace test");
        AccountPatternPlanter.Planted planted = AccountPatternPlanter.plant(11, 3, 3_000);
        store = dir.resolve("store");
        parquet = dir.resolve("parquet");
        try (ChainStore cs = ChainStore.open(store)) {
            write(planted, cs);
            ParquetExport.write(spark, cs, parquet, false, n -> { });
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** The planted transfers block by block, as an ingest writes them, with the labels the planter gave. */
    static void write(AccountPatternPlanter.Planted planted, ChainStore cs) {
        Map<Integer, List<AccountTransfer>> blocks = new LinkedHashMap<>();
        Set<Address> named = new LinkedHashSet<>();
        for (AccountTransfer t : planted.transfers()) {
            blocks.computeIfAbsent(t.block().height(), k -> new ArrayList<>()).add(t);
            named.add(t.from());
            named.add(t.to());
        }
        Hash256 parent = Hash256.ZERO;
        long done = 0;
        for (var b : blocks.entrySet()) {
            Hash256 hash = new Hash256(ByteBuffer.allocate(32).putInt(0, b.getKey()).put(31, (byte) 1).array());
            cs.appendEthBlock(new EthBlock(b.getKey(), hash, parent, b.getValue().getFirst().block().time(), b.getValue()),
                    new Checkpoint("test", hash, b.getKey(), ++done));
            parent = hash;
        }
        for (Address a : named) {
            if (!planted.ledger().labelsOf(a).isEmpty()) {
                cs.putLabels(a, planted.ledger().labelsOf(a));
            }
        }
    }

    @Test
    void sparkAccountWindowsAreTheRulesAlerts() {
        for (PatternSettings settings : List.of(PatternSettings.defaults(), PatternSettings.of(Map.of("fanOut.minPayees", "4",
                "fanIn.minPayers", "4", "passThrough.minLength", "2", "passThrough.minShare", "0.8", "account.busyTransfers", "100")))) {
            Set<String> expected = new TreeSet<>();
            try (ChainStore cs = ChainStore.openReadOnly(store)) {
                var rules = settings.accountPatterns();
                cs.forEachEthTransfer(0, Long.MAX_VALUE, t -> rules.accept(t, cs, a -> { }));
                rules.finish(a -> {
                    if (PATTERNS.contains(a.pattern())) {
                        expected.add(a.pattern() + " " + a.parameters().get("subject") + " "
                                + a.transactions().stream().map(h -> h.hex()).toList() + " " + a.times().getFirst());
                    }
                });
            }
            Set<String> found = new TreeSet<>();
            for (Row r : SparkAccountPatterns.run(spark, parquet.toString(), settings).collectAsList()) {
                found.add(r.getString(0) + " " + r.getString(1) + " " + r.getList(2) + " " + r.getLong(3));
            }
            for (String p : PATTERNS) {
                assertTrue(expected.stream().anyMatch(a -> a.startsWith(p + " ")), p + " planted and found: " + expected.size());
            }
            assertEquals(expected, found, settings.values().toString());
            System.out.printf("%s: %d alerts equal%n", settings.values(), found.size());
        }
    }
}
