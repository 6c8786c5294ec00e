package io.chaintrace.core.cluster;

import it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.ints.IntOpenHashSet;
import it.unimi.dsi.fastutil.objects.ObjectIterator;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.function.IntPredicate;

/**
 * Exchange deposit addresses on Ethereum (Victor 2020, docs/CLUSTERING.md): an address D that
 * forwards to a known exchange address, within {@code maxBlocks} blocks, an amount within
 * {@code tolerance} wei of what it received, is that exchange's deposit address, and every
 * account that paid into D is one entity (the customer's). Transfers are fed in chain order; ETH
 * only (token deposits are swept differently).
 *
 * <p>Accounts are the store's owner ids: a chain's worth of transfers goes through here, and maps of
 * address text and a list of every inflow ever received were most of a clustering's time and memory.
 * What an account received is kept for the window only (older inflows can match no later forward);
 * who paid it is kept for good, as ids (a forward found later joins every earlier payer).
 */
public final class DepositAddressClustering {
    private final UnionFind sets;
    private final IntPredicate exchange;
    private final long maxBlocks;
    private final BigInteger tolerance;
    /** Per receiving account, what it received within the window, oldest first. */
    private final Int2ObjectOpenHashMap<ArrayDeque<Inflow>> received = new Int2ObjectOpenHashMap<>();
    /** Per receiving account, its first payer; the later ones in {@link #morePayers}, if any. */
    private final Int2IntOpenHashMap firstPayer = new Int2IntOpenHashMap();
    private final Int2ObjectOpenHashMap<IntArrayList> morePayers = new Int2ObjectOpenHashMap<>();
    private final IntOpenHashSet deposits = new IntOpenHashSet();
    private long links;
    private long swept = Long.MIN_VALUE / 2;

    private record Inflow(long block, BigInteger amount) {
    }

    /** @param exchange whether an owner id is labelled an exchange */
    public DepositAddressClustering(UnionFind sets, IntPredicate exchange, long maxBlocks, BigInteger tolerance) {
        this.sets = sets;
        this.exchange = exchange;
        this.maxBlocks = maxBlocks;
        this.tolerance = tolerance;
    }

    /** 3,200 blocks, 0.01 ETH: the published thresholds. */
    public static DepositAddressClustering standard(UnionFind sets, IntPredicate exchange) {
        return new DepositAddressClustering(sets, exchange, 3_200, BigInteger.TEN.pow(16));
    }

    /**
     * Takes in an ether transfer of {@code amount} wei from owner {@code from} to owner {@code to} in {@code block} (token
     * transfers are not fed). Returns whether it revealed {@code from} as a deposit address.
     */
    public boolean accept(long block, int from, int to, BigInteger amount) {
        sweep(block);
        boolean fromExchange = exchange.test(from);
        if (fromExchange) {
            return false;
        }
        if (exchange.test(to)) {
            ArrayDeque<Inflow> in = received.get(from);
            if (in != null) {
                drop(in, block);
                for (Inflow f : in) {
                    if (f.amount().subtract(amount).abs().compareTo(tolerance) <= 0) {
                        deposit(from);
                        return true;
                    }
                }
            }
            return false;
        }
        ArrayDeque<Inflow> in = received.get(to);
        if (in == null) {
            in = new ArrayDeque<>(2);
            received.put(to, in);
        } else {
            drop(in, block);
        }
        in.addLast(new Inflow(block, amount));
        int first = firstPayer.getOrDefault(to, -1);
        if (first < 0) {
            firstPayer.put(to, from);
        } else if (first != from) {
            IntArrayList more = morePayers.get(to);
            if (more == null) {
                morePayers.put(to, more = new IntArrayList(2));
            }
            if (more.isEmpty() || more.getInt(more.size() - 1) != from) {
                more.add(from);
            }
            if (deposits.contains(to)) {
                join(from, first); // a known deposit address: its new payer is the same customer
            }
        }
        return false;
    }

    private void deposit(int d) {
        if (!deposits.add(d)) {
            return; // its payers were joined when it was found, and each new one as it paid
        }
        int first = firstPayer.getOrDefault(d, -1);
        IntArrayList more = morePayers.get(d);
        if (first >= 0 && more != null) {
            for (int i = 0; i < more.size(); i++) {
                join(more.getInt(i), first);
            }
        }
    }

    private void drop(ArrayDeque<Inflow> in, long block) {
        while (!in.isEmpty() && block - in.peekFirst().block() > maxBlocks) {
            in.pollFirst();
        }
    }

    /** Once a window: accounts whose every inflow is older than the window are let go (they can match nothing now). */
    private void sweep(long block) {
        if (block - swept <= maxBlocks) {
            return;
        }
        swept = block;
        for (ObjectIterator<Int2ObjectOpenHashMap.Entry<ArrayDeque<Inflow>>> it = received.int2ObjectEntrySet().fastIterator(); it.hasNext(); ) {
            ArrayDeque<Inflow> in = it.next().getValue();
            if (in.isEmpty() || block - in.peekLast().block() > maxBlocks) {
                it.remove();
            }
        }
    }

    private void join(int a, int b) {
        if (sets.find(a) != sets.find(b)) {
            sets.union(a, b);
            links++;
        }
    }

    /** How many accounts have inflows kept (within the window, swept once a window). */
    int watched() {
        return received.size();
    }

    public long links() {
        return links;
    }
}
