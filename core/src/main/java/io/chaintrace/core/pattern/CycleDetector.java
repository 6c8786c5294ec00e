package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongArrayFIFOQueue;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cycles in time order (round-tripping): value that left an address comes back to it within
 * {@code maxHops} transactions and {@code window} seconds. Each unspent coin of the window carries
 * the addresses its value left on the way (as 64-bit hashes, with when, how many hops ago and in
 * which transaction), so a return is seen, with both ends, when it happens; change to the payer
 * itself is not a return.
 */
public final class CycleDetector implements PatternDetector {
    private final int maxHops;
    private final long window;
    private final CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();
    /** Per coin (a 64-bit key of its outpoint): address hashes, (time << 8 | hops), and the transactions the value left in. */
    private final Long2ObjectOpenHashMap<Carried> origins = new Long2ObjectOpenHashMap<>();

    private record Carried(long[] address, long[] timeHops, Hash256[] leftIn) {
    }
    /** Coins in the order they were made, with their time, to drop them once older than the window. */
    private final LongArrayFIFOQueue madeKeys = new LongArrayFIFOQueue();
    private final LongArrayFIFOQueue madeTimes = new LongArrayFIFOQueue();

    public CycleDetector(int maxHops, long window) {
        this.maxHops = maxHops;
        this.window = window;
    }

    public static CycleDetector standard() {
        return new CycleDetector(4, 7 * 86_400);
    }

    @Override
    public String name() {
        return "cycle";
    }

    @Override
    public void accept(UtxoTransaction tx, UtxoLedger ledger, Consumer<Alert> alerts) {
        if (tx.coinbase() || coinjoins.match(tx).isPresent()) {
            return;
        }
        long now = tx.block().time();
        while (!madeTimes.isEmpty() && now - madeTimes.firstLong() > window) {
            madeTimes.dequeueLong();
            origins.remove(madeKeys.dequeueLong());
        }
        // What the inputs carry: the smallest hop per address still within hops and window.
        Long2LongOpenHashMap carried = new Long2LongOpenHashMap();
        Long2ObjectOpenHashMap<Hash256> leftIn = new Long2ObjectOpenHashMap<>();
        for (TxInput in : tx.inputs()) {
            Carried o = origins.remove(key(in.prevout().txid(), in.prevout().vout()));
            if (o != null) {
                for (int i = 0; i < o.address().length; i++) {
                    long time = o.timeHops()[i] >> 8;
                    int hops = (int) (o.timeHops()[i] & 0xff);
                    if (hops < maxHops && now - time <= window) {
                        long old = carried.getOrDefault(o.address()[i], Long.MAX_VALUE);
                        if (old == Long.MAX_VALUE || (old & 0xff) > hops) {
                            carried.put(o.address()[i], o.timeHops()[i]);
                            leftIn.put(o.address()[i], o.leftIn()[i]);
                        }
                    }
                }
            }
        }
        java.util.Set<String> payers = Payments.inputOwners(tx);
        for (String p : payers) {
            carried.put(hash(p), now << 8);
            leftIn.put(hash(p), tx.txid());
        }
        for (TxOutput out : tx.outputs()) {
            if (out.owner().isEmpty()) {
                continue;
            }
            String owner = out.owner().get().text();
            long back = carried.getOrDefault(hash(owner), Long.MAX_VALUE);
            if (back != Long.MAX_VALUE && !payers.contains(owner)) {
                int hops = (int) (back & 0xff) + 1;
                List<Hash256> txs = List.of(leftIn.get(hash(owner)), tx.txid());
                alerts.accept(Alert.of(name(), txs, List.of(out.owner().get()), List.of(out.value()), List.of(back >> 8, now), 0.8,
                        Map.of("maxHops", Integer.toString(maxHops), "windowSeconds", Long.toString(window), "hops", Integer.toString(hops))));
            }
            long[] address = new long[carried.size()];
            long[] timeHops = new long[carried.size()];
            Hash256[] left = new Hash256[carried.size()];
            int i = 0;
            for (var e : carried.long2LongEntrySet()) {
                address[i] = e.getLongKey();
                timeHops[i] = e.getLongValue() + 1; // one hop further
                left[i++] = leftIn.get(e.getLongKey());
            }
            long k = key(tx.txid(), out.index());
            origins.put(k, new Carried(address, timeHops, left));
            madeKeys.enqueue(k);
            madeTimes.enqueue(now);
        }
    }

    private static long key(Hash256 txid, int vout) {
        return ByteBuffer.wrap(txid.bytes()).getLong() * 31 + vout;
    }

    private static long hash(String address) {
        long h = 1125899906842597L;
        for (int i = 0; i < address.length(); i++) {
            h = 31 * h + address.charAt(i);
        }
        return h;
    }
}
