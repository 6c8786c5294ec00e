package io.chaintrace.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.scenarios.PatternPlanter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the table files of a compacted store hold, family by family (docs/STORE.md): the txid-heavy families and the
 * owners' addresses stored uncompressed below level 0 where the others are compressed, the address history without a
 * filter where the families looked up by key have one.
 */
class FamilyOptionsTest {
    @TempDir
    Path dir;

    /** RocksDB's aggregated table properties of a family's files: "name=value; ..." by name. */
    private static Map<String, Long> properties(StoreFiles files, Family f) throws Exception {
        Map<String, Long> m = new HashMap<>();
        for (String kv : files.db().getProperty(files.handle(f), "rocksdb.aggregated-table-properties").split(";")) {
            String[] p = kv.split("=", 2);
            if (p.length == 2 && p[1].trim().matches("\\d{1,18}")) {
                m.put(p[0].trim().replaceAll(" \\(.*", ""), Long.parseLong(p[1].trim()));
            }
        }
        return m;
    }

    @Test
    void compactedFamiliesAreStoredAsTheirOptionsSay() throws Exception {
        try (ChainStore store = ChainStore.open(dir)) {
            ScenarioStoreTest.write(PatternPlanter.plant(5, 6, 400).scenario(), store);
        }
        try (StoreFiles files = StoreFiles.open(dir, false)) {
            Map<Family, Map<String, Long>> props = new HashMap<>();
            for (Family f : new Family[] {Family.TRANSACTIONS, Family.TX_IDS, Family.ADDRESSES, Family.OUTPUTS, Family.ADDRESS_TXS}) {
                files.compact(f); // from level 0 (written uncompressed by the flush) to the levels below
                props.put(f, properties(files, f));
                assertTrue(props.get(f).get("# entries") > 1_000, f + ": " + props.get(f));
            }
            for (Family f : new Family[] {Family.TRANSACTIONS, Family.TX_IDS, Family.ADDRESSES}) {
                Map<String, Long> p = props.get(f);
                assertEquals(p.get("# data blocks"), p.get("# data blocks compression bypassed"), f + ": no block compressed");
                assertEquals(0, p.get("# data blocks compression rejected"), f + ": no compression tried");
            }
            Map<String, Long> outputs = props.get(Family.OUTPUTS);
            assertTrue(outputs.get("# data blocks compression bypassed") < outputs.get("# data blocks"),
                    "outputs compressed: " + outputs);
            assertEquals(0, props.get(Family.ADDRESS_TXS).get("filter block size"), "address history without a filter");
            assertTrue(outputs.get("filter block size") > 0, "outputs keep their filter");
            assertTrue(props.get(Family.TRANSACTIONS).get("filter block size") > 0, "transactions keep their filter");
        }
    }

    @Test
    void aCompactionOnRequestLeavesOneSortedRunAndTheBackgroundJobsAsTheyWere() throws Exception {
        try (StoreFiles files = StoreFiles.open(dir, false)) {
            byte[] value = new byte[100];
            for (int file = 0; file < 3; file++) { // three level-0 files whose keys interleave
                for (int i = 0; i < 2_000; i++) {
                    files.put(Family.ADDRESS_TXS, Keys.addressId(i * 3 + file), value);
                }
                files.flush();
            }
            assertEquals("3", files.db().getProperty(files.handle(Family.ADDRESS_TXS), "rocksdb.num-files-at-level0"));
            int jobsBefore = files.db().getDBOptions().maxBackgroundJobs();
            files.compact(Family.ADDRESS_TXS);
            assertEquals("0", files.db().getProperty(files.handle(Family.ADDRESS_TXS), "rocksdb.num-files-at-level0"));
            assertEquals(6_000, properties(files, Family.ADDRESS_TXS).get("# entries"));
            assertEquals(jobsBefore, files.db().getDBOptions().maxBackgroundJobs(), "the extra compaction thread given back");
        }
    }
}
