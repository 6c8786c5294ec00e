package io.chaintrace.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files under a directory as Hadoop's local file system lists them (its checksum files hidden, as every reader of an
 * export sees it): an ethereum-etl export_all tree of nested ranges, and a stop at the first file wanted. What the walk
 * does not do - read each file's permissions, a process per file without Hadoop's native library - is measured in
 * benchmarks/README.md ("Listing an export").
 */
class FileWalkTest {
    @TempDir
    Path dir;

    @Test
    void everyFileOfANestedExportIsVisitedOnceAndNoDirectory() throws Exception {
        List<String> written = new ArrayList<>();
        for (String range : List.of("start_block=00000000/end_block=00099999", "start_block=00100000/end_block=00199999")) {
            for (String table : List.of("blocks", "transactions", "token_transfers")) {
                Path f = dir.resolve(table).resolve(range).resolve(table + "_" + range.substring(12, 20) + ".csv");
                Files.createDirectories(f.getParent());
                Files.writeString(f, "hash\n");
                written.add(f.toUri().getPath());
            }
        }
        Files.createDirectories(dir.resolve("empty/nested"));
        FileSystem fs = FileSystem.getLocal(new Configuration());
        // Through the checksummed file system, as the jobs read: its .crc files are not the export's.
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(written.getFirst()), new org.apache.hadoop.fs.Path(dir.resolve("copy.csv").toUri()));
        written.add(dir.resolve("copy.csv").toUri().getPath());
        assertTrue(Files.exists(dir.resolve(".copy.csv.crc")), "the local file system wrote its checksum beside the copy");

        List<String> seen = new ArrayList<>();
        assertTrue(FileWalk.files(fs, new org.apache.hadoop.fs.Path(dir.toUri()), p -> seen.add(p.toUri().getPath())));
        assertEquals(new TreeSet<>(written), new TreeSet<>(seen));
        assertEquals(written.size(), seen.size(), "each file once: " + seen);
    }

    @Test
    void theWalkStopsWhereTheVisitSaysSo() throws Exception {
        for (int i = 0; i < 5; i++) {
            Files.writeString(Files.createDirectories(dir.resolve("d" + i)).resolve("f.json"), "{}\n");
        }
        FileSystem fs = FileSystem.getLocal(new Configuration());
        List<org.apache.hadoop.fs.Path> seen = new ArrayList<>();
        assertFalse(FileWalk.files(fs, new org.apache.hadoop.fs.Path(dir.toUri()), p -> {
            seen.add(p);
            return seen.size() < 2;
        }));
        assertEquals(2, seen.size());
        // A file given as the root is the one file visited.
        List<org.apache.hadoop.fs.Path> one = new ArrayList<>();
        assertTrue(FileWalk.files(fs, new org.apache.hadoop.fs.Path(dir.resolve("d3/f.json").toUri()), one::add));
        assertEquals(List.of("f.json"), one.stream().map(org.apache.hadoop.fs.Path::getName).toList());
    }
}
