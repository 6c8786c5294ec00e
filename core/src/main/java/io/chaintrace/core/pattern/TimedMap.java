package io.chaintrace.core.pattern;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map whose entries carry the time they were last put, kept in that order, so everything older
 * than a window can be dropped from the front: detectors feed transactions in chain order, and
 * their state must not grow with the chain.
 */
final class TimedMap<K, V> {
    private record Timed<V>(long time, V value) {
    }

    private final LinkedHashMap<K, Timed<V>> entries = new LinkedHashMap<>();

    V get(K key) {
        Timed<V> t = entries.get(key);
        return t == null ? null : t.value();
    }

    /** When {@code key} was last put (call only for a key present). */
    long time(K key) {
        return entries.get(key).time();
    }

    /** Puts (or refreshes) an entry as of {@code time}, moving it to the back. */
    void put(K key, V value, long time) {
        entries.remove(key);
        entries.put(key, new Timed<>(time, value));
    }

    V remove(K key) {
        Timed<V> t = entries.remove(key);
        return t == null ? null : t.value();
    }

    /** Drops the entries last put more than {@code maxAge} seconds before {@code now}. */
    void expire(long now, long maxAge) {
        Iterator<Map.Entry<K, Timed<V>>> it = entries.entrySet().iterator();
        while (it.hasNext() && now - it.next().getValue().time() > maxAge) {
            it.remove();
        }
    }
}
