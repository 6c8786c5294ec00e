package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.trace.Direction;
import io.chaintrace.core.trace.Limits;
import io.chaintrace.core.trace.Seed;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TraceRequest;
import io.chaintrace.core.trace.TraceResult;
import io.chaintrace.core.trace.UtxoTracer;
import io.chaintrace.graph.ChainStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The five policies on real mainnet blocks 0-589, worked out by hand.
 *
 * <p>Forward from block 9's coinbase output (50 BTC), six hops. Every transaction on the way has
 * one input, which is fully tainted, so until block 496 every policy taints every output in full:
 * <pre>
 *  hop 1  f4184fc5 (170): 50 -> 10 (Hal Finney, unspent) + 40 (change)
 *  hop 2  a16f3ce4 (181): 40 -> 10 (unspent) + 30
 *  hop 3  591e91f8 (182): 30 -> 1 + 29
 *  hop 4  12b5633b (183): 29 -> 1 + 28;      298ca204 (221): 1 (from 182:0) -> 1 (unspent)
 *  hop 5  4385fcf8 (187): 1 (from 183:0) -> 1;  828ef3b0 (248): 28 -> 10 + 18 (unspent)
 *  hop 6  a3b0e9e7 (496): inputs 50 (clean, from block 360), 1 (187:0, tainted), 10 (248:0, tainted)
 *         -> one output of 61, no fee.
 * </pre>
 * At block 496 the policies part: a single output with no fee takes all 11 tainted BTC under
 * haircut (11/61 of 61), FIFO, LIFO and TIHO; poison marks the whole 61. Fees are zero on this
 * path, so the conserving policies end with all 50 BTC unspent: 10 + 10 + 1 + 18 + 11.
 */
class FivePoliciesByHandTest {
    static final long BTC = 100_000_000L;
    static final String SEED = "0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0";
    static final String MERGE = "a3b0e9e7cddbbe78270fa4182a7675ff00b92872d8df7d14265a2b1e379a9d33";

    @TempDir
    static Path dir;
    static ChainStore store;

    @BeforeAll
    static void ingest() {
        store = FirstBlocks.store(dir);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    /** Outpoint prefix (txid:vout) -> value in BTC; taint in BTC per policy: poison, haircut, fifo, lifo, tiho. */
    record Expected(String outpoint, int hop, long value, long poison, long haircut, long fifo, long lifo, long tiho) {
        long taint(String policy) {
            return switch (policy) {
                case "poison" -> poison;
                case "haircut" -> haircut;
                case "fifo" -> fifo;
                case "lifo" -> lifo;
                default -> tiho;
            };
        }
    }

    static final List<Expected> FORWARD = List.of(
            new Expected("0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0", 0, 50, 50, 50, 50, 50, 50),
            new Expected("f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16:0", 1, 10, 10, 10, 10, 10, 10),
            new Expected("f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16:1", 1, 40, 40, 40, 40, 40, 40),
            new Expected("a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be:0", 2, 10, 10, 10, 10, 10, 10),
            new Expected("a16f3ce4dd5deb92d98ef5cf8afeaf0775ebca408f708b2146c4fb42b41e14be:1", 2, 30, 30, 30, 30, 30, 30),
            new Expected("591e91f809d716912ca1d4a9295e70c3e78bab077683f79350f101da64588073:0", 3, 1, 1, 1, 1, 1, 1),
            new Expected("591e91f809d716912ca1d4a9295e70c3e78bab077683f79350f101da64588073:1", 3, 29, 29, 29, 29, 29, 29),
            new Expected("12b5633bad1f9c167d523ad1aa1947b2732a865bf5414eab2f9e5ae5d5c191ba:0", 4, 1, 1, 1, 1, 1, 1),
            new Expected("12b5633bad1f9c167d523ad1aa1947b2732a865bf5414eab2f9e5ae5d5c191ba:1", 4, 28, 28, 28, 28, 28, 28),
            new Expected("298ca2045d174f8a158961806ffc4ef96fad02d71a6b84d9fa0491813a776160:0", 4, 1, 1, 1, 1, 1, 1),
            new Expected("4385fcf8b14497d0659adccfe06ae7e38e0b5dc95ff8a13d7c62035994a0cd79:0", 5, 1, 1, 1, 1, 1, 1),
            new Expected("828ef3b079f9c23829c56fe86e85b4a69d9e06e5b54ea597eef5fb3ffef509fe:0", 5, 10, 10, 10, 10, 10, 10),
            new Expected("828ef3b079f9c23829c56fe86e85b4a69d9e06e5b54ea597eef5fb3ffef509fe:1", 5, 18, 18, 18, 18, 18, 18),
            // 10 + 1 tainted of 50 + 1 + 10 in, one output: 11 under every conserving policy; poison: all 61.
            new Expected(MERGE + ":0", 6, 61, 61, 11, 11, 11, 11));

    private static TraceResult trace(Seed seed, TaintPolicy p, Direction d, int hops) {
        return new UtxoTracer(store).trace(new TraceRequest(List.of(seed), p, d, Limits.DEFAULT.withHops(hops), Set.of(), false));
    }

    @Test
    void forwardSixHopsUnderEveryPolicy() {
        for (TaintPolicy p : TaintPolicy.ALL) {
            TraceResult r = trace(Seed.parse(SEED), p, Direction.FORWARD, 6);
            Map<String, Long> actual = new LinkedHashMap<>();
            r.outputs().forEach(o -> actual.put(o.outpoint().toString(), o.taint().amount()));
            Map<String, Long> expected = new LinkedHashMap<>();
            FORWARD.forEach(e -> expected.put(e.outpoint(), e.taint(p.name()) * BTC));
            assertEquals(expected, actual, p.name());
            for (Expected e : FORWARD) {
                assertEquals(e.hop(), r.outputs().stream().filter(o -> o.outpoint().toString().equals(e.outpoint())).findFirst()
                        .orElseThrow().hop(), p.name() + " hop of " + e.outpoint());
            }
            if (p.conserving()) {
                assertTrue(r.balanced(), p.name());
                assertEquals(50 * BTC, r.account().unspent(), p.name() + ": 10 + 10 + 1 + 18 + 11 BTC rest unspent");
            } else {
                assertEquals(100 * BTC, r.account().unspent(), "poison: 10 + 10 + 1 + 18 + 61 BTC of whole outputs");
            }
        }
    }

    /**
     * Backward from 55.5 BTC of the 61 BTC output of block 496, one hop: which inputs paid for it?
     * Inputs in order: 50 BTC (block 360), 1 BTC (block 187), 10 BTC (block 248).
     * <ul>
     *   <li>FIFO, input order: 50 + 1 + 4.5 of the 10.
     *   <li>LIFO, newest input first (blocks 360, 248, 187): 50 + 5.5 of the 10; the 1 is untouched.
     *   <li>TIHO, highest input first (50, 10, 1): the same here, since the newest inputs are also the largest.
     *   <li>Haircut, 55.5/61 of each: 1 -> 0.90983606|557, 10 -> 9.09836065|573, 50 -> 45.49180327|869
     *       (satoshi | fraction); the floors leave 2 satoshi, which go to the two largest fractions:
     *       0.90983606, 9.09836066, 45.49180328.
     *   <li>Poison: every input whole: 1, 10, 50.
     * </ul>
     */
    @Test
    void backwardOneHopFromPartOfTheMerge() {
        Seed part = Seed.parse(MERGE + ":0=" + 5_550_000_000L);
        Map<String, Map<Integer, Long>> expected = Map.of(
                "fifo", Map.of(360, 50 * BTC, 187, BTC, 248, 450_000_000L),
                "lifo", Map.of(360, 50 * BTC, 248, 550_000_000L),
                "tiho", Map.of(360, 50 * BTC, 248, 550_000_000L),
                "haircut", Map.of(187, 90_983_606L, 248, 909_836_066L, 360, 4_549_180_328L),
                "poison", Map.of(187, BTC, 248, 10 * BTC, 360, 50 * BTC));
        for (TaintPolicy p : TaintPolicy.ALL) {
            TraceResult r = trace(part, p, Direction.BACKWARD, 1);
            Map<Integer, Long> actual = new java.util.HashMap<>();
            r.outputs().stream().filter(o -> o.hop() == 1).forEach(o -> actual.put(o.height(), o.taint().amount()));
            assertEquals(expected.get(p.name()), actual, p.name());
            if (p.conserving()) {
                assertTrue(r.balanced(), p.name());
                assertEquals(5_550_000_000L, r.account().cutByHops(), p.name() + ": all of it waits beyond the hop limit");
            }
        }
    }

    @Test
    void backwardAllTheWayEndsInCoinbases() {
        // The 11 tainted BTC of block 496 came from block 9's coinbase (via 170 ... 248); the rest
        // from the coinbase of block 360's funding. Backward without a hop limit ends at coinbases only.
        for (TaintPolicy p : TaintPolicy.ALL) {
            if (!p.conserving()) {
                continue;
            }
            TraceResult r = trace(Seed.parse(MERGE + ":0"), p, Direction.BACKWARD, 100);
            assertTrue(r.balanced(), p.name());
            assertEquals(61 * BTC, r.account().minted(), p.name() + ": every satoshi was mined");
        }
    }
}
