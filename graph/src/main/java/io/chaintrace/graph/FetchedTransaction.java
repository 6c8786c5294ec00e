package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxOutput;
import java.util.List;
import java.util.Optional;

/**
 * One confirmed transaction a fetch brought in, without the rest of its block: where it is (block,
 * height, time, position in the block), the outputs it spends ({@link Outpoint#COINBASE} for a
 * coinbase), what the source said each spent output was (its value and script, so inputs are
 * exact without the funding transaction; empty when the source could not say), and its outputs.
 */
public record FetchedTransaction(Hash256 txid, Hash256 block, int height, long time, int position, List<Outpoint> spends,
                                 List<Optional<TxOutput>> prevouts, List<TxOutput> outputs) {
    public FetchedTransaction {
        spends = List.copyOf(spends);
        prevouts = List.copyOf(prevouts);
        outputs = List.copyOf(outputs);
        if (prevouts.size() != spends.size()) {
            throw new IllegalArgumentException(txid + ": " + spends.size() + " inputs but " + prevouts.size() + " prevouts");
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (outputs.get(i).index() != i) {
                throw new IllegalArgumentException("output " + i + " of " + txid + " has index " + outputs.get(i).index());
            }
        }
    }
}
