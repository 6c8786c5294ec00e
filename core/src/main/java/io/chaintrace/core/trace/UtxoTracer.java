package io.chaintrace.core.trace;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.TraceResult.Cut;
import io.chaintrace.core.trace.TraceResult.EndpointHit;
import io.chaintrace.core.trace.TraceResult.OutputState;
import io.chaintrace.core.trace.TraceResult.TaintedOutput;
import io.chaintrace.core.trace.TraceResult.TaintedTransaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Follows taint on a UTXO chain, transaction by transaction in chain order: forward (where it
 * went) or backward (where it came from), under any {@link TaintPolicy}.
 *
 * <p>Transactions wait in a priority queue ordered by (height, position), ascending forward and
 * descending backward. A spender always comes after what it spends, and each transaction queued
 * lies beyond the one that queued it, so when a transaction is taken every tainted input (forward)
 * or output (backward) it will ever have is known: the policy sees the whole transaction at once,
 * and the trace is time-respecting by construction. A transaction's hop is one more than the
 * smallest hop of the taint that reached it.
 */
public final class UtxoTracer {
    private final UtxoLedger ledger;
    private final SeedResolver seeds;

    public UtxoTracer(UtxoLedger ledger) {
        this.ledger = ledger;
        this.seeds = new SeedResolver(ledger);
    }

    /** Thrown when a seed names something the store does not hold. */
    public static final class SeedNotFoundException extends IllegalArgumentException {
        public SeedNotFoundException(String message) {
            super(message);
        }
    }

    public TraceResult trace(TraceRequest request) {
        return new Run(request).execute();
    }

    private static final Comparator<UtxoTransaction> CHAIN_ORDER =
            Comparator.<UtxoTransaction>comparingInt(t -> t.block().height()).thenComparingInt(UtxoTransaction::position);

    /** Mutable state of one trace. */
    private final class Run {
        private final TraceRequest request;
        private final boolean forward;
        private final Limits limits;
        private final Map<Outpoint, Reached> reached = new LinkedHashMap<>();
        private final Map<Hash256, Integer> pendingHop = new HashMap<>();
        private final Map<Hash256, List<Reached>> arriving = new HashMap<>();
        private final PriorityQueue<UtxoTransaction> queue;
        private final List<TaintedTransaction> moved = new ArrayList<>();
        private final List<EndpointHit> hits = new ArrayList<>();
        private final List<Cut> cuts = new ArrayList<>();
        private final Map<String, Optional<Label>> endpointOf = new HashMap<>();
        private long seeded;
        private long endpoints;
        private long unspent;
        private long fees;
        private long minted;
        private long unresolved;
        private long dust;
        private long cutByHops;
        private long cutByTime;
        private long cutByBudget;
        private long cutNotFetched;
        private long absorbed;
        private long transactions;
        private long edges;

        Run(TraceRequest request) {
            this.request = request;
            this.forward = request.direction() == Direction.FORWARD;
            this.limits = request.limits();
            this.queue = new PriorityQueue<>(forward ? CHAIN_ORDER : CHAIN_ORDER.reversed());
        }

        TraceResult execute() {
            for (Seed seed : request.seeds()) {
                for (SeedResolver.Seeded s : seeds.resolve(seed)) {
                    Outpoint op = s.outpoint();
                    if (!reached.containsKey(op) && !s.taint().isClean()) {
                        seeded += s.taint().amount();
                        reach(s.tx(), s.output(), 0, s.taint(), true);
                    }
                }
            }
            while (!queue.isEmpty()) {
                UtxoTransaction tx = queue.poll();
                int hop = pendingHop.remove(tx.txid());
                List<Reached> in = arriving.remove(tx.txid());
                long time = tx.block().time();
                if (hop > limits.maxHops()) {
                    cut(in, OutputState.CUT_BY_HOPS);
                } else if (forward ? time > limits.untilTime() : time < limits.fromTime()) {
                    cut(in, OutputState.CUT_BY_TIME);
                } else if (transactions >= limits.maxTransactions() || edges >= limits.maxEdges()) {
                    cut(in, OutputState.CUT_BY_BUDGET);
                } else {
                    transactions++;
                    edges += tx.inputs().size() + tx.outputs().size();
                    if (forward) {
                        follow(tx, hop, in);
                    } else {
                        followBack(tx, hop, in);
                    }
                }
            }
            List<TaintedOutput> outputs = new ArrayList<>(reached.size());
            reached.values().stream()
                    .sorted(Comparator.<Reached>comparingInt(r -> r.height).thenComparingInt(r -> r.position)
                            .thenComparingInt(r -> r.output.index()))
                    .forEach(r -> outputs.add(new TaintedOutput(r.outpoint, r.height, r.time, r.hop, r.output.value(), r.taint,
                            r.output.kind(), r.output.owner(), Optional.ofNullable(r.via), Optional.ofNullable(r.next), r.state)));
            TraceResult.Account account = new TraceResult.Account(seeded, endpoints, unspent, fees, minted, unresolved, dust, cutByHops,
                    cutByTime, cutByBudget, cutNotFetched, absorbed);
            return new TraceResult(request, outputs, moved, hits, account, cuts, edges);
        }

        /** Forward through one transaction: its tainted inputs onto its outputs and fee. */
        private void follow(UtxoTransaction tx, int hop, List<Reached> in) {
            List<TxInput> inputs = tx.inputs();
            Taint[] inTaint = new Taint[inputs.size()];
            java.util.Arrays.fill(inTaint, Taint.CLEAN);
            Map<Outpoint, Integer> inputIndex = new HashMap<>();
            for (int i = 0; i < inputs.size(); i++) {
                inputIndex.put(inputs.get(i).prevout(), i);
            }
            long taintIn = 0;
            for (Reached r : in) {
                Integer i = inputIndex.get(r.outpoint);
                if (i != null) {
                    inTaint[i] = r.taint;
                    taintIn += r.taint.amount();
                    r.state = OutputState.FOLLOWED;
                }
            }
            Flow flow = flow(tx);
            TaintPolicy.Split split = request.policy().forward(flow, inTaint);
            fees += split.fee().amount();
            long taintOut = 0;
            for (int j = 0; j < tx.outputs().size(); j++) {
                Taint t = split.taint()[j];
                if (t.isClean()) {
                    continue;
                }
                taintOut += t.amount();
                Outpoint op = new Outpoint(tx.txid(), tx.outputs().get(j).index());
                if (reached.containsKey(op)) {
                    absorbed += t.amount(); // a seed output: its full value is already seeded
                    continue;
                }
                reach(tx, tx.outputs().get(j), hop, t, false);
            }
            moved.add(new TaintedTransaction(tx.txid(), tx.block().height(), tx.block().time(), hop, flow.totalIn(), taintIn,
                    flow.totalOut(), taintOut, split.fee().amount(), tx.fullyResolved()));
        }

        /** Backward through one transaction: its tainted outputs onto the inputs that paid for them. */
        private void followBack(UtxoTransaction tx, int hop, List<Reached> out) {
            Taint[] outTaint = new Taint[tx.outputs().size()];
            java.util.Arrays.fill(outTaint, Taint.CLEAN);
            long taintIn = 0;
            for (Reached r : out) {
                for (int j = 0; j < tx.outputs().size(); j++) {
                    if (tx.outputs().get(j).index() == r.outpoint.vout()) {
                        outTaint[j] = r.taint;
                        taintIn += r.taint.amount();
                        r.state = OutputState.FOLLOWED;
                    }
                }
            }
            Flow flow = flow(tx);
            Taint[] inTaint = request.policy().backward(flow, outTaint);
            long taintOut = 0;
            for (int i = 0; i < tx.inputs().size(); i++) {
                Taint t = inTaint[i];
                if (t.isClean()) {
                    continue;
                }
                taintOut += t.amount();
                TxInput input = tx.inputs().get(i);
                if (input.status() == InputStatus.COINBASE) {
                    minted += t.amount();
                    continue;
                }
                if (input.status() == InputStatus.UNRESOLVED) {
                    unresolved += t.amount();
                    continue;
                }
                if (reached.containsKey(input.prevout())) {
                    absorbed += t.amount();
                    continue;
                }
                Optional<UtxoTransaction> fetched = ledger.transaction(input.prevout().txid());
                if (fetched.isEmpty()) {
                    // A resolved input whose transaction is not stored: a fetched neighbourhood ends here.
                    notFetched(input.prevout(), input.prevout().txid(), t.amount());
                    continue;
                }
                UtxoTransaction funding = fetched.get();
                TxOutput spent = funding.outputs().stream().filter(o -> o.index() == input.prevout().vout()).findFirst()
                        .orElseThrow(() -> new IllegalStateException("store is inconsistent: " + input.prevout() + " is not an output of its transaction"));
                reach(funding, spent, hop, t, false, tx.txid());
            }
            if (taintIn > taintOut) {
                // Taint no known input can carry: a coinbase's new coins and fees, or inputs whose value is unknown.
                if (tx.coinbase()) {
                    minted += taintIn - taintOut;
                } else {
                    unresolved += taintIn - taintOut;
                }
            }
            moved.add(new TaintedTransaction(tx.txid(), tx.block().height(), tx.block().time(), hop, flow.totalIn(), taintIn,
                    flow.totalOut(), taintOut, 0, tx.fullyResolved()));
        }

        private Flow flow(UtxoTransaction tx) {
            List<TxInput> inputs = tx.inputs();
            long[] inValue = new long[inputs.size()];
            long[] inAge = new long[inputs.size()];
            long resolvedIn = 0;
            for (int i = 0; i < inputs.size(); i++) {
                inValue[i] = inputs.get(i).value();
                resolvedIn += inValue[i];
                if (request.policy().usesInputAge() && inputs.get(i).resolved()) {
                    // Not stored (a fetched neighbourhood's edge): the oldest, so that what is known goes first.
                    inAge[i] = ledger.transaction(inputs.get(i).prevout().txid())
                            .map(funding -> ((long) funding.block().height() << 24) | funding.position()).orElse(-1L);
                }
            }
            long[] outValue = new long[tx.outputs().size()];
            for (int j = 0; j < outValue.length; j++) {
                outValue[j] = tx.outputs().get(j).value();
            }
            // With unresolved inputs the fee is unknown; what the known inputs pay beyond the outputs is a floor.
            long fee = tx.coinbase() ? 0 : Math.max(0, resolvedIn - tx.outputValue());
            return new Flow(inValue, inAge, outValue, fee);
        }

        private void cut(List<Reached> at, OutputState reason) {
            for (Reached r : at) {
                r.state = reason;
                long a = r.taint.amount();
                switch (reason) {
                    case CUT_BY_HOPS -> cutByHops += a;
                    case CUT_BY_TIME -> cutByTime += a;
                    default -> cutByBudget += a;
                }
                cuts.add(new Cut(reason, r.outpoint, Optional.ofNullable(r.next), a));
            }
        }

        /** Taint that leaves what the store knows: a fetched neighbourhood's edge. */
        private void notFetched(Outpoint op, Hash256 next, long amount) {
            cutNotFetched += amount;
            cuts.add(new Cut(OutputState.NOT_FETCHED, op, Optional.ofNullable(next), amount));
        }

        private void reach(UtxoTransaction tx, TxOutput output, int hop, Taint taint, boolean seed) {
            reach(tx, output, hop, taint, seed, seed ? null : tx.txid());
        }

        private void reach(UtxoTransaction tx, TxOutput output, int hop, Taint taint, boolean seed, Hash256 via) {
            Outpoint op = new Outpoint(tx.txid(), output.index());
            Reached r = new Reached(op, tx.block().height(), tx.block().time(), tx.position(), hop, output, taint);
            r.via = via;
            reached.put(op, r);
            if (!seed && taint.amount() < limits.minAmount()) {
                r.state = OutputState.DUST;
                dust += taint.amount();
                return;
            }
            if (!seed) {
                Optional<Label> service = output.owner().flatMap(this::endpoint);
                if (service.isPresent()) {
                    Label l = service.get();
                    hits.add(new EndpointHit(l.entity(), l.category(), l.source(), tx.txid(), op, l.address(), tx.block().height(),
                            tx.block().time(), hop, taint.amount()));
                    if (!request.throughEndpoints()) {
                        r.state = OutputState.ENDPOINT;
                        endpoints += taint.amount();
                        return;
                    }
                }
            }
            Hash256 next;
            UtxoTransaction nextTx = tx; // backward, the next transaction is the one that created this output
            if (forward) {
                Optional<UtxoLedger.Spend> spend = ledger.spenderOf(op);
                if (spend.isEmpty()) {
                    if (!ledger.spendKnown(op)) {
                        r.state = OutputState.NOT_FETCHED;
                        notFetched(op, null, taint.amount());
                        return;
                    }
                    r.state = OutputState.UNSPENT;
                    unspent += taint.amount();
                    return;
                }
                next = spend.get().spendingTx();
                if (!pendingHop.containsKey(next)) {
                    Optional<UtxoTransaction> spender = ledger.transaction(next);
                    if (spender.isEmpty()) {
                        // A spend a fetch learnt of without fetching the spender: the neighbourhood ends here.
                        r.state = OutputState.NOT_FETCHED;
                        r.next = next;
                        notFetched(op, next, taint.amount());
                        return;
                    }
                    nextTx = spender.get();
                }
            } else {
                next = tx.txid();
            }
            r.next = next;
            arriving.computeIfAbsent(next, k -> new ArrayList<>()).add(r);
            Integer known = pendingHop.get(next);
            if (known == null) {
                pendingHop.put(next, hop + 1);
                queue.add(nextTx);
            } else if (hop + 1 < known) {
                pendingHop.put(next, hop + 1);
            }
        }

        /** The service label of an owner, if it is one of the categories the trace stops at. */
        private Optional<Label> endpoint(Address owner) {
            return endpointOf.computeIfAbsent(owner.text(), k -> ledger.labelsOf(owner).stream()
                    .filter(l -> request.stopAt().contains(l.category()))
                    .max(Comparator.comparingDouble(Label::confidence)));
        }

        private UtxoTransaction stored(Hash256 txid) {
            return ledger.transaction(txid).orElseThrow(() -> new SeedNotFoundException("transaction " + txid + " is not in the store"));
        }
    }

    private static final class Reached {
        final Outpoint outpoint;
        final int height;
        final long time;
        final int position;
        final int hop;
        final TxOutput output;
        final Taint taint;
        Hash256 via;
        Hash256 next;
        OutputState state = OutputState.UNSPENT;

        Reached(Outpoint outpoint, int height, long time, int position, int hop, TxOutput output, Taint taint) {
            this.outpoint = outpoint;
            this.height = height;
            this.time = time;
            this.position = position;
            this.hop = hop;
            this.output = output;
            this.taint = taint;
        }
    }
}
