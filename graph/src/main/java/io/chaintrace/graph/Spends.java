package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who spent an output. A spend of an output the store holds is read from the compact rows, which record it in the page
 * of the spent transaction anyway (the spender's sequence number); {@code spends} holds only what the rows cannot: the
 * spends of outputs the store lacks and the spends a source reported (docs/STORE.md). A block no longer writes every
 * spend twice: at 10^7 Bitcoin transactions the second copy cost the ingest 7-14% of its CPU and the store 1.1-1.4 GB
 * (issue 19, benchmarks/README); a look-up here reads three records where it read one. The caller has waited for the
 * block in flight.
 */
final class Spends {
    private Spends() {
    }

    /** The spend of {@code op}, if the store knows one. */
    static Optional<UtxoLedger.Spend> find(StoreFiles files, Outpoint op) {
        byte[] output = files.get(Family.OUTPUTS, Keys.outpoint(op));
        if (output != null) {
            long seq = OutputRecord.seq(output);
            byte[] page = files.get(Family.TX_PAGES, TxPages.pageKey(seq));
            long spender = page == null ? -1 : TxPages.spenderOf(page, seq, op.vout());
            if (spender >= 0) {
                return Optional.of(spend(files, op, spender));
            }
        }
        return reported(files, op);
    }

    /**
     * The spends of outputs {@code 0 .. outputs - 1} of {@code txid}, a stored transaction, in order: its page read once
     * (a pass over the whole store asks this of every transaction).
     */
    static List<Optional<UtxoLedger.Spend>> ofOutputs(StoreFiles files, Hash256 txid, int outputs) {
        List<Optional<UtxoLedger.Spend>> spends = new ArrayList<>(outputs);
        byte[] first = outputs == 0 ? null : files.get(Family.OUTPUTS, Keys.outpoint(txid, 0));
        long seq = first == null ? -1 : OutputRecord.seq(first);
        byte[] page = first == null ? null : files.get(Family.TX_PAGES, TxPages.pageKey(seq));
        long[] spenders = page == null ? null : TxPages.spendersOf(page, seq, outputs);
        for (int vout = 0; vout < outputs; vout++) {
            Outpoint op = new Outpoint(txid, vout);
            spends.add(spenders != null && spenders[vout] >= 0 ? Optional.of(spend(files, op, spenders[vout])) : reported(files, op));
        }
        return spends;
    }

    /**
     * {@code op} spent by transaction {@code spender}: its txid from {@code tx_ids}, the input from its record (which a
     * trace reads next anyway, so the look-up costs it no further block).
     */
    private static UtxoLedger.Spend spend(StoreFiles files, Outpoint op, long spender) {
        byte[] txid = files.get(Family.TX_IDS, Keys.number(spender));
        byte[] record = txid == null ? null : files.get(Family.TRANSACTIONS, txid);
        int input = record == null ? -1 : BitcoinStore.inputSpending(record, op);
        if (input < 0) {
            throw new StoreException(files.path, "corrupt: the compact rows say transaction " + spender + " spends " + op
                    + ", which it does not hold");
        }
        return new UtxoLedger.Spend(op, new Hash256(txid), input);
    }

    /** A spend the rows cannot hold: of an output the store lacks, or reported by a source. */
    private static Optional<UtxoLedger.Spend> reported(StoreFiles files, Outpoint op) {
        byte[] v = files.get(Family.SPENDS, Keys.outpoint(op));
        return v == null ? Optional.empty() : Optional.of(new UtxoLedger.Spend(op, Hash256.of(v, 0), Keys.getInt(v, 32)));
    }
}
