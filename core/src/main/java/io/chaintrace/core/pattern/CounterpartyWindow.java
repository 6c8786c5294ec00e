package io.chaintrace.core.pattern;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Per address, the payments of the last {@code window} seconds and their counterparties. A burst
 * is reported once the distinct counterparties reach {@code threshold}; the address then stays
 * quiet for a window (one alert per burst, however many more payments it holds). What an address's
 * window holds depends on that address's own payments alone (their ages are checked per address;
 * dropping old entries only bounds memory), so a job that runs it per address in parallel (module
 * spark) finds the same bursts as one pass over the chain.
 */
final class CounterpartyWindow {
    /** One payment: its time, transaction, the other side and the amount. */
    record Event(long time, Hash256 tx, Address counterparty, long amount) {
    }

    private final int threshold;
    private final long window;
    private final TimedMap<String, Deque<Event>> byAddress = new TimedMap<>();
    private final TimedMap<String, Long> quietUntil = new TimedMap<>();

    CounterpartyWindow(int threshold, long window) {
        this.threshold = threshold;
        this.window = window;
    }

    /** Records one transaction's payments of an address; returns the burst they complete, else an empty list. */
    List<Event> add(Address address, List<Event> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        long now = events.getFirst().time();
        byAddress.expire(now, window);
        quietUntil.expire(now, window);
        String key = address.text();
        Long quiet = quietUntil.get(key);
        if (quiet != null) {
            if (now <= quiet && now - quietUntil.time(key) <= window) {
                return List.of();
            }
            quietUntil.remove(key);
        }
        Deque<Event> d = byAddress.get(key);
        if (d == null || now - byAddress.time(key) > window) {
            d = new ArrayDeque<>(); // older than the window (block times can step back: expire stops at the first young entry)
        }
        byAddress.put(key, d, now);
        while (!d.isEmpty() && now - d.peekFirst().time() > window) {
            d.pollFirst();
        }
        d.addAll(events);
        Set<String> distinct = new HashSet<>();
        d.forEach(x -> distinct.add(x.counterparty().text()));
        if (distinct.size() < threshold) {
            return List.of();
        }
        List<Event> burst = new ArrayList<>(d);
        byAddress.remove(key);
        quietUntil.put(key, burst.getFirst().time() + window, now);
        return burst;
    }
}
