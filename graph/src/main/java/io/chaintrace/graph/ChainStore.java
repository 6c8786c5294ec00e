package io.chaintrace.graph;

import io.chaintrace.core.account.AccountLedger;
import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The embedded RocksDB store of one or more chains (layout: docs/STORE.md). One writer at a time
 * (RocksDB's lock file); any number of read-only readers. This class only opens the store and
 * hands each call to the part that owns it: {@link StoreFiles} (files, families, format),
 * {@link BlockWriter} and {@link BitcoinStore} (Bitcoin blocks and spends), {@link EthereumStore}
 * (transfers), {@link LabelStore}, {@link AddressBook} (owner ids), {@link EntityStore} (clustering)
 * and {@link CompactRowsStore} (what the fast tracer reads). Engines read it through
 * {@link UtxoLedger} and {@link AccountLedger}; sources write through {@link BlockSink},
 * {@link TransferSink} and {@link LabelSink}.
 */
public final class ChainStore implements UtxoLedger, AccountLedger, BlockSink, FetchSink, TransferSink, LabelSink, AutoCloseable {
    private final StoreFiles files;
    private final Counters counters;
    private final BlockWriter writer;
    private final LabelStore labels;
    private final AddressBook addresses;
    private final BitcoinStore bitcoin;
    private final EthereumStore ethereum;
    private final EntityStore entities;
    private final CompactRowsStore rows;
    private final BlockRollback rollback;
    private final FetchWriter fetches;

    private ChainStore(StoreFiles files) {
        this(files, BlockWriter.groupTxs(), BlockWriter.RECENT_OUTPUTS);
    }

    private ChainStore(StoreFiles files, int groupTxs, int recentOutputs) {
        this(files, groupTxs, recentOutputs, AddressHistory.runKeys());
    }

    private ChainStore(StoreFiles files, int groupTxs, int recentOutputs, int historyRun) {
        this.files = files;
        try {
            counters = Counters.read(files);
            writer = new BlockWriter(files, counters, groupTxs, recentOutputs, historyRun);
            labels = new LabelStore(files, writer);
            addresses = new AddressBook(files, labels);
            labels.attach(addresses);
            writer.attach(addresses);
            bitcoin = new BitcoinStore(files, writer, addresses);
            ethereum = new EthereumStore(files, writer, addresses, counters);
            entities = new EntityStore(files, writer, addresses, labels, counters, bitcoin, ethereum, this);
            rows = new CompactRowsStore(files, writer, counters);
            rollback = new BlockRollback(files, counters, addresses);
            fetches = new FetchWriter(files, counters, addresses, writer);
            writer.rebuildHistory();
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    /** Opens the store at {@code path} for writing, creating it if needed. */
    public static ChainStore open(Path path) {
        return new ChainStore(StoreFiles.open(path, false));
    }

    /** Opens a store for writing whose blocks go to the files in groups of {@code groupTxs} transactions (for tests). */
    static ChainStore open(Path path, int groupTxs, int recentOutputs) {
        return new ChainStore(StoreFiles.open(path, false), groupTxs, recentOutputs);
    }

    /** Opens a store for writing whose address history is written in runs of {@code historyRun} keys (for tests). */
    static ChainStore open(Path path, int groupTxs, int recentOutputs, int historyRun) {
        return new ChainStore(StoreFiles.open(path, false), groupTxs, recentOutputs, historyRun);
    }

    /** Opens an existing store for reading only; works while another process writes to it. */
    public static ChainStore openReadOnly(Path path) {
        return new ChainStore(StoreFiles.open(path, true));
    }

    /**
     * Opens an existing store for reading only, for a pass over all of it (a pattern scan, an export): it keeps the
     * files' index and filter blocks (about 3% of the store) and a gigabyte of data blocks, where {@link #openReadOnly}
     * keeps a trace's few look-ups in a small cache.
     */
    public static ChainStore openToScan(Path path) {
        return new ChainStore(StoreFiles.open(path, true, true));
    }

    public Path path() {
        return files.path;
    }

    @Override
    public boolean hasBlock(Hash256 hash) {
        return writer.has(hash);
    }

    @Override
    public Optional<StoredBlock> block(Hash256 hash) {
        return bitcoin.block(hash);
    }

    @Override
    public boolean append(NewBlock block, Checkpoint checkpoint) {
        return writer.append(block, checkpoint);
    }

    @Override
    public void disconnect(Hash256 tip, String source, Optional<Checkpoint> checkpoint) {
        synchronized (files) {
            writer.requireWritable();
            writer.writeHistory();
            if (counters.fetchedTxs > 0) {
                throw new IllegalArgumentException("store " + files.path + " holds transactions a fetch brought in after its blocks: its"
                        + " blocks cannot be rolled back (a reorg); ingest whole blocks into a store of their own");
            }
            writer.forgetRecent();
            rollback.disconnect(tip, source, checkpoint);
        }
    }

    @Override
    public boolean hasTransaction(Hash256 txid) {
        writer.awaitQuietly();
        return files.get(Family.TRANSACTIONS, txid.bytes()) != null;
    }

    /** Fetched transactions by the source that brought them in (the whole-block part is {@code stats().txs()} less these). */
    public Map<String, Long> fetchedBySource() {
        writer.awaitQuietly();
        Map<String, Long> out = new java.util.TreeMap<>();
        byte[] prefix = FetchWriter.SOURCE_PREFIX.getBytes(StandardCharsets.US_ASCII);
        try (org.rocksdb.RocksIterator it = files.iterator(Family.META)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (k.length < prefix.length || !java.util.Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                    break;
                }
                out.put(new String(k, prefix.length, k.length - prefix.length, StandardCharsets.UTF_8), Keys.getLong(it.value(), 0));
            }
        }
        return out;
    }

    @Override
    public Optional<String> keyOf(Address p2pkhAddress) {
        writer.awaitQuietly();
        return bitcoin.keyOwner(p2pkhAddress).map(id -> addresses.address(id).text());
    }

    @Override
    public Optional<String> cachedAnswer(String key) {
        byte[] v = files.get(Family.FETCH_CACHE, key.getBytes(StandardCharsets.UTF_8));
        return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
    }

    @Override
    public void cacheAnswer(String key, String body) {
        synchronized (files) {
            writer.requireWritable();
            files.put(Family.FETCH_CACHE, key.getBytes(StandardCharsets.UTF_8), body.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public int putFetched(List<FetchedTransaction> txs, String source) {
        return fetches.put(txs, source);
    }

    @Override
    public void putUnspent(List<Outpoint> outputs, int height, String source) {
        fetches.putUnspent(outputs, height, source);
    }

    @Override
    public void putSpends(List<Spend> spends) {
        fetches.putSpends(spends);
    }

    @Override
    public boolean spendKnown(Outpoint outpoint) {
        writer.awaitQuietly();
        return counters.fetchedTxs == 0 || fetches.spendKnown(outpoint);
    }

    /** The store format this build writes and reads (reports name it). */
    public static String format() {
        return StoreFiles.FORMAT;
    }

    @Override
    public Optional<StoredBlock> tip() {
        return bitcoin.tip();
    }

    @Override
    public void sync() {
        writer.sync();
    }

    /** The main-chain block at a height, if stored. */
    public Optional<Hash256> blockAt(int height) {
        return bitcoin.blockAt(height);
    }

    @Override
    public Optional<UtxoTransaction> transaction(Hash256 txid) {
        return bitcoin.transaction(txid);
    }

    @Override
    public Optional<Spend> spenderOf(Outpoint outpoint) {
        return bitcoin.spenderOf(outpoint);
    }

    /** The spend of each output of {@code tx}, a stored transaction, in output order: what {@link #spenderOf} says of each, read at once. */
    public List<Optional<Spend>> spendersOf(UtxoTransaction tx) {
        return bitcoin.spendersOf(tx);
    }

    @Override
    public List<Hash256> transactionsOf(Address address) {
        return bitcoin.transactionsOf(address);
    }

    /** Every stored Bitcoin transaction in ingest order (chain order within each ingested segment). */
    public void forEachTransaction(Consumer<UtxoTransaction> action) {
        bitcoin.forEachTransaction(0, Long.MAX_VALUE, action);
    }

    /** At most {@code count} stored Bitcoin transactions from sequence number {@code fromSeq}, in ingest order. */
    public void forEachTransaction(long fromSeq, long count, Consumer<UtxoTransaction> action) {
        bitcoin.forEachTransaction(fromSeq, count, action);
    }

    /** The transactions of the main-chain block at {@code height}, in block order (empty when none is stored there). */
    public List<Hash256> transactionIds(int height) {
        return bitcoin.transactionIds(height);
    }

    /** The compact-row position of an output, if stored. */
    public Optional<RowRef> rowOf(Outpoint output) {
        return bitcoin.rowOf(output);
    }

    public StoreStats stats() {
        writer.awaitQuietly();
        synchronized (files) {
            return counters.stats();
        }
    }

    @Override
    public boolean appendEthBlock(EthBlock block, Checkpoint checkpoint) {
        return ethereum.append(block, checkpoint);
    }

    @Override
    public int appendEthBlocks(List<EthBlock> blocks, Checkpoint checkpoint) {
        return ethereum.appendAll(blocks, checkpoint);
    }

    @Override
    public int rollbackEthBlocks(long fromNumber, String checkpointSource) {
        return ethereum.rollback(fromNumber, checkpointSource);
    }

    @Override
    public Optional<StoredEthBlock> ethBlock(long number) {
        return ethereum.block(number);
    }

    @Override
    public long putFetchedTransfers(List<EthBlock> blocks, java.util.Collection<String> asked, long fromBlock, long toBlock, String source) {
        return ethereum.putFetched(blocks, asked, fromBlock, toBlock, source);
    }

    @Override
    public Optional<long[]> ethFetchedRange(String address) {
        return ethereum.fetchedRange(address);
    }

    @Override
    public boolean historyKnown(Address address) {
        return address.chain() != Chain.ETHEREUM || ethereum.historyKnown(address);
    }

    /** The lowest and highest Ethereum block stored, if any. */
    public Optional<StoredEthBlock[]> ethRange() {
        return ethereum.range();
    }

    public EthStats ethStats() {
        return ethereum.stats();
    }

    /** Ethereum transactions that moved value, counted over the stored transfers (a scan: for stats, not for loops). */
    public long ethTransactionCount() {
        return ethereum.transactionCount();
    }

    /** Ethereum addresses a fetch asked about, per source (an explorer API's URL, credentials hidden). */
    public Map<String, Long> ethFetchedBySource() {
        return ethereum.fetchedBySource();
    }

    /** Every transfer in blocks [from, to], in chain order. */
    public List<AccountTransfer> ethTransfers(long from, long to) {
        List<AccountTransfer> out = new ArrayList<>();
        ethereum.forEachTransfer(from, to, out::add);
        return out;
    }

    /** Every stored Ethereum transfer of blocks {@code from..to}, in chain order, without holding them all. */
    public void forEachEthTransfer(long from, long to, Consumer<AccountTransfer> action) {
        ethereum.forEachTransfer(from, to, action);
    }

    @Override
    public Optional<BigInteger> gasPrice(Hash256 tx) {
        return ethereum.gasPrice(tx);
    }

    @Override
    public List<AccountTransfer> transfersOf(Address address) {
        return ethereum.transfersOf(address);
    }

    @Override
    public int transferCount(Address address, int cap) {
        return ethereum.transferCount(address, cap);
    }

    @Override
    public Optional<String> chainId(Chain chain) {
        return ethereum.chainId(chain);
    }

    @Override
    public void setChainId(Chain chain, String id) {
        ethereum.setChainId(chain, id);
    }

    @Override
    public void updateAsset(Asset asset) {
        ethereum.updateAsset(asset);
    }

    /** The dense id of an address, if the store has seen it. */
    public Optional<Integer> addressId(Address address) {
        writer.awaitQuietly();
        return addresses.storedId(address);
    }

    /** Whether the store holds coins of this address (for a P2PKH address: or of its key, paid directly). */
    public boolean knows(Address address) {
        writer.awaitQuietly();
        return addresses.storedId(address).isPresent() || bitcoin.keyOwner(address).isPresent();
    }

    /** The address behind a dense id. */
    public Address address(int id) {
        return addresses.address(id);
    }

    @Override
    public List<Label> labelsOf(Address address) {
        return labels.labelsOf(address);
    }

    /** Every labelled address's labels, one list per address, in the order of the addresses' text. */
    public void forEachLabelled(Consumer<List<Label>> action) {
        labels.forEach(action);
    }

    @Override
    public void putLabels(Address address, List<Label> labels) {
        this.labels.putLabels(address, labels);
    }

    /**
     * Clusters the transactions ingested since the last run (common-input ownership without CoinJoins, change by
     * consensus: {@link io.chaintrace.core.cluster.Clusterer#standard}) and Ethereum deposit addresses, and stores the
     * entity forest. Work is committed every {@code chunk} transactions, forest and progress in one batch, so an
     * interrupted run resumes where it stopped.
     */
    public ClusterRun cluster(int chunk, LongConsumer progress) {
        return entities.cluster(chunk, progress);
    }

    /**
     * Forgets every entity and how far clustering got, in one write: the next {@link #cluster} reads every transaction
     * again (after the heuristics or their settings changed).
     */
    public void dropEntities() {
        entities.dropEntities();
    }

    /** {@link #cluster} from the compact rows or, with {@code fromPages} false, transaction by transaction (the tests compare them). */
    ClusterRun cluster(int chunk, LongConsumer progress, boolean fromPages) {
        return entities.cluster(chunk, progress, fromPages);
    }

    /** Some addresses of an entity (its own first) and how many it has in all. */
    public record Members(List<Address> addresses, long total) {
    }

    /** Every address of an entity of two or more, with the entity (its first address): the clustering as pairs. */
    public void forEachEntityMember(java.util.function.BiConsumer<Address, Address> action) {
        writer.awaitQuietly();
        entities.forEachMember(action);
    }

    /** The addresses of the entity {@code address} belongs to, at most {@code limit}, and their number. */
    public Members entityMembers(Address address, int limit) {
        writer.awaitQuietly();
        return entities.members(address, limit);
    }

    /** The entity an address belongs to, named by its first-seen address (the smallest owner id; the address itself when alone). */
    public Optional<Address> entityOf(Address address) {
        return entities.entityOf(address);
    }

    /** The compact rows, read a page at a time, at most {@code cacheBytes} held; owners labelled in {@code stopAt} are endpoints. */
    public PagedChain compactRows(Set<LabelCategory> stopAt, long cacheBytes) {
        return rows.rows(stopAt, cacheBytes);
    }

    /** Compacts the compact rows so that a cold page read is one look-up in one file. */
    public void compactPages() {
        rows.compact();
    }

    /**
     * The sources that wrote blocks into the store (btc-blocks, btc-rpc, eth-etl, eth-rpc, ...: kinds, never a URL) and
     * how many blocks each wrote: where the data came from.
     */
    public Map<String, Long> sources() {
        writer.awaitQuietly();
        Map<String, Long> m = new java.util.TreeMap<>();
        try (org.rocksdb.RocksIterator it = files.iterator(Family.CHECKPOINTS)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                String source = new String(it.key(), StandardCharsets.UTF_8);
                m.put(source, Checkpoint.decode(source, it.value()).blocksDone());
            }
        }
        return m;
    }

    @Override
    public Optional<Checkpoint> checkpoint(String source) {
        writer.awaitQuietly();
        byte[] v = files.get(Family.CHECKPOINTS, source.getBytes(StandardCharsets.UTF_8));
        return v == null ? Optional.empty() : Optional.of(Checkpoint.decode(source, v));
    }

    /** Bytes of table files per column family: what each part of the store costs on disk. */
    public Map<String, Long> familySizes() {
        return files.familySizes();
    }

    /** SHA-256 over every key and value of every column family, in a fixed order: two stores with the same digest hold the same data. */
    public String digest() {
        writer.writeHistory();
        writer.awaitQuietly();
        return files.digest(java.util.Set.of());
    }

    /**
     * The digest of what the store says about the chains, without the checkpoints (how far each source got) and the
     * answers fetches keep for reruns:
     * equal for stores filled with the same blocks by different sources (block files, a node).
     */
    public String chainDigest() {
        writer.writeHistory();
        writer.awaitQuietly();
        return files.digest(java.util.EnumSet.of(Family.CHECKPOINTS, Family.FETCH_CACHE));
    }

    @Override
    public void close() {
        synchronized (files) {
            StoreException pending = null;
            try {
                if (writer.finish() && !files.readOnly) {
                    files.flush();
                }
            } catch (StoreException e) {
                pending = e;
            } finally {
                files.close();
            }
            if (pending != null) {
                throw pending;
            }
        }
    }
}
