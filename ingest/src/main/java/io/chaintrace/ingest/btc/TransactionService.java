package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.FetchedTransaction;
import io.chaintrace.ingest.remote.HttpService;
import java.util.List;
import java.util.Optional;

/**
 * A remote service a {@link NeighbourhoodFetch} reads transactions from, one class per kind: an
 * Esplora API ({@link EsploraApi}: everything) or a Bitcoin Core node ({@link CoreRpcTransactions}:
 * transactions by id only, so backward only). What a service cannot answer it refuses with a line
 * that says what to use instead.
 */
public interface TransactionService extends AutoCloseable {
    /** The service as it may be shown (credentials hidden). */
    String describe();

    long requests();

    long cacheHits();

    /** Where answers are kept between runs. */
    void cacheIn(HttpService.Cache cache);

    int tipHeight();

    /** A confirmed transaction with what its inputs spent; empty when unknown or unconfirmed. */
    Optional<FetchedTransaction> transaction(Hash256 txid);

    /** Whether and by what each output of a transaction was spent (what following forward needs). */
    List<Outspend> outspends(Hash256 txid);

    /** Every confirmed transaction of an address. */
    List<Hash256> addressTransactions(String address);

    /** Every confirmed transaction of a script, by its bytes. */
    List<Hash256> scriptTransactions(byte[] script);

    /** Whether {@link #outspends} and the address look-ups work: a node without a spend index cannot. */
    boolean followsForward();

    /** A spend: the spending transaction and input, and whether it is confirmed. */
    record Outspend(boolean spent, Hash256 txid, int vin, boolean confirmed) {
    }

    @Override
    void close();
}
