package io.chaintrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster --again} forgets the entities and clusters every transaction again: on a real 2019 block clustered as
 * ingested, the store afterwards is the same, byte for byte (the forest is stored canonical); with {@code --show} it is
 * a usage error.
 */
class ClusterAgainTest {
    @TempDir
    Path dir;

    @Test
    void clusteringAgainGivesTheSameStore() {
        Path store = TestData.ingested(dir.resolve("jan2019"), "block2019Jan.blk");
        TestData.Run before = TestData.run("stats", "--store", store.toString(), "--digest");
        assertEquals(0, before.exit(), before.err());
        TestData.Run again = TestData.run("cluster", "--store", store.toString(), "--again", "--no-progress");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("clustered 2,898 transactions"), again.err());
        TestData.Run after = TestData.run("stats", "--store", store.toString(), "--digest");
        assertEquals(before.out(), after.out(), "the entities and the clustering marks as the first run left them");
        TestData.Run nothing = TestData.run("cluster", "--store", store.toString(), "--no-progress");
        assertTrue(nothing.err().contains("clustered 0 transactions"), nothing.err());
        TestData.Run both = TestData.run("cluster", "--store", store.toString(), "--again", "--show", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
        assertEquals(2, both.exit(), both.err());
        assertTrue(both.err().contains("--again clusters; --show reads"), both.err());
    }
}
