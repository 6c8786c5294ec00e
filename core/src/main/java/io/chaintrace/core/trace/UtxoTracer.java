package io.chaintrace.core.trace;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
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
 * Follows tainted value forward on a UTXO chain, transaction by transaction in chain order.
 *
 * <p>Transactions are taken from a priority queue ordered by (height, position). A spender always
 * comes after the outputs it spends, and each transaction enqueued comes after the one that
 * enqueued it, so when a transaction is taken every tainted input it will ever have is known:
 * the policy sees the whole transaction at once, and the trace is time-respecting by
 * construction. A transaction's hop is one more than the smallest hop of its tainted inputs.
 */
public final class UtxoTracer {
    private final UtxoLedger ledger;

    public UtxoTracer(UtxoLedger ledger) {
        this.ledger = ledger;
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
        private final Map<Outpoint, Reached> reached = new LinkedHashMap<>();
        private final Map<Hash256, Integer> pendingHop = new HashMap<>();
        private final PriorityQueue<UtxoTransaction> queue = new PriorityQueue<>(CHAIN_ORDER);
        private final List<TaintedTransaction> moved = new ArrayList<>();
        private long seeded;
        private long unspent;
        private long fees;
        private long cut;
        private long absorbed;

        Run(TraceRequest request) {
            this.request = request;
        }

        TraceResult execute() {
            for (Seed seed : request.seeds()) {
                for (Located seedOutput : seedOutputs(seed)) {
                    if (!reached.containsKey(seedOutput.outpoint()) && seedOutput.output().value() > 0) {
                        seeded += seedOutput.output().value();
                        reach(seedOutput.tx(), seedOutput.output(), 0, seedOutput.output().value());
                    }
                }
            }
            while (!queue.isEmpty()) {
                UtxoTransaction tx = queue.poll();
                int hop = pendingHop.remove(tx.txid());
                if (hop > request.maxHops()) {
                    cutAt(tx);
                } else {
                    follow(tx, hop);
                }
            }
            List<TaintedOutput> outputs = new ArrayList<>(reached.size());
            reached.values().stream()
                    .sorted(Comparator.<Reached>comparingInt(r -> r.height).thenComparingInt(r -> r.position)
                            .thenComparingInt(r -> r.output.index()))
                    .forEach(r -> outputs.add(new TaintedOutput(r.outpoint, r.height, r.hop, r.output.value(), r.taint,
                            r.output.kind(), r.output.owner(), Optional.ofNullable(r.spentBy), r.state)));
            return new TraceResult(request, seeded, outputs, moved, unspent, fees, cut, absorbed);
        }

        private void follow(UtxoTransaction tx, int hop) {
            List<TxInput> inputs = tx.inputs();
            long[] inValue = new long[inputs.size()];
            long[] inTaint = new long[inputs.size()];
            long resolvedIn = 0;
            long taintIn = 0;
            for (int i = 0; i < inputs.size(); i++) {
                TxInput in = inputs.get(i);
                inValue[i] = in.value();
                resolvedIn += in.value();
                Reached r = reached.get(in.prevout());
                if (r != null && r.spentBy != null && r.spentBy.equals(tx.txid())) {
                    inTaint[i] = r.taint;
                    taintIn += r.taint;
                    r.state = OutputState.FOLLOWED;
                }
            }
            List<TxOutput> outs = tx.outputs();
            long[] outValue = new long[outs.size()];
            for (int i = 0; i < outs.size(); i++) {
                outValue[i] = outs.get(i).value();
            }
            long outputValue = tx.outputValue();
            // With unresolved inputs the fee is unknown; the known part is at least this.
            long fee = Math.max(0, resolvedIn - outputValue);
            TaintPolicy.Distribution d = request.policy().distribute(inValue, inTaint, outValue, fee);
            fees += d.feeTaint();
            moved.add(new TaintedTransaction(tx.txid(), tx.block().height(), hop, resolvedIn, taintIn, outputValue,
                    d.feeTaint(), tx.fullyResolved()));
            for (int i = 0; i < outs.size(); i++) {
                long t = d.outputTaint()[i];
                if (t <= 0) {
                    continue;
                }
                Outpoint op = new Outpoint(tx.txid(), outs.get(i).index());
                if (reached.containsKey(op)) {
                    absorbed += t; // a seed output: its full value is already seeded
                    continue;
                }
                reach(tx, outs.get(i), hop, t);
            }
        }

        private void cutAt(UtxoTransaction tx) {
            for (TxInput in : tx.inputs()) {
                Reached r = reached.get(in.prevout());
                if (r != null && tx.txid().equals(r.spentBy)) {
                    r.state = OutputState.CUT_BY_HOPS;
                    cut += r.taint;
                }
            }
        }

        private void reach(UtxoTransaction tx, TxOutput output, int hop, long taint) {
            Outpoint op = new Outpoint(tx.txid(), output.index());
            Reached r = new Reached(op, tx.block().height(), tx.position(), hop, output, taint);
            reached.put(op, r);
            Optional<UtxoLedger.Spend> spend = ledger.spenderOf(op);
            if (spend.isEmpty()) {
                r.state = OutputState.UNSPENT;
                unspent += taint;
                return;
            }
            Hash256 spender = spend.get().spendingTx();
            r.spentBy = spender;
            Integer known = pendingHop.get(spender);
            if (known == null) {
                UtxoTransaction next = ledger.transaction(spender).orElseThrow(() -> new IllegalStateException(
                        "store is inconsistent: spend of " + op + " names transaction " + spender + " which is not stored"));
                pendingHop.put(spender, hop + 1);
                queue.add(next);
            } else if (hop + 1 < known) {
                pendingHop.put(spender, hop + 1);
            }
        }

        private List<Located> seedOutputs(Seed seed) {
            return switch (seed) {
                case Seed.OutpointSeed s -> {
                    UtxoTransaction tx = stored(s.outpoint().txid());
                    TxOutput out = tx.outputs().stream().filter(o -> o.index() == s.outpoint().vout()).findFirst()
                            .orElseThrow(() -> new SeedNotFoundException("transaction " + tx.txid() + " has no output "
                                    + s.outpoint().vout() + " (it has " + tx.outputs().size() + ")"));
                    yield List.of(new Located(tx, out));
                }
                case Seed.TransactionSeed s -> {
                    UtxoTransaction tx = stored(s.txid());
                    yield tx.outputs().stream().map(o -> new Located(tx, o)).toList();
                }
                case Seed.AddressSeed s -> addressInflows(s.address());
            };
        }

        /**
         * What an address received from others: outputs paying it in transactions that spend none
         * of its own outputs. Its change to itself is then followed, not seeded a second time.
         */
        private List<Located> addressInflows(Address address) {
            List<Hash256> txids = ledger.transactionsOf(address);
            if (txids.isEmpty()) {
                throw new SeedNotFoundException("address " + address.text() + " has no transactions in the store");
            }
            List<Located> found = new ArrayList<>();
            for (Hash256 txid : txids) {
                UtxoTransaction tx = stored(txid);
                boolean selfFunded = tx.inputs().stream().anyMatch(i -> i.owner().map(o -> o.text().equals(address.text())).orElse(false));
                if (selfFunded) {
                    continue;
                }
                for (TxOutput o : tx.outputs()) {
                    if (o.owner().map(a -> a.text().equals(address.text())).orElse(false)) {
                        found.add(new Located(tx, o));
                    }
                }
            }
            return found;
        }

        private UtxoTransaction stored(Hash256 txid) {
            return ledger.transaction(txid).orElseThrow(() -> new SeedNotFoundException("transaction " + txid + " is not in the store"));
        }
    }

    private record Located(UtxoTransaction tx, TxOutput output) {
        Outpoint outpoint() {
            return new Outpoint(tx.txid(), output.index());
        }
    }

    private static final class Reached {
        final Outpoint outpoint;
        final int height;
        final int position;
        final int hop;
        final TxOutput output;
        final long taint;
        Hash256 spentBy;
        OutputState state = OutputState.UNSPENT;

        Reached(Outpoint outpoint, int height, int position, int hop, TxOutput output, long taint) {
            this.outpoint = outpoint;
            this.height = height;
            this.position = position;
            this.hop = hop;
            this.output = output;
            this.taint = taint;
        }
    }
}
