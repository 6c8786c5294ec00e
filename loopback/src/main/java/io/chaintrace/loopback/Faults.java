package io.chaintrace.loopback;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Faults a loopback server injects, one per request, in the order they were queued: what a real
 * service does on a bad day (rate limits, errors, stalls, broken bodies, damaged data).
 */
public final class Faults {
    /** One injected fault. */
    public enum Fault {
        /** HTTP 429 with {@code Retry-After: 1}. */
        RATE_LIMITED,
        /** HTTP 500 with a body that is not the protocol's. */
        SERVER_ERROR,
        /** No answer for longer than any client waits (the connection is held). */
        TIMEOUT,
        /** HTTP 200 with a body cut in the middle of its JSON. */
        MALFORMED,
        /** The answer's block or transaction bytes with one byte flipped. */
        CORRUPT,
        /** HTTP 200 whose body says the rate limit was reached: how Etherscan answers a client that asks too fast. */
        RATE_LIMITED_IN_BODY
    }

    private final Deque<Fault> queue = new ArrayDeque<>();
    private volatile long stallMillis = 5_000;
    private volatile long latencyMillis;
    private int passes;

    /** Queues a fault for each of the next {@code times} requests. */
    public synchronized Faults add(Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            queue.add(fault);
        }
        return this;
    }

    /** Queues a fault for every request from now on (until {@link #clear}). */
    public synchronized Faults always(Fault fault) {
        return add(fault, 1_000_000);
    }

    public synchronized void clear() {
        queue.clear();
        passes = 0;
    }

    /** The next {@code requests} requests are answered without a fault, then the queued faults begin (a failure part-way). */
    public synchronized Faults after(int requests) {
        passes = requests;
        return this;
    }

    /** How long a {@link Fault#TIMEOUT} holds the connection. */
    public Faults stall(long millis) {
        stallMillis = millis;
        return this;
    }

    long stallMillis() {
        return stallMillis;
    }

    /** Every answer waits this long first: a distant service (and time for a test to kill a client mid-way). */
    public Faults latency(long millis) {
        latencyMillis = millis;
        return this;
    }

    /** Waits the latency, if any. */
    void delay() {
        if (latencyMillis > 0) {
            try {
                Thread.sleep(latencyMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The fault for the request being answered, or null. */
    synchronized Fault next() {
        if (passes > 0) {
            passes--;
            return null;
        }
        return queue.poll();
    }
}
