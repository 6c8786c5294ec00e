package io.chaintrace.graph;

import io.chaintrace.core.cluster.Clusterer;
import io.chaintrace.core.cluster.DepositAddressClustering;
import io.chaintrace.core.cluster.PageClustering;
import io.chaintrace.core.cluster.TransactionClustering;
import io.chaintrace.core.cluster.UnionFind;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Entities (docs/CLUSTERING.md): the union-find forest of owner ids in {@code entity_parents},
 * stored flat and canonical (each owner points at its entity's smallest id; owners alone or smallest
 * are not stored), and how far clustering has gone ({@code clusteredSeq}, {@code clusteredMaxId},
 * {@code clusteredEthBlock} in {@code meta}).
 */
final class EntityStore {
    private final StoreFiles files;
    private final BlockWriter writer;
    private final AddressBook addresses;
    private final LabelStore labels;
    private final Counters counters;
    private final BitcoinStore bitcoin;
    private final EthereumStore ethereum;
    /** The whole store as a ledger: the clusterer looks up each transaction's funding outputs through it. */
    private final UtxoLedger ledger;

    EntityStore(StoreFiles files, BlockWriter writer, AddressBook addresses, LabelStore labels, Counters counters, BitcoinStore bitcoin,
                EthereumStore ethereum, UtxoLedger ledger) {
        this.files = files;
        this.writer = writer;
        this.addresses = addresses;
        this.labels = labels;
        this.counters = counters;
        this.bitcoin = bitcoin;
        this.ethereum = ethereum;
        this.ledger = ledger;
    }

    /** See {@link ChainStore#cluster}. */
    ClusterRun cluster(int chunk, LongConsumer progress) {
        return cluster(chunk, progress, true);
    }

    /**
     * {@code fromPages}: from the compact rows ({@link PageClustering}, the default) or, as before them, transaction by
     * transaction read back whole ({@link TransactionClustering}: what a store past the compact rows' 32-bit ids uses,
     * and what the tests hold the default to).
     */
    ClusterRun cluster(int chunk, LongConsumer progress, boolean fromPages) {
        synchronized (files) {
            writer.requireWritable();
            writer.awaitInFlight();
            UnionFind sets = new UnionFind(counters.nextAddressId + 1);
            int[] stored = new int[counters.nextAddressId + 1];
            for (int i = 0; i < stored.length; i++) {
                stored[i] = i;
            }
            try (RocksIterator it = files.iterator(Family.ENTITY_PARENTS)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    int child = Keys.getInt(it.key(), 0);
                    int parent = Keys.getInt(it.value(), 0);
                    sets.link(child, parent);
                    stored[child] = parent;
                }
            }
            sets.normalize();
            long seq = files.meta("clusteredSeq", 0);
            int maxSeen = (int) files.meta("clusteredMaxId", -1);
            Clusterer clusterer = Clusterer.standard(sets);
            long done;
            // The compact rows know an input's owner through the stored output it spends; a fetched transaction's input
            // whose funding transaction was not fetched has its owner only in the transaction's own record.
            if (fromPages && counters.fetchedTxs == 0 && counters.txs <= Integer.MAX_VALUE && counters.outputs <= Integer.MAX_VALUE) {
                done = clusterFromPages(clusterer, stored, seq, maxSeen, chunk, progress);
            } else {
                done = clusterTransactions(clusterer, stored, seq, maxSeen, chunk, progress);
            }
            seq = files.meta("clusteredSeq", 0);
            maxSeen = (int) files.meta("clusteredMaxId", -1);
            // Ethereum: exchange deposit addresses. The blocks of the last window are read again to rebuild what they
            // received (joining twice changes nothing).
            long[] exchanges = LabelStore.ownersWith(files, Set.of(LabelCategory.EXCHANGE));
            DepositAddressClustering deposits = DepositAddressClustering.standard(sets,
                    id -> id >>> 6 < exchanges.length && (exchanges[id >>> 6] & 1L << id) != 0);
            long ethDone = files.meta("clusteredEthBlock", -1);
            long[] lastBlock = {ethDone};
            long[] transfers = {0};
            ethereum.forEachEtherMove(Math.max(0, ethDone + 1 - 3_200), Long.MAX_VALUE, (block, from, to, wei) -> {
                deposits.accept(block, from, to, wei);
                lastBlock[0] = Math.max(lastBlock[0], block);
                transfers[0]++;
            });
            commitForest(sets, stored, seq, maxSeen);
            files.put(Family.META, "clusteredEthBlock".getBytes(StandardCharsets.US_ASCII), Keys.number(lastBlock[0]));
            return new ClusterRun(done, clusterer.multiInputLinks(), clusterer.changeLinks(), clusterer.coinjoinsSkipped(), transfers[0],
                    deposits.links());
        }
    }

    /** See {@link ChainStore#dropEntities}. */
    void dropEntities() {
        synchronized (files) {
            writer.requireWritable();
            writer.awaitInFlight();
            try (WriteBatch batch = new WriteBatch()) {
                drop(files, batch);
                files.write(batch);
            } catch (RocksDBException e) {
                throw new StoreException(files.path, "write failed: " + e.getMessage(), e);
            }
        }
    }

    /** Adds to {@code batch} the deletion of the whole forest and the clustering marks: the next run starts from nothing. */
    static void drop(StoreFiles files, WriteBatch batch) throws RocksDBException {
        // Owner ids are non-negative ints, big-endian: every key lies below 0x80000000.
        batch.deleteRange(files.handle(Family.ENTITY_PARENTS), new byte[0], new byte[] {(byte) 0x80, 0, 0, 0});
        for (String mark : new String[] {"clusteredSeq", "clusteredMaxId", "clusteredEthBlock"}) {
            batch.delete(files.handle(Family.META), mark.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Feeds every transaction from {@code seq} whole, read back from the store. Returns how many. */
    private long clusterTransactions(Clusterer clusterer, int[] stored, long seq, int maxSeen, int chunk, LongConsumer progress) {
        TransactionClustering feed = new TransactionClustering(clusterer, ledger, a -> addresses.idOf(a.text()), maxSeen);
        long done = 0;
        try (RocksIterator it = files.iterator(Family.TX_IDS)) {
            for (it.seek(Keys.number(seq)); it.isValid(); it.next()) {
                feed.accept(bitcoin.listed(new Hash256(it.value())));
                seq = Keys.getLong(it.key(), 0) + 1;
                if (++done % chunk == 0) {
                    commitForest(clusterer.sets(), stored, seq, feed.maxSeen());
                    progress.accept(done);
                }
            }
        }
        commitForest(clusterer.sets(), stored, seq, feed.maxSeen());
        progress.accept(done);
        return done;
    }

    /** Feeds every transaction from {@code seq} from the compact rows, page by page. Returns how many. */
    private long clusterFromPages(Clusterer clusterer, int[] stored, long seq, int maxSeen, int chunk, LongConsumer progress) {
        TxPages pages = new TxPages(files.db(), files.handle(Family.TX_PAGES), files.path);
        long transactions = counters.txs;
        ScriptKind[] kinds = ScriptKind.values();
        // Every owner's kind at once (one ordered scan) when the run is large against the store; a look-up each for a
        // few new blocks on a large store.
        byte[] kindOf = transactions - seq >= counters.nextAddressId / 4 ? ownerKinds() : null;
        PageClustering feed = new PageClustering(clusterer, new PageClustering.Source() {
            @Override
            public ScriptKind kind(int owner) {
                return kindOf != null && owner < kindOf.length ? kinds[kindOf[owner]] : addresses.address(owner).kind();
            }

            @Override
            public PagedChain.Page page(int page) {
                return pages.read(page);
            }

            @Override
            public UtxoTransaction transaction(long s) {
                byte[] txid = files.get(Family.TX_IDS, Keys.number(s));
                if (txid == null) {
                    throw new StoreException(files.path, "corrupt: no transaction at sequence number " + s);
                }
                return bitcoin.listed(new Hash256(txid));
            }
        }, TxPages.SHIFT, seq, maxSeen);
        // A commit looks at every owner: on a large store, commits as far apart as a quarter of the owners keep their
        // cost within that of the feeding (10^7 transactions: 59 s with a commit every 50,000, most of it the commits).
        long every = Math.max(chunk, counters.nextAddressId / 4);
        long nextCommit = every;
        long nextProgress = chunk;
        PageReader reader = new PageReader((int) (seq >>> TxPages.SHIFT), transactions);
        try {
            for (DecodedPage d = reader.take(); d != null; d = reader.take()) {
                feed.accept(d.page(), d.count());
                if (feed.fed() >= nextCommit) {
                    commitForest(clusterer.sets(), stored, feed.resumeSeq(), feed.resumeMaxSeen());
                    nextCommit = feed.fed() + every;
                }
                if (feed.fed() >= nextProgress) {
                    progress.accept(feed.fed());
                    nextProgress = feed.fed() + chunk;
                }
            }
        } finally {
            reader.stop();
        }
        if (feed.waitingLinks() != 0) {
            throw new StoreException(files.path, "corrupt compact rows: " + feed.waitingLinks() + " spends of peel remainders never met");
        }
        commitForest(clusterer.sets(), stored, feed.resumeSeq(), feed.resumeMaxSeen());
        progress.accept(feed.fed());
        return feed.fed();
    }

    private record DecodedPage(PagedChain.Page page, int count) {
    }

    /**
     * Reads and decodes the pages in order on a thread of its own, a few hundred ahead of the clustering: the scan and the
     * decoding were a quarter of the clustering's thread (10^6, JFR), which the ingest's end leaves alone on one core.
     * Its own {@link TxPages} (a decoder keeps scratch space); a failure is handed over and thrown by {@link #take}.
     */
    private final class PageReader {
        private static final Object END = new Object();
        private final java.util.concurrent.BlockingQueue<Object> queue = new java.util.concurrent.ArrayBlockingQueue<>(256);
        private volatile boolean stopped;
        private final Thread thread;

        PageReader(int fromPage, long transactions) {
            TxPages pages = new TxPages(files.db(), files.handle(Family.TX_PAGES), files.path);
            thread = Thread.ofPlatform().name("cluster-pages").daemon(true).start(() -> {
                Object last = END;
                try (RocksIterator it = files.scan(Family.TX_PAGES)) {
                    pages.scan(it, fromPage, transactions, (page, count) -> {
                        if (page.bodies() != null) {
                            for (int j = 0; j < count; j++) {
                                page.bodies().decode(page, j);
                            }
                        }
                        hand(new DecodedPage(page, count));
                    });
                } catch (Stopped e) {
                    return;
                } catch (RuntimeException | Error e) {
                    last = e;
                }
                try {
                    hand(last);
                } catch (Stopped e) {
                    // the clustering stopped first: nobody takes the end
                }
            });
        }

        private void hand(Object o) {
            if (stopped) {
                throw new Stopped();
            }
            try {
                while (!queue.offer(o, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    if (stopped) {
                        throw new Stopped();
                    }
                }
            } catch (InterruptedException e) {
                throw new Stopped();
            }
        }

        /** The next page, or null after the last. */
        DecodedPage take() {
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(files.path, "interrupted while clustering", e);
            }
            if (o == END) {
                return null;
            }
            if (o instanceof RuntimeException e) {
                throw e;
            }
            if (o instanceof Error e) {
                throw e;
            }
            return (DecodedPage) o;
        }

        /** Stops the reader and waits for it (its iterator must be closed before the store is). */
        void stop() {
            stopped = true;
            queue.clear();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the reader's scan when the clustering has stopped taking pages. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** Each owner id's script kind (its ordinal), from one ordered scan of {@code addresses}. */
    private byte[] ownerKinds() {
        byte[] kinds = new byte[counters.nextAddressId];
        try (RocksIterator it = files.scan(Family.ADDRESSES)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                int id = Keys.getInt(it.key(), 0);
                if (id < kinds.length) {
                    kinds[id] = it.value()[0];
                }
            }
        }
        return kinds;
    }

    private void commitForest(UnionFind sets, int[] stored, long seq, int maxSeen) {
        try (WriteBatch batch = new WriteBatch()) {
            int n = Math.min(stored.length, sets.capacity());
            for (int id = 0; id < n; id++) {
                // Flat and canonical: the same partition is stored the same way however the unions came (an interrupted
                // run resumed writes what an uninterrupted one does).
                int parent = sets.smallest(id);
                if (parent != stored[id]) {
                    if (parent == id) {
                        batch.delete(files.handle(Family.ENTITY_PARENTS), Keys.addressId(id));
                    } else {
                        batch.put(files.handle(Family.ENTITY_PARENTS), Keys.addressId(id), Keys.addressId(parent));
                    }
                    stored[id] = parent;
                }
            }
            files.putMeta(batch, "clusteredSeq", seq);
            files.putMeta(batch, "clusteredMaxId", maxSeen);
            files.write(batch);
        } catch (RocksDBException e) {
            throw new StoreException(files.path, "write failed: " + e.getMessage(), e);
        }
    }

    /** The entity of an address, named by its smallest owner id's address (the address itself when alone). */
    Optional<Address> entityOf(Address address) {
        int id = addresses.idOf(address.text());
        if (id < 0) {
            return Optional.empty();
        }
        for (int hops = 0; hops < 1024; hops++) {
            byte[] parent = files.get(Family.ENTITY_PARENTS, Keys.addressId(id));
            if (parent == null) {
                return Optional.of(addresses.address(id));
            }
            id = Keys.getInt(parent, 0);
        }
        throw new StoreException(files.path, "entity forest too deep at owner " + id + " (corrupt?)");
    }

    /**
     * The addresses of the entity {@code address} belongs to, the entity's own first, at most {@code limit} (the count is
     * {@code members.length} when under it; {@code total} always). A scan of the forest: for a look-up, not a loop.
     */
    ChainStore.Members members(Address address, int limit) {
        int id = addresses.idOf(address.text());
        if (id < 0) {
            return new ChainStore.Members(java.util.List.of(), 0);
        }
        byte[] parent = files.get(Family.ENTITY_PARENTS, Keys.addressId(id));
        int root = parent == null ? id : Keys.getInt(parent, 0);
        java.util.List<Address> members = new java.util.ArrayList<>();
        members.add(addresses.address(root));
        long total = 1;
        try (RocksIterator it = files.iterator(Family.ENTITY_PARENTS)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (Keys.getInt(it.value(), 0) == root) {
                    total++;
                    if (members.size() < limit) {
                        members.add(addresses.address(Keys.getInt(it.key(), 0)));
                    }
                }
            }
        }
        return new ChainStore.Members(members, total);
    }

    /** Every address of a multi-member entity with its entity (named by its first address), the entity's own included. */
    void forEachMember(java.util.function.BiConsumer<Address, Address> action) {
        it.unimi.dsi.fastutil.ints.IntOpenHashSet roots = new it.unimi.dsi.fastutil.ints.IntOpenHashSet();
        try (RocksIterator it = files.iterator(Family.ENTITY_PARENTS)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                int root = Keys.getInt(it.value(), 0);
                roots.add(root);
                action.accept(addresses.address(Keys.getInt(it.key(), 0)), addresses.address(root));
            }
        }
        roots.forEach((int r) -> {
            Address a = addresses.address(r);
            action.accept(a, a);
        });
    }
}
