package io.chaintrace.graph;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.trace.UtxoLedger;
import java.util.List;
import java.util.Optional;

/**
 * Where a fetch writes a seed's neighbourhood (transactions, not whole blocks) and what its source
 * said about the spending of their outputs; {@link ChainStore} implements it. An output of a
 * fetched transaction is <em>unknown</em> until the source says it is spent (by which transaction)
 * or unspent (as of which height): traces stop there with "not fetched", never "unspent".
 */
public interface FetchSink {
    /** Whether a transaction is stored (fetched or in a whole block). */
    boolean hasTransaction(Hash256 txid);

    /** The public key ({@code pubkey:<hex>}) whose P2PKH address this is, if the store holds coins paid to the key. */
    Optional<String> keyOf(io.chaintrace.core.model.Address p2pkhAddress);

    /** Writes the transactions not stored yet, in one atomic batch; returns how many were new. */
    int putFetched(List<FetchedTransaction> txs, String source);

    /** The source says these outputs are unspent as of {@code height} (its tip). */
    void putUnspent(List<Outpoint> outputs, int height, String source);

    /** A remote answer kept for a later or resumed fetch ({@code key}: the source and what was asked), if kept. */
    Optional<String> cachedAnswer(String key);

    /** Keeps a remote answer: a fetch run again, or resumed after a kill, does not ask for it twice. */
    void cacheAnswer(String key, String body);

    /** The source says these outputs were spent by these transactions (which may not be fetched). */
    void putSpends(List<UtxoLedger.Spend> spends);
}
