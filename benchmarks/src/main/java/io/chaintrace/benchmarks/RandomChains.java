package io.chaintrace.benchmarks;

import io.chaintrace.core.compact.CompactChain;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Random UTXO chains of a given size, straight into compact arrays (no object per edge): mostly
 * one or two inputs and two outputs, coins spent soon after they are made (as on mainnet), some
 * coinbases, a few large consolidations; one owner in a thousand is an exchange endpoint.
 */
final class RandomChains {
    private RandomChains() {
    }

    static CompactChain generate(long seed, int edges) {
        SplittableRandom rnd = new SplittableRandom(seed);
        CompactChain.Builder b = new CompactChain.Builder();
        int[] unspent = new int[Math.max(1024, edges)];
        long[] value = new long[Math.max(1024, edges)];
        int pool = 0;
        int made = 0;
        int owners = Math.max(100, edges / 3);
        for (int i = 0; i < owners / 1000; i++) {
            b.endpoint(rnd.nextInt(owners));
        }
        while (made < edges) {
            b.transaction();
            long in = 0;
            int inputs = pool < 8 || rnd.nextInt(16) == 0 ? 0 : rnd.nextInt(10) == 0 ? 2 + rnd.nextInt(6) : 1 + rnd.nextInt(2);
            if (inputs == 0) {
                b.input(-1);
                in = 1 + rnd.nextLong(5_000_000_000L);
            }
            for (int k = 0; k < inputs && pool > 0; k++) {
                // Recent coins are spent most: pick from the newest part of the pool.
                int window = Math.min(pool, 4096);
                int at = pool - 1 - rnd.nextInt(window);
                int out = unspent[at];
                in += value[out];
                b.input(out);
                unspent[at] = unspent[--pool];
            }
            int outs = rnd.nextInt(8) == 0 ? 3 + rnd.nextInt(8) : 2;
            long fee = in > 10_000 ? rnd.nextLong(in / 5000 + 1) : 0;
            long left = in - fee;
            for (int j = 0; j < outs && made < edges; j++) {
                long v = j == outs - 1 ? left : rnd.nextLong(left + 1);
                left -= v;
                int id = b.output(v, rnd.nextInt(owners));
                value[id] = v;
                unspent[pool++] = id;
                made++;
            }
        }
        return b.build();
    }

    /** Seeds: {@code n} outputs from the first tenth of the chain. */
    static int[] seeds(CompactChain c, int n, long seed) {
        Random rnd = new Random(seed);
        int[] s = new int[n];
        int limit = Math.max(1, c.edges() / 10);
        for (int i = 0; i < n; i++) {
            s[i] = rnd.nextInt(limit);
        }
        return java.util.Arrays.stream(s).distinct().toArray();
    }
}
