package io.chaintrace.ingest.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.graph.ChainStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every label file in ../shared/data/labels imports: each row becomes a label, a rejected row
 * (with its line) or a row for another chain; counts per category are checked against what the
 * files themselves say, counted here by plain text.
 */
class LabelImportTest {
    @TempDir
    Path dir;

    static Path labels() {
        String prop = System.getProperty("chaintrace.shared");
        Path d = (prop != null ? Path.of(prop) : Path.of("..", "..", "shared")).resolve("data").resolve("labels");
        if (!Files.isDirectory(d)) {
            fail("label data not found at " + d.toAbsolutePath() + ": these tests need ../shared/data beside the repository");
        }
        return d;
    }

    static Stream<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(labels())) {
            return s.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("LICENSE")).sorted().toList().stream();
        }
    }

    /** Rows as the file's own text counts them: tags, lines, CSV records, JSON entries. */
    static long rows(Path f) throws IOException {
        String name = f.getFileName().toString();
        List<String> lines = Files.readAllLines(f);
        if (name.endsWith(".yaml")) {
            return lines.stream().map(l -> l.stripLeading().replaceFirst("^- ", "")).filter(l -> l.startsWith("address:")).count();
        }
        if (name.endsWith(".json")) {
            return JsonMapper.builder().build().readTree(f.toFile()).size();
        }
        long data = lines.stream().filter(l -> !l.isBlank()).count();
        return name.endsWith(".csv") ? data - 1 : data;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void everyRowIsAccountedFor(Path f) throws IOException {
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            LabelImporter.FileReport r = new LabelImporter(store).importFile(f);
            assertEquals(rows(f), r.labels() + r.rejected().size() + r.otherChains(), "labels + rejected + other chains = rows; " + r);
            assertTrue(r.labels() > 0, r.toString());
            assertEquals(r.labels(), r.byCategory().values().stream().mapToInt(Integer::intValue).sum());
            String name = f.getFileName().toString();
            // Files whose category is the file's own: every label has it.
            LabelCategory whole = name.startsWith("sanctioned_addresses_") || name.equals("ofac_ethereum_named.csv")
                    || name.equals("ofac-sanctions-lists.csv") || name.startsWith("lazarus") || name.equals("ofac.yaml") ? LabelCategory.SANCTIONED
                    : name.equals("tornado-cash.csv") || name.equals("tornado_cash.yaml") || name.equals("blender_io.yaml")
                      || name.equals("mixing_fc2021.yaml") ? LabelCategory.MIXER
                    : name.equals("bridge.csv") ? LabelCategory.BRIDGE
                    : name.equals("dex.csv") ? LabelCategory.DEX
                    : name.equals("binance-deposit.csv") ? LabelCategory.DEPOSIT
                    : name.equals("binance.csv") || name.startsWith("exchange-wallets-") ? LabelCategory.EXCHANGE
                    : name.equals("binance_hack.yaml") ? LabelCategory.THEFT : null;
            if (whole != null) {
                assertEquals(Map.of(whole, r.labels()), r.byCategory(), name);
            }
            // Rejected rows name their line, which holds the address that was refused.
            List<String> lines = Files.readAllLines(f);
            for (var rej : r.rejected()) {
                assertTrue(rej.line() >= 1 && rej.line() <= lines.size(), rej.toString());
                String address = rej.reason().replaceAll(".*address: (\\S+).*", "$1");
                assertTrue(lines.get((int) rej.line() - 1).contains(address), rej + " vs line: " + lines.get((int) rej.line() - 1));
            }
        }
    }

    @Test
    void theOfacBitcoinListHoldsATronAddressWhichIsReportedAndSkipped() throws IOException {
        Path f = labels().resolve("ofac").resolve("sanctioned_addresses_XBT.txt");
        List<String> lines = Files.readAllLines(f);
        int tron = lines.indexOf("TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq") + 1;
        assertTrue(tron > 0);
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            LabelImporter.FileReport r = new LabelImporter(store).importFile(f);
            assertEquals(1, r.rejected().size());
            assertEquals(tron, r.rejected().getFirst().line());
            assertEquals(lines.size() - 1, r.labels());
            List<Label> l = store.labelsOf(Address.parse(lines.getFirst()));
            assertEquals(LabelCategory.SANCTIONED, l.getFirst().category());
        }
    }

    @Test
    void aCorruptedRowIsReportedWithItsLineAndTheRestImports() throws IOException {
        Path f = dir.resolve("mine.csv");
        Files.writeString(f, """
                chain,address,label,category,source
                bitcoin,1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,Satoshi,other,test
                ethereum,0xdeadbeef,Broken,exchange,test
                ethereum,0x3f5ce5fbfe3e9af3971dd833d26ba9b5c936f0be,Binance,exchange,test
                litecoin,LTC123,Elsewhere,exchange,test
                """);
        try (ChainStore store = ChainStore.open(dir.resolve("s"))) {
            LabelImporter.FileReport r = new LabelImporter(store).importFile(f);
            assertEquals(2, r.labels());
            assertEquals(2, r.rejected().size());
            assertEquals(3, r.rejected().get(0).line());
            assertTrue(r.rejected().get(0).toString().startsWith(f + ": line 3: "), r.rejected().get(0).toString());
            assertEquals(5, r.rejected().get(1).line());
            assertEquals(LabelCategory.EXCHANGE,
                    store.labelsOf(Address.parse("0x3f5ce5fbfe3e9af3971dd833d26ba9b5c936f0be")).getFirst().category());
        }
    }
}
