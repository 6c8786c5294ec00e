package io.chaintrace.core.compact;

import io.chaintrace.core.trace.FifoPolicy;
import io.chaintrace.core.trace.Flow;
import io.chaintrace.core.trace.HaircutPolicy;
import io.chaintrace.core.trace.LifoPolicy;
import io.chaintrace.core.trace.PoisonPolicy;
import io.chaintrace.core.trace.Taint;
import io.chaintrace.core.trace.TaintPolicy;
import io.chaintrace.core.trace.TihoPolicy;
import it.unimi.dsi.fastutil.ints.Int2LongOpenHashMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import java.util.Arrays;

/**
 * A forward trace over compact rows ({@link CompactChain} in memory, {@link PagedChain} from a store). Transactions are taken in id order, which is chain
 * order, as the object tracer takes them; taint and hops live on pages of primitive arrays
 * allocated where the trace goes ({@link Paged}). Poison, haircut
 * and TIHO run on amounts; FIFO and LIFO keep each coin's tainted intervals and go through their
 * policy classes. Gives the same amounts and account as the object tracer.
 */
public final class CompactTracer {
    private final UtxoRows c;

    public CompactTracer(UtxoRows chain) {
        this.c = chain;
    }

    /** Where the taint went: {@code outputTaint} by output id (the outputs reached), {@code endpointTaint} by owner id. */
    public static final class Result {
        private final long seeded;
        private final long endpoints;
        private final long unspent;
        private final long fees;
        private final long cutByHops;
        private final long absorbedBySeeds;
        private final long edgesVisited;
        private final Paged.Longs taint;
        private final Int2LongOpenHashMap endpointTaint;

        Result(long seeded, long endpoints, long unspent, long fees, long cutByHops, long absorbedBySeeds, long edgesVisited, Paged.Longs taint,
               Int2LongOpenHashMap endpointTaint) {
            this.seeded = seeded;
            this.endpoints = endpoints;
            this.unspent = unspent;
            this.fees = fees;
            this.cutByHops = cutByHops;
            this.absorbedBySeeds = absorbedBySeeds;
            this.edgesVisited = edgesVisited;
            this.taint = taint;
            this.endpointTaint = endpointTaint;
        }

        public long seeded() {
            return seeded;
        }

        public long endpoints() {
            return endpoints;
        }

        public long unspent() {
            return unspent;
        }

        public long fees() {
            return fees;
        }

        public long cutByHops() {
            return cutByHops;
        }

        /** Taint that reached an output which is itself a seed: the seed counts its full value already (as the object tracer's account). */
        public long absorbedBySeeds() {
            return absorbedBySeeds;
        }

        public long edgesVisited() {
            return edgesVisited;
        }

        /** Taint on an output (0 when the trace did not reach it). */
        public long outputTaint(int output) {
            return Math.abs(taint.get(output)); // negative: stopped at an endpoint
        }

        /** Taint received per endpoint owner id. */
        public Int2LongOpenHashMap endpointTaint() {
            return endpointTaint;
        }

        public boolean balanced() {
            return seeded == endpoints + unspent + fees + cutByHops + absorbedBySeeds;
        }
    }

    /** How a policy splits a transaction on compact rows, chosen once per trace. */
    private enum Rule { POISON, HAIRCUT, ORDERED, TIHO }

    private static Rule rule(TaintPolicy policy) {
        return switch (policy) {
            case PoisonPolicy p -> Rule.POISON;
            case HaircutPolicy p -> Rule.HAIRCUT;
            // FIFO and LIFO keep taint's place inside each coin: the policy object splits with intervals.
            case FifoPolicy p -> Rule.ORDERED;
            case LifoPolicy p -> Rule.ORDERED;
            case TihoPolicy p -> Rule.TIHO;
        };
    }

    /** Forward from whole outputs, at most {@code maxHops} transactions deep. */
    public Result forward(OutputRefs seeds, TaintPolicy policy, int maxHops) {
        int[] seedTx = seeds.tx();
        int[] seedVout = seeds.vout();
        Paged.Longs taint = new Paged.Longs(c.outputs());
        // Chosen once by an exhaustive switch; the loop tests plain booleans, as the JIT lays them out best.
        Rule rule = rule(policy);
        boolean ordered = rule == Rule.ORDERED;
        boolean poison = rule == Rule.POISON;
        boolean haircut = rule == Rule.HAIRCUT;
        boolean creators = ordered && policy.usesInputAge();
        Int2ObjectOpenHashMap<Taint> located = ordered ? new Int2ObjectOpenHashMap<>() : null;
        Paged.Ints hop = new Paged.Ints(c.transactions());
        Paged.Waiting waiting = new Paged.Waiting();
        Int2LongOpenHashMap atEndpoint = new Int2LongOpenHashMap();
        TxRow row = new TxRow();
        long seeded = 0;
        long endpoints = 0;
        long unspent = 0;
        long fees = 0;
        long cut = 0;
        long absorbed = 0;
        long edges = 0;
        // Seeds the trace reaches again (an address's inflows, one downstream of another): the seed keeps its full value and
        // what the trace brings there is absorbed, as in the object tracer. Sorted ids, searched once per transaction and
        // only up to the last seed's (transactions come in id order); a narrow trace is a few microseconds, sets cost 8%.
        int[] seedTxs = seedTx.clone();
        Arrays.sort(seedTxs);
        int lastSeedTx = seedTxs.length == 0 ? -1 : seedTxs[seedTxs.length - 1];
        int[] seedOutputs = new int[seedTx.length];
        int seedCount = 0;
        for (int k = 0; k < seedTx.length; k++) {
            c.load(seedTx[k], row, false);
            int at = row.outFrom + seedVout[k];
            int o = row.outputId(at);
            long v = row.outValue[at];
            if (v == 0 || taint.get(o) != 0) {
                continue;
            }
            taint.set(o, v);
            seedOutputs[seedCount++] = o;
            if (ordered) {
                located.put(o, Taint.whole(v));
            }
            seeded += v;
            int s = row.outSpender[at];
            if (s < 0) {
                unspent += v;
            } else if (hop.get(s) == 0) {
                hop.set(s, 1);
                waiting.add(s);
            }
        }
        Arrays.sort(seedOutputs, 0, seedCount);
        long[] weights = new long[16];
        long[] shares = new long[16];
        long[] remainders = new long[16];
        while (!waiting.isEmpty()) {
            int t = waiting.take();
            int h = hop.get(t);
            c.load(t, row, creators);
            int i0 = row.inFrom;
            int i1 = row.inTo;
            int o0 = row.outFrom;
            int o1 = row.outTo;
            edges += (i1 - i0) + (o1 - o0);
            long taintIn = 0;
            long valueIn = 0;
            for (int i = i0; i < i1; i++) {
                int src = row.inSource[i];
                if (src >= 0) {
                    valueIn += row.inValue[i];
                    taintIn += Math.max(0, taint.get(src)); // not what stopped at an endpoint
                }
            }
            if (h > maxHops) {
                cut += taintIn;
                continue;
            }
            long valueOut = 0;
            for (int o = o0; o < o1; o++) {
                valueOut += row.outValue[o];
            }
            long fee = Math.max(0, valueIn - valueOut);
            int n = o1 - o0;
            boolean holdsSeeds = t <= lastSeedTx && Arrays.binarySearch(seedTxs, t) >= 0;
            if (holdsSeeds) {
                // The policy splits as if the seeds held nothing yet (TIHO fills outputs not yet tainted).
                for (int o = o0; o < o1; o++) {
                    if (Arrays.binarySearch(seedOutputs, 0, seedCount, row.outputId(o)) >= 0) {
                        taint.set(row.outputId(o), 0);
                    }
                }
            }
            if (ordered) {
                Taint[] inTaint = new Taint[i1 - i0];
                long[] inV = new long[i1 - i0];
                long[] age = new long[i1 - i0];
                for (int i = i0; i < i1; i++) {
                    int src = row.inSource[i];
                    Taint tt = src >= 0 ? located.get(src) : null;
                    inTaint[i - i0] = tt == null ? Taint.CLEAN : tt;
                    inV[i - i0] = src >= 0 ? row.inValue[i] : 0;
                    age[i - i0] = creators ? row.inTx[i] : 0; // LIFO: the newer funding transaction first
                }
                TaintPolicy.Split split = policy.forward(new Flow(inV, age, Arrays.copyOfRange(row.outValue, o0, o1), fee), inTaint);
                fees += split.fee().amount();
                for (int o = o0; o < o1; o++) {
                    Taint tt = split.taint()[o - o0];
                    if (!tt.isClean()) {
                        located.put(row.outputId(o), tt);
                        taint.set(row.outputId(o), tt.amount());
                    }
                }
            } else if (poison) {
                if (taintIn > 0) {
                    for (int o = o0; o < o1; o++) {
                        if (row.outValue[o] > 0) {
                            taint.set(row.outputId(o), row.outValue[o]);
                        }
                    }
                    fees += fee;
                }
            } else if (haircut) {
                // Scratch reused from transaction to transaction: the split allocates nothing.
                if (weights.length < n + 1) {
                    weights = new long[2 * (n + 1)];
                    shares = new long[weights.length];
                    remainders = new long[weights.length];
                }
                System.arraycopy(row.outValue, o0, weights, 0, n);
                weights[n] = fee;
                HaircutPolicy.split(taintIn, weights, n + 1, shares, remainders);
                for (int j = 0; j < n; j++) {
                    if (shares[j] > 0) {
                        taint.set(row.outputId(o0 + j), shares[j]);
                    }
                }
                fees += shares[n];
            } else {
                // TIHO, the only rule left (rule() maps every policy): highest-value output first, ties to the earlier one;
                // what no output holds goes to the fee.
                long left = taintIn;
                while (left > 0) {
                    int best = -1;
                    for (int o = o0; o < o1; o++) {
                        if (taint.get(row.outputId(o)) == 0 && row.outValue[o] > 0 && (best < 0 || row.outValue[o] > row.outValue[best])) {
                            best = o;
                        }
                    }
                    if (best < 0) {
                        break;
                    }
                    long a = Math.min(left, row.outValue[best]);
                    taint.set(row.outputId(best), a);
                    left -= a;
                }
                fees += left;
            }
            for (int o = o0; o < o1; o++) {
                int id = row.outputId(o);
                long a = taint.get(id);
                if (holdsSeeds && Arrays.binarySearch(seedOutputs, 0, seedCount, id) >= 0) {
                    // A seed keeps its full value and what the trace brought is absorbed; its spender was queued (or its
                    // value counted unspent) when it was seeded.
                    absorbed += a;
                    taint.set(id, row.outValue[o]);
                    if (ordered) {
                        located.put(id, Taint.whole(row.outValue[o]));
                    }
                    continue;
                }
                if (a == 0) {
                    continue;
                }
                int owner = row.outOwner[o];
                if (owner >= 0 && c.endpoint(owner)) {
                    endpoints += a;
                    atEndpoint.addTo(owner, a);
                    // The taint stops here: kept negated, so that it does not flow on when the output's spender is reached
                    // through another input (a service spending its deposit with coins the trace follows). A map apart
                    // cost poison traces 6%: endpoint outputs are many there.
                    taint.set(id, -a);
                    if (ordered) {
                        located.remove(id);
                    }
                    continue;
                }
                int s = row.outSpender[o];
                if (s < 0) {
                    unspent += a;
                } else if (hop.get(s) == 0) {
                    hop.set(s, h + 1);
                    waiting.add(s);
                } else if (h + 1 < hop.get(s)) {
                    hop.set(s, h + 1);
                }
            }
        }
        return new Result(seeded, endpoints, unspent, fees, cut, absorbed, edges, taint, atEndpoint);
    }
}
