package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.pattern.Alert;
import io.chaintrace.core.pattern.PatternDetector;
import io.chaintrace.core.pattern.Patterns;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detectors over every real block file in ../shared/data/btc: counts per pattern printed
 * (they go in the note), and two findings checked by hand and asserted.
 */
class RealPatternsTest {
    @TempDir
    Path dir;

    private List<Alert> scan(Path file) {
        Path store = dir.resolve(file.getFileName().toString());
        List<Alert> alerts = new ArrayList<>();
        try (ChainStore s = ChainStore.open(store)) {
            new BlockFileSource(s, List.of(file)).run(IngestListener.NONE);
            List<PatternDetector> detectors = Patterns.standard();
            s.forEachTransaction(tx -> detectors.forEach(d -> d.accept(tx, s, alerts::add)));
            detectors.forEach(d -> d.finish(alerts::add));
        }
        return alerts;
    }

    @Test
    void countsPerPatternOverEveryRealFile() throws IOException {
        Map<String, Integer> total = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("blk", "raw")) {
            try (Stream<Path> s = Files.list(SharedData.btc().resolve(sub))) {
                s.sorted().forEach(files::add);
            }
        }
        for (Path f : files) {
            Map<String, Integer> counts = new TreeMap<>();
            for (Alert a : scan(f)) {
                counts.merge(a.pattern(), 1, Integer::sum);
                assertTrue(!a.transactions().isEmpty() && a.confidence() > 0 && a.confidence() <= 1, a.toString());
            }
            counts.forEach((k, v) -> total.merge(k, v, Integer::sum));
            System.out.printf("%-22s %s%n", f.getFileName(), counts);
        }
        System.out.printf("%-22s %s%n", "all files", total);
        assertTrue(total.getOrDefault("peel_chain", 0) > 0 && total.getOrDefault("coinjoin.joinmarket", 0) > 0, total.toString());
    }

    /**
     * Checked by hand: tx 77cc542c… (block 556,977, Jan 2019, position 755) has 20 inputs from 17
     * funding transactions and 11 P2SH outputs: 6 of exactly 510,041,099 sat (a taker's chosen
     * amount, not round) and 5 others of different values (the makers' change; the taker has
     * none): 6 participants, the JoinMarket shape. The funding transactions are not in the file,
     * so the alert says its 20 inputs were unresolved.
     */
    @Test
    void aRealJoinMarketCoinJoin() {
        Alert a = scan(SharedData.btc().resolve("blk").resolve("block2019Jan.blk")).stream()
                .filter(x -> x.transactions().getFirst().equals(Hash256.fromHex("77cc542cada002e81ca9247d219e60ee6e999fe15f977e246dc612801976b8ea")))
                .findFirst().orElseThrow();
        assertEquals("coinjoin.joinmarket", a.pattern());
        assertEquals(List.of(510_041_099L, 6L), a.amounts().stream().map(java.math.BigInteger::longValueExact).toList());
        assertEquals(6, a.addresses().size());
        assertTrue(a.addresses().stream().allMatch(x -> x.text().startsWith("3")), a.addresses().toString());
        assertEquals("20", a.parameters().get("unresolvedInputs"));
        assertEquals(List.of(1546599643L), a.times());
    }

    /**
     * Checked by hand: block 556,977 positions 599-602. 92c04184… spends 220,488,356 sat of
     * 1CJZXrvt…, pays 154,500 to 3Q7RTVrX… and 220,331,168 to a fresh P2PKH address (fee 2,688);
     * adca5493… spends that remainder and peels 154,500 again (remainder 220,173,980); a800cd9b…
     * peels 154,500 (remainder 220,016,792); 4d4ba4dc… peels 154,300 (remainder 219,859,804).
     * Four steps, one input each, the remainder shrinking: a peel chain.
     */
    @Test
    void aRealPeelChain() {
        List<Hash256> chain = List.of(Hash256.fromHex("92c0418451d73a94818d7953ba11d4189e4611c94dd6ab01120fa094e8099c86"),
                Hash256.fromHex("adca549357c8891e7fb8dee13c71dbdf67605c7e66b067088ed604f058e0f9f7"),
                Hash256.fromHex("a800cd9b16ec00ba803102de987c73851a2816d1d11c3315026d370b02aee6c1"),
                Hash256.fromHex("4d4ba4dc0886737671f49c7a1cad8762cf8c3e2a65ce83707d64b516025cb812"));
        Alert a = scan(SharedData.btc().resolve("blk").resolve("block2019Jan.blk")).stream()
                .filter(x -> x.transactions().getFirst().equals(chain.getFirst())).findFirst().orElseThrow();
        assertEquals("peel_chain", a.pattern());
        assertEquals(chain, a.transactions());
        assertEquals(List.of(154_500L, 154_500L, 154_500L, 154_300L), a.amounts().stream().map(java.math.BigInteger::longValueExact).toList());
        assertEquals("3Q7RTVrXMq74dVk5tjsLzsX1Vxm5CvJhDx", a.addresses().getFirst().text());
    }

    /**
     * Pass-through on the 2019 block: 39 alerts once (issue 16), chained through any output, a wallet's change counted as
     * forwarded; e.g. 829da9c9 -> d82cf564 -> 135c9835 was two steps of a wallet's change chain and then a 0.038 BTC
     * payment. Now one alert. Checked by hand: 71ae5359 -> 66f5aba0 -> aa94323d (-> 743ed330, beyond the third hop),
     * all in block 556,977: each spends the one output of the step before and has one output itself, to a fresh P2PKH
     * address, 2,658,971 -> 2,657,061 -> 2,655,151 sat (1,910 sat fee a hop): value passed straight through. The
     * change chain above is a peel chain, and reported as one.
     */
    @Test
    void passThroughOnTheBlockOf2019IsTheRealOneOnly() {
        List<Alert> alerts = scan(SharedData.btc().resolve("blk").resolve("block2019Jan.blk"));
        List<Alert> pass = alerts.stream().filter(a -> a.pattern().equals("pass_through")).toList();
        assertTrue(pass.size() <= 10, pass.size() + " pass_through alerts");
        List<Hash256> hops = List.of(Hash256.fromHex("71ae53592c257c5be57961cedd102f2f71d1f224f835f8f0225779659156b8d1"),
                Hash256.fromHex("66f5aba037da8595c45200931bd4c106cf4877d472dbbda14d4d381364b7d625"),
                Hash256.fromHex("aa94323d62b070d4acefa14430ccb86f94630ba6d1c471ce9b2d8a222fed21ba"));
        assertEquals(List.of(hops), pass.stream().map(Alert::transactions).toList());
        assertEquals(List.of(2_658_971L, 2_657_061L, 2_655_151L), pass.getFirst().amounts().stream()
                .map(java.math.BigInteger::longValueExact).toList());
        Hash256 change = Hash256.fromHex("829da9c9cb9e36857599277dbc795455f8b2a5ce1b94e5d5738f794c9bd0dcd6");
        assertTrue(pass.stream().noneMatch(a -> a.transactions().contains(change)), "a wallet's change chain is not pass-through");
        assertTrue(alerts.stream().anyMatch(a -> a.pattern().equals("peel_chain") && a.transactions().getFirst().equals(change)),
                "it is a peel chain");
    }
}
