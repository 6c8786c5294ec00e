package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.StoreStats;
import io.chaintrace.ingest.IngestListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every real block file in ../shared/data/btc ingests into a fresh store whose totals equal the
 * figures an independent parser (bitcoinjs-lib) computed: ../shared/data/btc/REFERENCE.jsonl.
 */
class ReferenceFiguresTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<JsonNode> reference() throws IOException {
        return Files.readAllLines(SharedData.btc().resolve("REFERENCE.jsonl")).stream()
                .filter(l -> !l.isBlank()).map(ReferenceFiguresTest::parse);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("bad REFERENCE.jsonl line: " + line, e);
        }
    }

    static Path fileOf(String name) {
        Path blk = SharedData.btc().resolve("blk").resolve(name);
        return Files.exists(blk) ? blk : SharedData.btc().resolve("raw").resolve(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reference")
    void ingestReproducesReferenceFigures(JsonNode ref, @TempDir Path dir) {
        Path file = fileOf(ref.get("file").asText());
        try (ChainStore store = ChainStore.open(dir.resolve("store"))) {
            new BlockFileSource(store, List.of(file)).run(IngestListener.NONE);
            StoreStats s = store.stats();
            assertEquals(ref.get("blocks").asLong(), s.blocks(), "blocks");
            assertEquals(ref.get("txs").asLong(), s.txs(), "txs");
            assertEquals(ref.get("inputs").asLong(), s.inputs(), "inputs");
            assertEquals(ref.get("outputs").asLong(), s.outputs(), "outputs");
            assertEquals(Long.parseLong(ref.get("value").asText()), s.outputValue(), "outputValue");
            assertEquals(ref.get("addresses").asLong(), s.addresses(), "addresses");
            assertTrue(store.hasBlock(Hash256.fromHex(ref.get("firstHash").asText())), "first block stored");
            assertTrue(store.hasBlock(Hash256.fromHex(ref.get("lastHash").asText())), "last block stored");
        }
    }

    @Test
    void everySharedBlockFileHasReferenceFigures() throws IOException {
        Set<String> referenced = new TreeSet<>();
        reference().forEach(r -> referenced.add(r.get("file").asText()));
        Set<String> files = new TreeSet<>();
        for (String sub : List.of("blk", "raw")) {
            try (Stream<Path> s = Files.list(SharedData.btc().resolve(sub))) {
                s.forEach(p -> files.add(p.getFileName().toString()));
            }
        }
        assertEquals(files, referenced, "every file in blk/ and raw/ is checked against REFERENCE.jsonl");
    }
}
