package io.chaintrace.core.trace;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoTracer.SeedNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The one rule that turns a Bitcoin {@link Seed} into the outputs a trace starts from, for every
 * engine: an output (or part of it), every output of a transaction, or what an address received
 * from others.
 */
public final class SeedResolver {
    private final UtxoLedger ledger;

    public SeedResolver(UtxoLedger ledger) {
        this.ledger = ledger;
    }

    /** An output a seed names, with its transaction and the taint it starts with. */
    public record Seeded(UtxoTransaction tx, TxOutput output, Taint taint) {
        public Outpoint outpoint() {
            return new Outpoint(tx.txid(), output.index());
        }
    }

    /**
     * The outputs {@code seed} names, each with its starting taint.
     *
     * @throws SeedNotFoundException if the ledger does not hold what the seed names
     */
    public List<Seeded> resolve(Seed seed) {
        return switch (seed) {
            case Seed.OutpointSeed s -> List.of(located(s.outpoint(), -1));
            case Seed.PartialSeed s -> List.of(located(s.outpoint(), s.amount()));
            case Seed.TaintSeed s -> {
                Seeded whole = located(s.outpoint(), -1);
                yield List.of(new Seeded(whole.tx(), whole.output(), s.taint()));
            }
            case Seed.TransactionSeed s -> {
                UtxoTransaction tx = stored(s.txid());
                yield tx.outputs().stream().map(o -> new Seeded(tx, o, Taint.whole(o.value()))).toList();
            }
            case Seed.AddressSeed s -> {
                List<Seeded> found = new ArrayList<>();
                inflows(s.address(), (tx, o) -> found.add(new Seeded(tx, o, Taint.whole(o.value()))));
                yield found;
            }
            case Seed.OutflowSeed s -> {
                List<Seeded> found = new ArrayList<>();
                outflows(s.address(), s.fromTime(), (tx, o) -> found.add(new Seeded(tx, o, Taint.whole(o.value()))));
                yield found;
            }
        };
    }

    /**
     * What an address paid from {@code fromTime} on: the outputs, not back to it, of its transactions that spend its
     * coins. Its change comes back to it and is seeded where it is spent in turn.
     *
     * @throws SeedNotFoundException if the address paid nothing from that time in the store
     */
    public void outflows(Address address, long fromTime, BiConsumer<UtxoTransaction, TxOutput> each) {
        boolean any = false;
        for (Hash256 txid : ledger.transactionsOf(address)) {
            UtxoTransaction tx = stored(txid);
            if (tx.block().time() < fromTime || tx.inputs().stream().noneMatch(i -> i.owner().map(address::samePayee).orElse(false))) {
                continue;
            }
            for (TxOutput o : tx.outputs()) {
                if (!o.owner().map(address::samePayee).orElse(false) && o.value() > 0) {
                    each.accept(tx, o);
                    any = true;
                }
            }
        }
        if (!any) {
            throw new SeedNotFoundException("address " + address.text() + " paid nothing" + (fromTime == Long.MIN_VALUE ? ""
                    : " from time " + fromTime) + " in the store");
        }
    }

    /**
     * The whole outputs {@code seed} names, for engines that seed whole outputs only (the compact
     * engine): outputs, transactions and Bitcoin addresses; a part of an output or an Ethereum
     * address is refused with what to use instead.
     */
    public List<Outpoint> wholeOutputs(Seed seed) {
        return switch (seed) {
            case Seed.OutpointSeed o -> List.of(o.outpoint());
            case Seed.TransactionSeed t -> stored(t.txid()).outputs().stream().map(o -> new Outpoint(t.txid(), o.index())).toList();
            case Seed.AddressSeed a when a.address().chain() == Chain.BITCOIN -> {
                List<Outpoint> outs = new ArrayList<>();
                inflows(a.address(), (tx, o) -> outs.add(new Outpoint(tx.txid(), o.index())));
                yield outs;
            }
            case Seed.OutflowSeed a when a.address().chain() == Chain.BITCOIN -> {
                List<Outpoint> outs = new ArrayList<>();
                outflows(a.address(), a.fromTime(), (tx, o) -> outs.add(new Outpoint(tx.txid(), o.index())));
                yield outs;
            }
            case Seed.OutflowSeed a -> throw new IllegalArgumentException(a + " names an Ethereum address: the compact engine traces"
                    + " Bitcoin (trace it with chaintrace trace --seed " + a + ")");
            case Seed.AddressSeed a -> throw new IllegalArgumentException(a + " is an Ethereum address: the compact engine traces Bitcoin"
                    + " (trace it with chaintrace trace --seed " + a + ")");
            case Seed.PartialSeed p -> throw wholeOnly(p);
            case Seed.TaintSeed t -> throw wholeOnly(t);
        };
    }

    private static IllegalArgumentException wholeOnly(Seed seed) {
        return new IllegalArgumentException("the compact engine seeds whole outputs (txid:vout), transactions (txid) and"
                + " addresses, not " + seed + " (part of an output: chaintrace trace --engine object)");
    }

    /**
     * What an address received from others, as every engine seeds it: outputs paying it in
     * transactions that spend none of its own outputs. Its change to itself is then followed, not
     * seeded a second time. Each output is handed over with its transaction, read once.
     *
     * @throws SeedNotFoundException if the ledger has no transaction of the address
     */
    public void inflows(Address address, BiConsumer<UtxoTransaction, TxOutput> each) {
        List<Hash256> txids = ledger.transactionsOf(address);
        if (txids.isEmpty()) {
            throw new SeedNotFoundException("address " + address.text() + " has no transactions in the store");
        }
        for (Hash256 txid : txids) {
            UtxoTransaction tx = stored(txid);
            // A P2PKH address and its key's P2PK outputs are one payee: an address seed finds both.
            boolean selfFunded = tx.inputs().stream().anyMatch(i -> i.owner().map(address::samePayee).orElse(false));
            if (selfFunded) {
                continue;
            }
            for (TxOutput o : tx.outputs()) {
                if (o.owner().map(address::samePayee).orElse(false)) {
                    each.accept(tx, o);
                }
            }
        }
    }

    private Seeded located(Outpoint outpoint, long amount) {
        UtxoTransaction tx = stored(outpoint.txid());
        TxOutput out = tx.outputs().stream().filter(o -> o.index() == outpoint.vout()).findFirst()
                // The transaction is stored: a seed past its outputs is a wrong seed, not missing data.
                .orElseThrow(() -> new IllegalArgumentException("transaction " + tx.txid() + " has no output " + outpoint.vout()
                        + (tx.outputs().size() == 1 ? " (its only output is 0)" : " (its outputs are 0 to " + (tx.outputs().size() - 1) + ")")));
        if (amount > out.value()) {
            throw new IllegalArgumentException("seed amount " + amount + " exceeds the value " + out.value() + " of " + outpoint);
        }
        return new Seeded(tx, out, amount < 0 ? Taint.whole(out.value()) : Taint.intervals(new long[] {0, amount}));
    }

    private UtxoTransaction stored(Hash256 txid) {
        return ledger.transaction(txid).orElseThrow(() -> new SeedNotFoundException("transaction " + txid + " is not in the store"));
    }
}
