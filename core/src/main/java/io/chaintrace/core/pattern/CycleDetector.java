package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Cycles in time order (round-tripping): value that left an address comes back to it within
 * {@code maxHops} transactions and {@code window} seconds. Each coin carries the addresses its
 * value left on the way (with where and when), so a return is seen when it happens; change to the
 * payer itself is not a return.
 */
public final class CycleDetector implements PatternDetector {
    private final int maxHops;
    private final long window;
    private final CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();
    /** Per unspent coin of the last window, the addresses its value left on the way. */
    private final TimedMap<Outpoint, Map<String, Left>> origins = new TimedMap<>();

    /** Value left {@code address} in {@code tx} at {@code time}, {@code hops} transactions ago. */
    private record Left(Address address, Hash256 tx, long time, int hops) {
    }

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
        origins.expire(now, window);
        Map<String, Left> carried = new HashMap<>();
        for (TxInput in : tx.inputs()) {
            Map<String, Left> o = origins.remove(in.prevout());
            if (o != null) {
                for (Left l : o.values()) {
                    if (l.hops() < maxHops && now - l.time() <= window) {
                        carried.merge(l.address().text(), l, (a, b) -> a.hops() <= b.hops() ? a : b);
                    }
                }
            }
            in.owner().ifPresent(a -> carried.put(a.text(), new Left(a, tx.txid(), now, 0)));
        }
        Set<String> payers = Payments.inputOwners(tx);
        for (TxOutput out : tx.outputs()) {
            if (out.owner().isEmpty()) {
                continue;
            }
            String owner = out.owner().get().text();
            Left back = carried.get(owner);
            if (back != null && !payers.contains(owner)) {
                alerts.accept(Alert.of(name(), List.of(back.tx(), tx.txid()), List.of(out.owner().get()), List.of(out.value()),
                        List.of(back.time(), now), 0.8, Map.of("maxHops", Integer.toString(maxHops), "windowSeconds", Long.toString(window),
                        "hops", Integer.toString(back.hops() + 1))));
            }
            Map<String, Left> next = new HashMap<>();
            carried.forEach((k, l) -> next.put(k, new Left(l.address(), l.tx(), l.time(), l.hops() + 1)));
            if (!next.isEmpty()) {
                origins.put(new Outpoint(tx.txid(), out.index()), next, now);
            }
        }
    }
}
