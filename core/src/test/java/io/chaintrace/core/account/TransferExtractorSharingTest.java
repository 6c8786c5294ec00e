package io.chaintrace.core.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An import extracts blocks on several threads with one extractor, whose cache of accounts they share: each thread's
 * transfers are those a lone extractor finds, whatever the others put in the cache meanwhile. Accounts are drawn from a
 * few hundred, so the threads read and write the same slots at once, and given in either case (the cache keys the text
 * as given, the address is the checksummed form either way).
 */
class TransferExtractorSharingTest {
    @Test
    void threadsSharingOneExtractorFindWhatALoneOneFinds() throws Exception {
        SplittableRandom rnd = new SplittableRandom(19);
        List<EthRows.Block> blocks = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            List<EthRows.Tx> txs = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                txs.add(new EthRows.Tx(hash(rnd), n, i, account(rnd), Optional.of(account(rnd)), BigInteger.valueOf(1 + rnd.nextInt(1_000_000)),
                        Optional.empty()));
            }
            blocks.add(new EthRows.Block(n, hash(rnd), hash(rnd), 1_600_000_000L + n, txs));
        }
        List<List<AccountTransfer>> alone = new ArrayList<>();
        TransferExtractor lone = new TransferExtractor(t -> Asset.ETH);
        for (EthRows.Block b : blocks) {
            alone.add(lone.extract(b, Map.of(), List.of(), List.of()));
        }
        TransferExtractor shared = new TransferExtractor(t -> Asset.ETH);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<List<AccountTransfer>>>> runs = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                int offset = k * 50;
                runs.add(pool.submit(() -> {
                    List<List<AccountTransfer>> out = new ArrayList<>();
                    for (int i = 0; i < blocks.size(); i++) {
                        out.add(shared.extract(blocks.get((i + offset) % blocks.size()), Map.of(), List.of(), List.of()));
                    }
                    return out;
                }));
            }
            for (int k = 0; k < 4; k++) {
                List<List<AccountTransfer>> got = runs.get(k).get();
                for (int i = 0; i < blocks.size(); i++) {
                    assertEquals(alone.get((i + k * 50) % blocks.size()), got.get(i), "thread " + k + ", block " + i);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(20_000, alone.stream().mapToInt(List::size).sum(), "every transaction moved ether");
        assertEquals(Address.parse(blocks.getFirst().transactions().getFirst().from().toLowerCase(java.util.Locale.ROOT)), alone.getFirst().getFirst().from());
    }

    /**
     * More accounts than the cache holds (its sets of four overflow and drop their oldest), met by two threads at once,
     * some again soon after, some in another case: every transfer still names its own accounts.
     */
    @Test
    void accountsBeyondTheCacheAreEachTheirOwn() throws Exception {
        TransferExtractor shared = new TransferExtractor(t -> Asset.ETH);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                SplittableRandom rnd = new SplittableRandom(40 + k);
                runs.add(pool.submit(() -> {
                    int checked = 0;
                    List<String> recent = new ArrayList<>();
                    for (int n = 0; n < 1_500; n++) {
                        List<EthRows.Tx> txs = new ArrayList<>();
                        for (int i = 0; i < 100; i++) {
                            String from = recent.size() > 100 && rnd.nextBoolean() ? recent.get(rnd.nextInt(recent.size() - 100, recent.size()))
                                    : String.format("0x%016x%016x%08x", rnd.nextLong(), rnd.nextLong(), rnd.nextInt());
                            recent.add(from);
                            String to = String.format("0x%016x%016x%08x", rnd.nextLong(), rnd.nextLong(), rnd.nextInt());
                            txs.add(new EthRows.Tx(hash(rnd), n, i, rnd.nextInt(4) == 0 ? from.toUpperCase(java.util.Locale.ROOT).replace("0X", "0x") : from,
                                    Optional.of(to), BigInteger.ONE, Optional.empty()));
                        }
                        List<AccountTransfer> out = shared.extract(new EthRows.Block(n, hash(rnd), hash(rnd), 1_600_000_000L + n, txs), Map.of(),
                                List.of(), List.of());
                        for (int i = 0; i < txs.size(); i++) {
                            assertEquals(Address.parse(txs.get(i).from().toLowerCase(java.util.Locale.ROOT)), out.get(i).from(), "block " + n);
                            assertEquals(Address.parse(txs.get(i).to().get()), out.get(i).to(), "block " + n);
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            for (Future<Integer> run : runs) {
                assertEquals(150_000, run.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Hash256 hash(SplittableRandom rnd) {
        byte[] b = new byte[32];
        rnd.nextBytes(b);
        return new Hash256(b);
    }

    /** One of 500 accounts, its letters in upper or lower case. */
    private static String account(SplittableRandom rnd) {
        String hex = String.format("%040x", BigInteger.valueOf(rnd.nextInt(500)).multiply(BigInteger.valueOf(0x9e3779b97f4a7c15L & Long.MAX_VALUE)));
        hex = hex.substring(hex.length() - 40);
        return "0x" + (rnd.nextBoolean() ? hex : hex.toUpperCase(java.util.Locale.ROOT));
    }
}
