package io.chaintrace.graph;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Amount;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.TransferKind;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxInput;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.trace.UtxoLedger;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The embedded RocksDB store of one or more chains. One writer at a time (RocksDB's lock file);
 * any number of read-only readers.
 *
 * <p>Column families and layouts (all integers big-endian):
 * <ul>
 *   <li>{@code blocks}: block hash -> height, time, prev hash, tx count, chain work, sequence
 *       number of its first transaction
 *   <li>{@code tx_ids}: sequence number -> txid (transactions in ingest order)
 *   <li>{@code eth_gas}: transaction hash -> gas price (wei), for the transactions that moved value
 *   <li>{@code entity_parents}: owner id -> the smallest owner id of its entity (owners alone or
 *       smallest in their entity are not stored); {@code meta} keeps how far clustering has gone
 *       ({@code clusteredSeq}, {@code clusteredMaxId}, {@code clusteredEthBlock})
 *   <li>{@code block_heights}: height -> block hash (main chain, known heights only)
 *   <li>{@code transactions}: txid -> block hash, height, time, position, inputs with resolved
 *       value and owner id (or unresolved / coinbase), output count
 *   <li>{@code outputs}: txid + vout -> value, script kind, owner id (-1: none), transaction
 *       sequence number, output id
 *   <li>{@code spends}: txid + vout -> spending txid + input index
 *   <li>{@code address_ids}: normalized address text -> dense id, kind
 *   <li>{@code addresses}: dense id -> kind, text
 *   <li>{@code address_txs}: id + (height + 1) + position + txid -> flags (1 received, 2 sent)
 *   <li>{@code labels}: address text -> labels
 *   <li>{@code checkpoints}: source -> last completed block
 *   <li>{@code meta}: counters and the format marker
 *   <li>{@code eth_blocks}: number -> hash, parent hash, time
 *   <li>{@code transfers}: block number + tx index + kind + index -> tx hash, from id, to id, asset id, amount
 *   <li>{@code account_transfers}: address id + transfer key -> flags (1 received, 2 sent)
 *   <li>{@code assets}: asset id -> contract, symbol, decimals; {@code asset_ids}: contract -> asset id (ETH is 0)
 *   <li>{@code owner_labels}: one value ("all") of (owner id, bit set of label categories)
 *       records appended by merges, later ones replacing earlier, for every labelled address that
 *       has an id (written by whichever comes second: the label or the address), so a trace
 *       learns its endpoints with one look-up
 *   <li>{@code tx_pages}: the compact rows the fast tracer reads ({@link TxPages}): page number
 *       -> the bodies of {@value TxPages#PAGE_SIZE} consecutive transactions by sequence number
 *       (ingest order, which respects every resolved spend) and the spends of their outputs,
 *       appended by RocksDB merges, so a page is read with one look-up
 * </ul>
 * A block and everything it implies, counters and checkpoint included, is one {@link WriteBatch}:
 * a crash leaves either all of it or none.
 */
public final class ChainStore implements UtxoLedger, io.chaintrace.core.account.AccountLedger, AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    static final List<String> FAMILIES = List.of("blocks", "block_heights", "transactions", "outputs", "spends",
            "address_ids", "addresses", "address_txs", "labels", "checkpoints", "meta",
            "eth_blocks", "transfers", "account_transfers", "assets", "asset_ids", "tx_pages", "owner_labels", "tx_ids", "entity_parents", "eth_gas");
    private static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORMAT = "chaintrace-store-3".getBytes(StandardCharsets.US_ASCII);
    private static final int NO_OWNER = -1;
    private static final byte RECEIVED = 1;
    private static final byte SENT = 2;
    private static final int ADDRESS_CACHE = 1 << 20;

    private final Path path;
    private final boolean readOnly;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final ColumnFamilyOptions pageOptions;
    private final org.rocksdb.StringAppendOperator append = new org.rocksdb.StringAppendOperator("");
    private final List<ColumnFamilyHandle> handles;
    private final Map<String, ColumnFamilyHandle> cf = new HashMap<>();
    private final WriteOptions writeOptions = new WriteOptions();
    private final Counters counters;
    private final Map<String, Integer> idCache = lru(ADDRESS_CACHE);
    private final Map<Integer, Address> addressCache = lru(ADDRESS_CACHE);
    private final java.util.concurrent.ExecutorService committer;
    private InFlight inFlight;
    private Throwable failed;
    /** Whether any label is stored: until one is, new addresses need no label look-up. */
    private volatile boolean anyLabels;

    private ChainStore(Path path, boolean readOnly) {
        this.path = path;
        this.readOnly = readOnly;
        this.committer = readOnly ? null : java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "store-committer");
            t.setDaemon(true);
            return t;
        });
        this.cfOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)))
                .setWriteBufferSize(64L << 20);
        // Page values are appended to: merges with an empty delimiter concatenate.
        // Pages are read one look-up each: a block holds about one page (no compression to undo; the rows are
        // ids and amounts that snappy barely shrinks).
        this.pageOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10)).setBlockSize(8 << 10))
                .setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION)
                .setWriteBufferSize(64L << 20)
                .setMergeOperator(append);
        this.dbOptions = new DBOptions().setCreateIfMissing(!readOnly).setCreateMissingColumnFamilies(!readOnly)
                .setMaxBackgroundJobs(2)
                // Column families written every block (meta, checkpoints) never fill a memtable; without a bound
                // they would pin every WAL file and the log would grow with the chain.
                .setMaxTotalWalSize(256L << 20);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (String name : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII),
                    name.equals("tx_pages") || name.equals("owner_labels") ? pageOptions : cfOptions));
        }
        handles = new ArrayList<>();
        try {
            db = readOnly
                    ? RocksDB.openReadOnly(dbOptions, path.toString(), descriptors, handles)
                    : RocksDB.open(dbOptions, path.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            pageOptions.close();
            append.close();
            throw translate(path, e);
        }
        for (int i = 0; i < FAMILIES.size(); i++) {
            cf.put(FAMILIES.get(i), handles.get(i + 1));
        }
        try {
            byte[] format = db.get(cf.get("meta"), FORMAT_KEY);
            if (format == null && holdsNothing()) {
                // A new store, or one whose creation was killed between RocksDB's files and the marker: empty either
                // way, so it is a Chaintrace store with nothing in it yet.
                if (!readOnly) {
                    db.put(cf.get("meta"), FORMAT_KEY, FORMAT);
                }
            } else if (format != null && new String(format, StandardCharsets.US_ASCII).startsWith("chaintrace-store-")
                    && !Arrays.equals(format, FORMAT)) {
                throw new StoreException(path, "written by another version of Chaintrace (format "
                        + new String(format, StandardCharsets.US_ASCII) + ", this version reads " + new String(FORMAT, StandardCharsets.US_ASCII)
                        + "): ingest again into a new store").markOtherVersion();
            } else if (format == null || !Arrays.equals(format, FORMAT)) {
                throw new StoreException(path, "not a Chaintrace store (format marker missing or unknown)");
            }
            counters = new Counters(this);
            try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(cf.get("labels"), ro)) {
                it.seekToFirst();
                anyLabels = it.isValid();
            }
        } catch (RocksDBException e) {
            close();
            throw new StoreException(path, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private boolean holdsNothing() {
        for (ColumnFamilyHandle h : handles) {
            try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(h, ro)) {
                it.seekToFirst();
                if (it.isValid()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Opens the store at {@code path} for writing, creating it if needed. */
    public static ChainStore open(Path path) {
        try {
            Files.createDirectories(path);
        } catch (java.io.IOException e) {
            throw new StoreException(path, "cannot create directory: " + e.getMessage(), e);
        }
        return new ChainStore(path, false);
    }

    /** Opens an existing store for reading only; works while another process writes to it. */
    public static ChainStore openReadOnly(Path path) {
        if (!Files.isRegularFile(path.resolve("CURRENT"))) {
            throw new StoreException(path, "no store here (run 'chaintrace ingest ... --store " + path + "' first)");
        }
        if (!missingFamilies(path).isEmpty()) {
            // Written by an earlier version: add the new (empty) column families once, then read.
            open(path).close();
        }
        return new ChainStore(path, true);
    }

    private static List<String> missingFamilies(Path path) {
        try (org.rocksdb.Options o = new org.rocksdb.Options()) {
            List<String> present = new ArrayList<>();
            for (byte[] name : RocksDB.listColumnFamilies(o, path.toString())) {
                present.add(new String(name, StandardCharsets.US_ASCII));
            }
            return FAMILIES.stream().filter(f -> !present.contains(f)).toList();
        } catch (RocksDBException e) {
            throw translate(path, e);
        }
    }

    private static StoreException translate(Path path, RocksDBException e) {
        String msg = String.valueOf(e.getMessage());
        // RocksDB: "While lock file: .../LOCK: Resource temporarily unavailable" / "lock hold by current process".
        if (msg.contains("/LOCK") || msg.contains("lock file") || msg.contains("lock hold")) {
            return new StoreException(path, "in use by another process (RocksDB lock held): " + msg, e);
        }
        if (msg.contains("Corruption") || msg.contains("corrupt")) {
            return new StoreException(path, "corrupt: " + msg, e);
        }
        return new StoreException(path, "cannot open: " + msg, e);
    }

    public Path path() {
        return path;
    }

    // ---------------------------------------------------------------- writing

    /** Whether a block with this hash is stored (or being written). */
    public synchronized boolean hasBlock(Hash256 hash) {
        return inFlight != null && inFlight.hash.equals(hash) || hasBlockWritten(hash);
    }

    private boolean hasBlockWritten(Hash256 hash) {
        return get("blocks", hash.bytes()) != null;
    }

    /** The stored block with this hash: height, time and chain work, if stored. */
    public Optional<StoredBlock> block(Hash256 hash) {
        awaitQuietly();
        byte[] v = get("blocks", hash.bytes());
        if (v == null) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        int height = b.getInt();
        long time = b.getLong();
        byte[] prev = new byte[32];
        b.get(prev);
        int txCount = b.getInt();
        byte[] work = new byte[b.getShort()];
        b.get(work);
        return Optional.of(new StoredBlock(new BlockRef(height, hash, time), new Hash256(prev), txCount, new BigInteger(1, work), b.getLong()));
    }

    /** A stored block's header facts. */
    public record StoredBlock(BlockRef ref, Hash256 prev, int txCount, BigInteger chainWork, long firstSeq) {
    }

    /**
     * Appends one main-chain block with its checkpoint in one atomic batch. Input values and owners
     * are resolved from the store (and from earlier transactions of the same block); an outpoint
     * whose funding transaction is not stored is recorded as unresolved.
     *
     * <p>The batch is written on a committer thread while the caller prepares the next block, one
     * block in flight at most: batches still land one at a time, in order, each atomic. The next
     * block resolves against the in-flight block's outputs and ids held in memory. Call
     * {@link #sync()} (or any read, or {@link #close()}) to wait for the last write.
     *
     * @return false, writing nothing, when the block is already stored
     */
    public synchronized boolean append(NewBlock block, Checkpoint checkpoint) {
        requireWritable();
        if (inFlight != null && inFlight.hash.equals(block.hash()) || hasBlockWritten(block.hash())) {
            return false;
        }
        WriteBatch batch = new WriteBatch();
        BlockWrite w;
        try {
            w = new BlockWrite(block);
            w.resolveOwners();
            w.resolveInputs();
            w.write(batch);
            Counters next = counters.plus(w);
            next.write(batch, cf.get("meta"));
            batch.put(cf.get("checkpoints"), checkpoint.source().getBytes(StandardCharsets.UTF_8), encode(checkpoint));
            awaitInFlight();
            counters.set(next);
        } catch (RocksDBException e) {
            batch.close();
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            batch.close();
            throw e;
        }
        w.newIds.forEach(idCache::put);
        InFlight f = new InFlight(block.hash(), w.created);
        f.done = committer.submit(() -> {
            try (batch) {
                db.write(writeOptions, batch);
            }
            return null;
        });
        inFlight = f;
        return true;
    }

    /** Waits until every appended block is written. */
    public synchronized void sync() {
        awaitInFlight();
    }

    private void awaitInFlight() {
        InFlight f = inFlight;
        if (f == null) {
            return;
        }
        try {
            f.done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            failed = e.getCause();
            throw new StoreException(path, "write failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(path, "interrupted while writing", e);
        } finally {
            inFlight = null;
        }
    }

    /** The block being written: its hash and the outputs it creates, for the next block to resolve against. */
    private static final class InFlight {
        final Hash256 hash;
        final Map<Outpoint, OutputRecord> outputs;
        java.util.concurrent.Future<Void> done;

        InFlight(Hash256 hash, Map<Outpoint, OutputRecord> outputs) {
            this.hash = hash;
            this.outputs = outputs;
        }
    }

    /** The state of one block being written. */
    private final class BlockWrite {
        final NewBlock block;
        final Map<String, Integer> ids = new HashMap<>();
        final LinkedHashMap<String, Integer> newIds = new LinkedHashMap<>();
        final Map<String, ScriptKind> newKinds = new HashMap<>();
        final Map<Outpoint, OutputRecord> resolved = new HashMap<>();
        final Map<Outpoint, OutputRecord> created = new HashMap<>();
        long inputs;
        long outputs;
        long value;
        long unresolved;
        long standardAddresses;
        /** Sequence number of the block's first transaction, id of its first output. */
        final long firstSeq;
        final long firstOutput;

        BlockWrite(NewBlock block) {
            this.block = block;
            this.firstSeq = counters.txs;
            this.firstOutput = counters.outputs;
        }

        /** Looks up or assigns a dense id for every owner in the block, in order of appearance. */
        void resolveOwners() throws RocksDBException {
            LinkedHashMap<String, ScriptKind> wanted = new LinkedHashMap<>();
            for (NewBlock.NewTransaction tx : block.transactions()) {
                for (TxOutput o : tx.outputs()) {
                    o.owner().ifPresent(a -> wanted.putIfAbsent(a.text(), a.kind()));
                }
            }
            List<String> missing = new ArrayList<>();
            for (String text : wanted.keySet()) {
                Integer id = idCache.get(text);
                if (id != null) {
                    ids.put(text, id);
                } else {
                    missing.add(text);
                }
            }
            if (!missing.isEmpty()) {
                List<byte[]> keys = new ArrayList<>(missing.size());
                for (String text : missing) {
                    keys.add(text.getBytes(StandardCharsets.UTF_8));
                }
                List<byte[]> found = db.multiGetAsList(java.util.Collections.nCopies(keys.size(), cf.get("address_ids")), keys);
                int next = counters.nextAddressId;
                for (int i = 0; i < missing.size(); i++) {
                    String text = missing.get(i);
                    byte[] v = found.get(i);
                    if (v != null) {
                        int id = Keys.getInt(v, 0);
                        ids.put(text, id);
                        idCache.put(text, id);
                    } else {
                        ids.put(text, next);
                        newIds.put(text, next);
                        ScriptKind kind = wanted.get(text);
                        newKinds.put(text, kind);
                        if (kind.hasStandardAddress()) {
                            standardAddresses++;
                        }
                        next++;
                    }
                }
            }
        }

        /** Fetches the outputs this block's inputs spend, except those created earlier in the block. */
        void resolveInputs() throws RocksDBException {
            java.util.Set<Outpoint> created = new java.util.HashSet<>();
            for (NewBlock.NewTransaction tx : block.transactions()) {
                for (TxOutput o : tx.outputs()) {
                    created.add(new Outpoint(tx.txid(), o.index()));
                }
            }
            List<Outpoint> wanted = new ArrayList<>();
            Map<Outpoint, OutputRecord> previous = inFlight == null ? Map.of() : inFlight.outputs;
            for (NewBlock.NewTransaction tx : block.transactions()) {
                for (Outpoint op : tx.spends()) {
                    if (op.equals(Outpoint.COINBASE) || created.contains(op)) {
                        continue;
                    }
                    OutputRecord inPrevious = previous.get(op);
                    if (inPrevious != null) {
                        resolved.put(op, inPrevious); // created by the block still being written
                    } else {
                        wanted.add(op);
                    }
                }
            }
            if (wanted.isEmpty()) {
                return;
            }
            List<byte[]> keys = new ArrayList<>(wanted.size());
            for (Outpoint op : wanted) {
                keys.add(Keys.outpoint(op));
            }
            List<byte[]> found = db.multiGetAsList(java.util.Collections.nCopies(keys.size(), cf.get("outputs")), keys);
            for (int i = 0; i < wanted.size(); i++) {
                byte[] v = found.get(i);
                if (v != null) {
                    resolved.put(wanted.get(i), OutputRecord.decode(v));
                }
            }
        }

        void write(WriteBatch batch) throws RocksDBException {
            ColumnFamilyHandle txs = cf.get("transactions");
            ColumnFamilyHandle outs = cf.get("outputs");
            ColumnFamilyHandle spends = cf.get("spends");
            ColumnFamilyHandle addrTxs = cf.get("address_txs");
            ColumnFamilyHandle pages = cf.get("tx_pages");
            int position = 0;
            long outputId = firstOutput;
            for (NewBlock.NewTransaction tx : block.transactions()) {
                Map<Integer, Byte> touched = new LinkedHashMap<>();
                long seq = firstSeq + position;
                TxPages.Body body = new TxPages.Body(seq, tx.spends().size(), tx.outputs().size(), outputId);
                byte[] txid = tx.txid().bytes();
                ByteBuffer rec = ByteBuffer.allocate(32 + 4 + 8 + 4 + 4 + 4 + tx.spends().size() * 49);
                rec.put(block.hash().bytes()).putInt(block.height()).putLong(block.time()).putInt(position)
                        .putInt(tx.spends().size()).putInt(tx.outputs().size());
                int inputIndex = 0;
                for (Outpoint op : tx.spends()) {
                    inputs++;
                    if (op.equals(Outpoint.COINBASE)) {
                        rec.put(Hash256.ZERO.bytes()).putInt(-1).put((byte) InputStatus.COINBASE.ordinal()).putLong(0).putInt(NO_OWNER);
                        body.input(-1, -1, 0);
                    } else {
                        OutputRecord prev = resolved.get(op);
                        if (prev == null) {
                            unresolved++;
                            rec.put(op.txid().bytes()).putInt(op.vout()).put((byte) InputStatus.UNRESOLVED.ordinal()).putLong(0).putInt(NO_OWNER);
                            body.input(-1, -1, 0);
                        } else {
                            rec.put(op.txid().bytes()).putInt(op.vout()).put((byte) InputStatus.RESOLVED.ordinal())
                                    .putLong(prev.value()).putInt(prev.ownerId());
                            body.input(prev.outputId(), prev.seq(), prev.value());
                            batch.merge(pages, TxPages.pageKey(prev.seq()), TxPages.spend(prev.seq(), op.vout(), seq));
                            if (prev.ownerId() != NO_OWNER) {
                                touched.merge(prev.ownerId(), SENT, (a, b) -> (byte) (a | b));
                            }
                        }
                        byte[] spend = new byte[36];
                        tx.txid().copyTo(spend, 0);
                        Keys.putInt(spend, 32, inputIndex);
                        batch.put(spends, Keys.outpoint(op), spend);
                    }
                    inputIndex++;
                }
                for (TxOutput o : tx.outputs()) {
                    outputs++;
                    value = Math.addExact(value, o.value());
                    int owner = o.owner().map(a -> ids.get(a.text())).orElse(NO_OWNER);
                    OutputRecord out = new OutputRecord(o.value(), o.kind(), owner, seq, outputId + o.index());
                    body.output(o.value(), owner);
                    Outpoint op = new Outpoint(tx.txid(), o.index());
                    resolved.put(op, out);
                    created.put(op, out);
                    batch.put(outs, Keys.outpoint(tx.txid(), o.index()), out.encode());
                    if (owner != NO_OWNER) {
                        touched.merge(owner, RECEIVED, (a, b) -> (byte) (a | b));
                    }
                }
                batch.put(txs, txid, rec.array());
                batch.merge(pages, TxPages.pageKey(seq), body.encode());
                batch.put(cf.get("tx_ids"), Keys.number(seq), txid);
                outputId += tx.outputs().size();
                for (Map.Entry<Integer, Byte> e : touched.entrySet()) {
                    batch.put(addrTxs, Keys.addressTx(e.getKey(), block.height(), position, tx.txid()), new byte[] {e.getValue()});
                }
                position++;
            }
            for (Map.Entry<String, Integer> e : newIds.entrySet()) {
                putAddress(batch, e.getKey(), newKinds.get(e.getKey()), e.getValue());
            }
            byte[] work = block.chainWork().toByteArray();
            ByteBuffer b = ByteBuffer.allocate(4 + 8 + 32 + 4 + 2 + work.length + 8);
            b.putInt(block.height()).putLong(block.time()).put(block.prev().bytes()).putInt(block.transactions().size())
                    .putShort((short) work.length).put(work).putLong(firstSeq);
            batch.put(cf.get("blocks"), block.hash().bytes(), b.array());
            if (block.height() != BlockRef.UNKNOWN_HEIGHT) {
                batch.put(cf.get("block_heights"), Keys.height(block.height()), block.hash().bytes());
            }
        }
    }

    /** An output as stored: value, kind, owner id, the creating transaction's sequence number, output id. */
    private record OutputRecord(long value, ScriptKind kind, int ownerId, long seq, long outputId) {
        static final ScriptKind[] KINDS = ScriptKind.values();

        byte[] encode() {
            byte[] v = new byte[29];
            Keys.putLong(v, 0, value);
            v[8] = (byte) kind.ordinal();
            Keys.putInt(v, 9, ownerId);
            Keys.putLong(v, 13, seq);
            Keys.putLong(v, 21, outputId);
            return v;
        }

        static OutputRecord decode(byte[] v) {
            return new OutputRecord(Keys.getLong(v, 0), KINDS[v[8]], Keys.getInt(v, 9), Keys.getLong(v, 13), Keys.getLong(v, 21));
        }
    }

    /** Running totals, kept in {@code meta} and updated in each block's batch. */
    private static final class Counters {
        static final String[] NAMES = {"blocks", "txs", "inputs", "outputs", "outputValue", "addresses", "owners",
            "unresolvedInputs", "nextAddressId"};
        long blocks;
        long txs;
        long inputs;
        long outputs;
        long outputValue;
        long addresses;
        long owners;
        long unresolvedInputs;
        int nextAddressId;

        Counters() {
        }

        Counters(ChainStore store) throws RocksDBException {
            long[] v = new long[NAMES.length];
            for (int i = 0; i < NAMES.length; i++) {
                byte[] b = store.db.get(store.cf.get("meta"), NAMES[i].getBytes(StandardCharsets.US_ASCII));
                v[i] = b == null ? 0 : Keys.getLong(b, 0);
            }
            blocks = v[0];
            txs = v[1];
            inputs = v[2];
            outputs = v[3];
            outputValue = v[4];
            addresses = v[5];
            owners = v[6];
            unresolvedInputs = v[7];
            nextAddressId = Math.toIntExact(v[8]);
        }

        Counters plus(BlockWrite w) {
            Counters n = new Counters();
            n.blocks = blocks + 1;
            n.txs = txs + w.block.transactions().size();
            n.inputs = inputs + w.inputs;
            n.outputs = outputs + w.outputs;
            n.outputValue = Math.addExact(outputValue, w.value);
            n.addresses = addresses + w.standardAddresses;
            n.owners = owners + w.newIds.size();
            n.unresolvedInputs = unresolvedInputs + w.unresolved;
            n.nextAddressId = Math.addExact(nextAddressId, w.newIds.size());
            return n;
        }

        /** After an Ethereum block: only the owner counters move (accounts have a standard address). */
        Counters plusAccounts(int newAccounts) {
            Counters n = new Counters();
            n.set(this);
            n.addresses = addresses + newAccounts;
            n.owners = owners + newAccounts;
            n.nextAddressId = Math.addExact(nextAddressId, newAccounts);
            return n;
        }

        void set(Counters n) {
            blocks = n.blocks;
            txs = n.txs;
            inputs = n.inputs;
            outputs = n.outputs;
            outputValue = n.outputValue;
            addresses = n.addresses;
            owners = n.owners;
            unresolvedInputs = n.unresolvedInputs;
            nextAddressId = n.nextAddressId;
        }

        void write(WriteBatch batch, ColumnFamilyHandle meta) throws RocksDBException {
            long[] v = {blocks, txs, inputs, outputs, outputValue, addresses, owners, unresolvedInputs, nextAddressId};
            for (int i = 0; i < NAMES.length; i++) {
                byte[] b = new byte[8];
                Keys.putLong(b, 0, v[i]);
                batch.put(meta, NAMES[i].getBytes(StandardCharsets.US_ASCII), b);
            }
        }
    }

    // ---------------------------------------------------------------- Ethereum

    /** A stored Ethereum block's header facts. */
    public record StoredEthBlock(long number, Hash256 hash, Hash256 parent, long time) {
    }

    /**
     * Appends one Ethereum block and its transfers with the checkpoint in one atomic batch;
     * owners and token contracts get dense ids as they first appear.
     *
     * @return false, writing nothing, when a block with this number is stored (roll back first to replace it)
     */
    public synchronized boolean appendEthBlock(EthBlock block, Checkpoint checkpoint) {
        requireWritable();
        awaitInFlight();
        if (ethBlock(block.number()).isPresent()) {
            return false;
        }
        try (WriteBatch batch = new WriteBatch()) {
            Map<String, Integer> newIds = new LinkedHashMap<>();
            Map<String, Asset> newAssets = new LinkedHashMap<>();
            int nextId = counters.nextAddressId;
            int nextAsset = (int) meta("nextAssetId", 1);
            for (AccountTransfer t : block.transfers()) {
                for (Address a : List.of(t.from(), t.to())) {
                    if (!newIds.containsKey(a.text()) && addressIdOf(a.text()) < 0) {
                        newIds.put(a.text(), nextId++);
                    }
                }
                Asset asset = t.amount().asset();
                if (!asset.nativeCoin() && !newAssets.containsKey(asset.contract().get().text())
                        && assetIdOf(asset.contract().get().text()) < 0) {
                    newAssets.put(asset.contract().get().text(), asset);
                }
            }
            for (Map.Entry<String, Integer> e : newIds.entrySet()) {
                putAddress(batch, e.getKey(), ScriptKind.ACCOUNT, e.getValue());
            }
            Map<String, Integer> assetIds = new HashMap<>();
            for (Map.Entry<String, Asset> e : newAssets.entrySet()) {
                int id = nextAsset++;
                assetIds.put(e.getKey(), id);
                batch.put(cf.get("asset_ids"), e.getKey().getBytes(StandardCharsets.UTF_8), Keys.addressId(id));
                batch.put(cf.get("assets"), Keys.addressId(id), encodeAsset(e.getValue()));
            }
            for (AccountTransfer t : block.transfers()) {
                int from = newIds.containsKey(t.from().text()) ? newIds.get(t.from().text()) : addressIdOf(t.from().text());
                int to = newIds.containsKey(t.to().text()) ? newIds.get(t.to().text()) : addressIdOf(t.to().text());
                Asset asset = t.amount().asset();
                int assetId = asset.nativeCoin() ? 0 : assetIds.getOrDefault(asset.contract().get().text(),
                        assetIdOf(asset.contract().get().text()));
                byte[] key = transferKey(block.number(), t.txIndex(), t.kind(), t.index());
                byte[] amount = t.amount().units().toByteArray();
                ByteBuffer v = ByteBuffer.allocate(32 + 4 + 4 + 4 + 1 + amount.length);
                v.put(t.txHash().bytes()).putInt(from).putInt(to).putInt(assetId).put((byte) amount.length).put(amount);
                batch.put(cf.get("transfers"), key, v.array());
                batch.put(cf.get("account_transfers"), accountKey(from, key), new byte[] {SENT});
                batch.put(cf.get("account_transfers"), accountKey(to, key), new byte[] {from == to ? (byte) (SENT | RECEIVED) : RECEIVED});
            }
            for (Map.Entry<Hash256, BigInteger> g : block.gasPrices().entrySet()) {
                batch.put(cf.get("eth_gas"), g.getKey().bytes(), g.getValue().toByteArray());
            }
            ByteBuffer b = ByteBuffer.allocate(32 + 32 + 8);
            b.put(block.hash().bytes()).put(block.parent().bytes()).putLong(block.time());
            batch.put(cf.get("eth_blocks"), Keys.number(block.number()), b.array());
            Counters next = counters.plusAccounts(newIds.size());
            next.write(batch, cf.get("meta"));
            putMeta(batch, "nextAssetId", nextAsset);
            putMeta(batch, "ethBlocks", meta("ethBlocks", 0) + 1);
            putMeta(batch, "transfers", meta("transfers", 0) + block.transfers().size());
            batch.put(cf.get("checkpoints"), checkpoint.source().getBytes(StandardCharsets.UTF_8), encode(checkpoint));
            db.write(writeOptions, batch);
            counters.set(next);
            newIds.forEach(idCache::put);
            return true;
        } catch (RocksDBException e) {
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        }
    }

    /**
     * Removes Ethereum blocks {@code >= fromNumber} and their transfers (a reorg replaced them), and
     * sets the checkpoint back to the block before, in one atomic batch. Address and asset ids stay.
     *
     * @return how many blocks were removed
     */
    public synchronized int rollbackEthBlocks(long fromNumber, String checkpointSource) {
        requireWritable();
        awaitInFlight();
        int removed = 0;
        long transfers = 0;
        try (WriteBatch batch = new WriteBatch(); ReadOptions ro = new ReadOptions();
             RocksIterator blocks = db.newIterator(cf.get("eth_blocks"), ro);
             RocksIterator ts = db.newIterator(cf.get("transfers"), ro)) {
            for (blocks.seek(Keys.number(fromNumber)); blocks.isValid(); blocks.next()) {
                batch.delete(cf.get("eth_blocks"), blocks.key());
                removed++;
            }
            for (ts.seek(Keys.number(fromNumber)); ts.isValid(); ts.next()) {
                byte[] key = ts.key();
                ByteBuffer v = ByteBuffer.wrap(ts.value());
                v.position(32);
                int from = v.getInt();
                int to = v.getInt();
                batch.delete(cf.get("transfers"), key);
                batch.delete(cf.get("eth_gas"), java.util.Arrays.copyOf(ts.value(), 32));
                batch.delete(cf.get("account_transfers"), accountKey(from, key));
                batch.delete(cf.get("account_transfers"), accountKey(to, key));
                transfers++;
            }
            if (removed == 0) {
                return 0;
            }
            putMeta(batch, "ethBlocks", meta("ethBlocks", 0) - removed);
            putMeta(batch, "transfers", meta("transfers", 0) - transfers);
            Optional<StoredEthBlock> before = fromNumber == 0 ? Optional.empty() : ethBlock(fromNumber - 1);
            if (before.isPresent()) {
                Checkpoint old = checkpoint(checkpointSource).orElse(new Checkpoint(checkpointSource, Hash256.ZERO, 0, 0));
                batch.put(cf.get("checkpoints"), checkpointSource.getBytes(StandardCharsets.UTF_8), encode(new Checkpoint(
                        checkpointSource, before.get().hash(), (int) before.get().number(), Math.max(0, old.blocksDone() - removed))));
            } else {
                batch.delete(cf.get("checkpoints"), checkpointSource.getBytes(StandardCharsets.UTF_8));
            }
            db.write(writeOptions, batch);
            return removed;
        } catch (RocksDBException e) {
            throw new StoreException(path, "rollback failed: " + e.getMessage(), e);
        }
    }

    /** A stored Ethereum block by number. */
    public Optional<StoredEthBlock> ethBlock(long number) {
        byte[] v = get("eth_blocks", Keys.number(number));
        if (v == null) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        byte[] hash = new byte[32];
        byte[] parent = new byte[32];
        b.get(hash).get(parent);
        return Optional.of(new StoredEthBlock(number, new Hash256(hash), new Hash256(parent), b.getLong()));
    }

    /** Ethereum totals: blocks and transfers stored. */
    public record EthStats(long blocks, long transfers) {
    }

    public EthStats ethStats() {
        awaitQuietly();
        return new EthStats(meta("ethBlocks", 0), meta("transfers", 0));
    }

    /** Every transfer in blocks [from, to], in chain order. */
    public List<AccountTransfer> ethTransfers(long from, long to) {
        List<AccountTransfer> out = new ArrayList<>();
        forEachEthTransfer(from, to, out::add);
        return out;
    }

    /** Every stored Ethereum transfer of blocks {@code from..to}, in chain order, without holding them all. */
    public void forEachEthTransfer(long from, long to, java.util.function.Consumer<AccountTransfer> action) {
        awaitQuietly();
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(cf.get("transfers"), ro)) {
            for (it.seek(Keys.number(from)); it.isValid(); it.next()) {
                if (Keys.getLong(it.key(), 0) > to) {
                    break;
                }
                action.accept(decodeTransfer(it.key(), it.value()));
            }
        }
    }

    /** The gas price (wei) of a stored transaction that moved value, if the source gave it. */
    @Override
    public Optional<BigInteger> gasPrice(Hash256 tx) {
        awaitQuietly();
        byte[] v = get("eth_gas", tx.bytes());
        return v == null ? Optional.empty() : Optional.of(new BigInteger(v));
    }

    /** Transfers from or to an account, in chain order. */
    public List<AccountTransfer> transfersOf(Address address) {
        awaitQuietly();
        int id = addressIdOf(address.text());
        if (id < 0) {
            return List.of();
        }
        List<AccountTransfer> out = new ArrayList<>();
        byte[] prefix = Keys.addressId(id);
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(cf.get("account_transfers"), ro)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!Arrays.equals(k, 0, 4, prefix, 0, 4)) {
                    break;
                }
                byte[] key = Arrays.copyOfRange(k, 4, k.length);
                out.add(decodeTransfer(key, get("transfers", key)));
            }
        }
        return out;
    }

    /** The chain id a source recorded for a chain in this store, if any. */
    public Optional<String> chainId(io.chaintrace.core.model.Chain chain) {
        byte[] v = get("meta", ("chainId." + chain.name()).getBytes(StandardCharsets.US_ASCII));
        return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
    }

    /** Records the chain id the store's data of {@code chain} comes from. */
    public synchronized void setChainId(io.chaintrace.core.model.Chain chain, String id) {
        requireWritable();
        try {
            db.put(cf.get("meta"), ("chainId." + chain.name()).getBytes(StandardCharsets.US_ASCII), id.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        }
    }

    /** Sets a token's symbol and decimals once its contract answered. */
    public synchronized void updateAsset(Asset asset) {
        requireWritable();
        int id = assetIdOf(asset.contract().orElseThrow().text());
        if (id < 0) {
            return;
        }
        try {
            db.put(cf.get("assets"), Keys.addressId(id), encodeAsset(asset));
        } catch (RocksDBException e) {
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        }
    }

    private AccountTransfer decodeTransfer(byte[] key, byte[] value) {
        long number = Keys.getLong(key, 0);
        int txIndex = Keys.getInt(key, 8);
        TransferKind kind = TransferKind.values()[key[12]];
        int index = Keys.getInt(key, 13);
        ByteBuffer v = ByteBuffer.wrap(value);
        byte[] tx = new byte[32];
        v.get(tx);
        Address from = address(v.getInt());
        Address to = address(v.getInt());
        Asset asset = asset(v.getInt());
        byte[] amount = new byte[v.get()];
        v.get(amount);
        StoredEthBlock b = ethBlock(number).orElseThrow(() -> new StoreException(path, "corrupt: transfer in missing block " + number));
        return new AccountTransfer(new Hash256(tx), new BlockRef((int) number, b.hash(), b.time()), txIndex, kind, index, from, to,
                new Amount(asset, new BigInteger(amount)));
    }

    private Asset asset(int id) {
        if (id == 0) {
            return Asset.ETH;
        }
        byte[] v = get("assets", Keys.addressId(id));
        if (v == null) {
            throw new StoreException(path, "corrupt: no asset " + id);
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        byte[] contract = new byte[b.getShort()];
        b.get(contract);
        byte[] symbol = new byte[b.getShort()];
        b.get(symbol);
        int decimals = b.getInt();
        return new Asset(io.chaintrace.core.model.Chain.ETHEREUM,
                Optional.of(new Address(io.chaintrace.core.model.Chain.ETHEREUM, ScriptKind.ACCOUNT, new String(contract, StandardCharsets.UTF_8))),
                new String(symbol, StandardCharsets.UTF_8), decimals < 0 ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(decimals));
    }

    private static byte[] encodeAsset(Asset a) {
        byte[] contract = a.contract().orElseThrow().text().getBytes(StandardCharsets.UTF_8);
        byte[] symbol = a.symbol().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + contract.length + 2 + symbol.length + 4).putShort((short) contract.length).put(contract)
                .putShort((short) symbol.length).put(symbol).putInt(a.decimals().orElse(-1)).array();
    }

    private int assetIdOf(String contract) {
        byte[] v = get("asset_ids", contract.getBytes(StandardCharsets.UTF_8));
        return v == null ? -1 : Keys.getInt(v, 0);
    }

    private int addressIdOf(String text) {
        Integer cached = idCache.get(text);
        if (cached != null) {
            return cached;
        }
        byte[] v = get("address_ids", text.getBytes(StandardCharsets.UTF_8));
        return v == null ? -1 : Keys.getInt(v, 0);
    }

    private void putAddress(WriteBatch batch, String text, ScriptKind kind, int id) throws RocksDBException {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] idv = new byte[5];
        Keys.putInt(idv, 0, id);
        idv[4] = (byte) kind.ordinal();
        batch.put(cf.get("address_ids"), t, idv);
        byte[] addr = new byte[1 + t.length];
        addr[0] = (byte) kind.ordinal();
        System.arraycopy(t, 0, addr, 1, t.length);
        batch.put(cf.get("addresses"), Keys.addressId(id), addr);
        byte[] labels = anyLabels ? db.get(cf.get("labels"), t) : null; // a miss costs a bloom filter probe
        if (labels != null) {
            batch.merge(cf.get("owner_labels"), ALL_OWNER_LABELS, ownerLabel(id, LabelCodec.categories(labels)));
        }
    }

    private static final byte[] ALL_OWNER_LABELS = "all".getBytes(StandardCharsets.US_ASCII);

    private static int categoryBits(java.util.Set<io.chaintrace.core.model.LabelCategory> categories) {
        int bits = 0;
        for (io.chaintrace.core.model.LabelCategory c : categories) {
            bits |= 1 << c.ordinal();
        }
        return bits;
    }

    private static byte[] ownerLabel(int id, java.util.Set<io.chaintrace.core.model.LabelCategory> categories) {
        byte[] v = new byte[8];
        Keys.putInt(v, 0, id);
        Keys.putInt(v, 4, categoryBits(categories));
        return v;
    }

    private static byte[] transferKey(long number, int txIndex, TransferKind kind, int index) {
        byte[] k = new byte[17];
        Keys.putLong(k, 0, number);
        Keys.putInt(k, 8, txIndex);
        k[12] = (byte) kind.ordinal();
        Keys.putInt(k, 13, index);
        return k;
    }

    private static byte[] accountKey(int addressId, byte[] transferKey) {
        byte[] k = new byte[4 + transferKey.length];
        Keys.putInt(k, 0, addressId);
        System.arraycopy(transferKey, 0, k, 4, transferKey.length);
        return k;
    }

    private long meta(String name, long absent) {
        byte[] v = get("meta", name.getBytes(StandardCharsets.US_ASCII));
        return v == null ? absent : Keys.getLong(v, 0);
    }

    private void putMeta(WriteBatch batch, String name, long value) throws RocksDBException {
        byte[] b = new byte[8];
        Keys.putLong(b, 0, value);
        batch.put(cf.get("meta"), name.getBytes(StandardCharsets.US_ASCII), b);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Compacts the compact rows and the endpoint list. A page is built by merges that land in
     * whichever files were flushed when its transactions and their spends were written; until
     * compacted, a cold read of one page gathers its pieces from several files. After this, a page
     * is one value in one file: one look-up.
     */
    public void compactPages() {
        requireWritable();
        awaitInFlight();
        try {
            db.compactRange(cf.get("tx_pages"));
            db.compactRange(cf.get("owner_labels"));
        } catch (RocksDBException e) {
            throw new StoreException(path, "compaction failed: " + e.getMessage(), e);
        }
    }

    /** Bytes of table files per column family (RocksDB's {@code rocksdb.total-sst-files-size}): what each part of the store costs on disk. */
    public Map<String, Long> familySizes() {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (String name : FAMILIES) {
                m.put(name, Long.parseLong(db.getProperty(cf.get(name), "rocksdb.total-sst-files-size")));
            }
        } catch (RocksDBException e) {
            throw new StoreException(path, "cannot read sizes: " + e.getMessage(), e);
        }
        return m;
    }

    public synchronized StoreStats stats() {
        awaitQuietly();
        Counters c = counters;
        return new StoreStats(c.blocks, c.txs, c.inputs, c.outputs, c.outputValue, c.addresses, c.owners, c.unresolvedInputs);
    }

    /** The checkpoint a source last wrote, if any. */
    public Optional<Checkpoint> checkpoint(String source) {
        awaitQuietly();
        byte[] v = get("checkpoints", source.getBytes(StandardCharsets.UTF_8));
        if (v == null) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        byte[] hash = new byte[32];
        b.get(hash);
        return Optional.of(new Checkpoint(source, new Hash256(hash), b.getInt(), b.getLong()));
    }

    private static byte[] encode(Checkpoint c) {
        return ByteBuffer.allocate(32 + 4 + 8).put(c.lastBlock().bytes()).putInt(c.height()).putLong(c.blocksDone()).array();
    }

    /** The main-chain block at a height, if stored. */
    public Optional<Hash256> blockAt(int height) {
        awaitQuietly();
        byte[] v = get("block_heights", Keys.height(height));
        return v == null ? Optional.empty() : Optional.of(new Hash256(v));
    }

    @Override
    public Optional<UtxoTransaction> transaction(Hash256 txid) {
        awaitQuietly();
        byte[] v = get("transactions", txid.bytes());
        if (v == null) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        byte[] blockHash = new byte[32];
        b.get(blockHash);
        int height = b.getInt();
        long time = b.getLong();
        int position = b.getInt();
        int nIn = b.getInt();
        int nOut = b.getInt();
        List<TxInput> inputs = new ArrayList<>(nIn);
        for (int i = 0; i < nIn; i++) {
            byte[] prev = new byte[32];
            b.get(prev);
            int vout = b.getInt();
            InputStatus status = InputStatus.values()[b.get()];
            long value = b.getLong();
            int owner = b.getInt();
            Outpoint op = status == InputStatus.COINBASE ? Outpoint.COINBASE : new Outpoint(new Hash256(prev), vout);
            inputs.add(new TxInput(op, status, value, owner == NO_OWNER ? Optional.empty() : Optional.of(address(owner))));
        }
        // The record says how many outputs there are: one multiGet, no iterator (costly through JNI).
        List<byte[]> keys = new ArrayList<>(nOut);
        for (int i = 0; i < nOut; i++) {
            keys.add(Keys.outpoint(txid, i));
        }
        List<byte[]> values;
        try {
            values = nOut == 0 ? List.of() : db.multiGetAsList(java.util.Collections.nCopies(nOut, cf.get("outputs")), keys);
        } catch (RocksDBException e) {
            throw new StoreException(path, "read failed: " + e.getMessage(), e);
        }
        List<TxOutput> outputs = new ArrayList<>(nOut);
        for (int i = 0; i < nOut; i++) {
            byte[] ov = values.get(i);
            if (ov == null) {
                break;
            }
            OutputRecord o = OutputRecord.decode(ov);
            outputs.add(new TxOutput(i, o.value(), o.kind(), o.ownerId() == NO_OWNER ? Optional.empty() : Optional.of(address(o.ownerId()))));
        }
        if (outputs.size() != nOut) {
            throw new StoreException(path, "corrupt: transaction " + txid + " lists " + nOut + " outputs, " + outputs.size() + " stored");
        }
        return Optional.of(new UtxoTransaction(txid, new BlockRef(height, new Hash256(blockHash), time), position, inputs, outputs));
    }

    @Override
    public Optional<Spend> spenderOf(Outpoint outpoint) {
        awaitQuietly();
        byte[] v = get("spends", Keys.outpoint(outpoint));
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(new Spend(outpoint, Hash256.of(v, 0), Keys.getInt(v, 32)));
    }

    /** The dense id of an address, if the store has seen it. */
    public Optional<Integer> addressId(Address address) {
        awaitQuietly();
        byte[] v = get("address_ids", address.text().getBytes(StandardCharsets.UTF_8));
        return v == null ? Optional.empty() : Optional.of(Keys.getInt(v, 0));
    }

    /** The address behind a dense id. */
    public Address address(int id) {
        synchronized (addressCache) { // access-ordered: even get() reorders it
            Address cached = addressCache.get(id);
            if (cached != null) {
                return cached;
            }
        }
        byte[] v = get("addresses", Keys.addressId(id));
        if (v == null) {
            throw new StoreException(path, "corrupt: no address for id " + id);
        }
        ScriptKind kind = ScriptKind.values()[v[0]];
        Address a = new Address(kind == ScriptKind.ACCOUNT ? Chain.ETHEREUM : Chain.BITCOIN, kind,
                new String(v, 1, v.length - 1, StandardCharsets.UTF_8));
        synchronized (addressCache) {
            addressCache.put(id, a);
        }
        return a;
    }

    @Override
    public List<Hash256> transactionsOf(Address address) {
        awaitQuietly();
        Optional<Integer> id = addressId(address);
        if (id.isEmpty()) {
            return List.of();
        }
        List<Hash256> txids = new ArrayList<>();
        byte[] prefix = Keys.addressId(id.get());
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(cf.get("address_txs"), ro)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!Arrays.equals(k, 0, 4, prefix, 0, 4)) {
                    break;
                }
                txids.add(Hash256.of(k, 12));
            }
        }
        return txids;
    }

    @Override
    public List<Label> labelsOf(Address address) {
        awaitQuietly();
        byte[] v = get("labels", address.text().getBytes(StandardCharsets.UTF_8));
        return v == null ? List.of() : LabelCodec.decode(address, v);
    }

    /**
     * The chain as compact rows for the fast tracer ({@link io.chaintrace.core.compact.CompactTracer}),
     * read a page at a time as the trace reaches it, at most {@code cacheBytes} of pages held;
     * owners labelled with a category in {@code stopAt} are endpoints (labels are read once, here).
     */
    public io.chaintrace.core.compact.PagedChain compactRows(java.util.Set<io.chaintrace.core.model.LabelCategory> stopAt, long cacheBytes) {
        awaitQuietly();
        int wanted = categoryBits(stopAt);
        byte[] all = get("owner_labels", ALL_OWNER_LABELS);
        // Once per trace on a freshly opened store, so it runs before the JIT has compiled it: plain int pairs into
        // plain words (through BitSet.set, 2,600 labelled owners took a millisecond interpreted, more than a narrow trace).
        int[] records = new int[all == null ? 0 : all.length / 4];
        if (all != null) {
            java.nio.ByteBuffer.wrap(all).asIntBuffer().get(records); // big-endian, as Keys writes them
        }
        int maxOwner = -1;
        for (int k = 0; k < records.length; k += 2) {
            maxOwner = Math.max(maxOwner, records[k]);
        }
        // Sized by the labelled owners, not by every address the store knows (a billion on the whole chain).
        long[] words = new long[maxOwner < 0 ? 0 : (maxOwner >>> 6) + 1];
        for (int k = 0; k < records.length; k += 2) {
            // Records in the order written: a later one for the same owner replaces an earlier.
            int owner = records[k];
            if ((records[k + 1] & wanted) != 0) {
                words[owner >>> 6] |= 1L << owner;
            } else {
                words[owner >>> 6] &= ~(1L << owner);
            }
        }
        if (counters.txs > Integer.MAX_VALUE || counters.outputs > Integer.MAX_VALUE) {
            throw new StoreException(path, "more than 2^31 transactions or outputs: beyond the compact tracer's 32-bit ids");
        }
        return new io.chaintrace.core.compact.PagedChain(new TxPages(db, cf.get("tx_pages"), path), (int) counters.txs,
                (int) counters.outputs, words, cacheBytes);
    }

    /** Every stored Bitcoin transaction in ingest order (chain order within each ingested segment). */
    public void forEachTransaction(java.util.function.Consumer<UtxoTransaction> action) {
        forEachTransaction(0, Long.MAX_VALUE, action);
    }

    /** At most {@code count} stored Bitcoin transactions from sequence number {@code fromSeq}, in ingest order. */
    public void forEachTransaction(long fromSeq, long count, java.util.function.Consumer<UtxoTransaction> action) {
        awaitQuietly();
        long n = 0;
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(cf.get("tx_ids"), ro)) {
            for (it.seek(Keys.number(fromSeq)); it.isValid() && n++ < count; it.next()) {
                Hash256 txid = new Hash256(it.value());
                action.accept(transaction(txid).orElseThrow(() -> new StoreException(path, "transaction " + txid + " listed but not stored")));
            }
        }
    }

    /** The transactions of the main-chain block at {@code height}, in block order (empty when none is stored there). */
    public List<Hash256> transactionIds(int height) {
        Optional<StoredBlock> b = blockAt(height).flatMap(this::block);
        if (b.isEmpty()) {
            return List.of();
        }
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < b.get().txCount(); i++) {
            keys.add(Keys.number(b.get().firstSeq() + i));
        }
        try {
            List<byte[]> ids = db.multiGetAsList(java.util.Collections.nCopies(keys.size(), cf.get("tx_ids")), keys);
            return ids.stream().map(Hash256::new).toList();
        } catch (RocksDBException e) {
            throw new StoreException(path, "read failed: " + e.getMessage(), e);
        }
    }

    /** Where an output sits in the compact rows: its transaction's sequence number, its index, its output id. */
    public record RowRef(int tx, int vout, int output) {
    }

    /** The compact-row position of an output, if stored. */
    public Optional<RowRef> rowOf(Outpoint output) {
        awaitQuietly();
        byte[] v = get("outputs", Keys.outpoint(output));
        if (v == null) {
            return Optional.empty();
        }
        OutputRecord r = OutputRecord.decode(v);
        return Optional.of(new RowRef(Math.toIntExact(r.seq()), output.vout(), Math.toIntExact(r.outputId())));
    }

    /** What one clustering run did. */
    public record ClusterRun(long transactions, long multiInputLinks, long changeLinks, long coinjoinsSkipped, long ethTransfers,
                             long depositAddressLinks) {
    }

    /**
     * Clusters the transactions ingested since the last run (common-input ownership without
     * CoinJoins, change by consensus: {@link io.chaintrace.core.cluster.Clusterer#standard}) and
     * stores the entity forest. Work is committed every {@code chunk} transactions, forest and
     * progress in one batch, so an interrupted run resumes where it stopped.
     */
    public synchronized ClusterRun cluster(int chunk, java.util.function.LongConsumer progress) {
        requireWritable();
        awaitInFlight();
        io.chaintrace.core.cluster.UnionFind sets = new io.chaintrace.core.cluster.UnionFind(counters.nextAddressId + 1);
        int[] stored = new int[counters.nextAddressId + 1];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = i;
        }
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(cf.get("entity_parents"), ro)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                int child = Keys.getInt(it.key(), 0);
                int parent = Keys.getInt(it.value(), 0);
                sets.link(child, parent);
                stored[child] = parent;
            }
        }
        sets.normalize();
        long seq = metaLong("clusteredSeq", 0);
        io.chaintrace.core.cluster.Clusterer clusterer = io.chaintrace.core.cluster.Clusterer.standard(sets);
        io.chaintrace.core.cluster.TransactionClustering feed = new io.chaintrace.core.cluster.TransactionClustering(clusterer, this,
                a -> addressIdOf(a.text()), (int) metaLong("clusteredMaxId", -1));
        long done = 0;
        try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(cf.get("tx_ids"), ro)) {
            for (it.seek(Keys.number(seq)); it.isValid(); it.next()) {
                Hash256 txid = new Hash256(it.value());
                feed.accept(transaction(txid).orElseThrow(() -> new StoreException(path, "transaction " + txid + " listed but not stored")));
                seq = Keys.getLong(it.key(), 0) + 1;
                if (++done % chunk == 0) {
                    commitForest(sets, stored, seq, feed.maxSeen());
                    progress.accept(done);
                }
            }
        }
        commitForest(sets, stored, seq, feed.maxSeen());
        progress.accept(done);
        // Ethereum: exchange deposit addresses. The blocks of the last window are read again to
        // rebuild what they received (joining twice changes nothing).
        Map<String, java.util.Set<io.chaintrace.core.model.LabelCategory>> categories = new HashMap<>();
        io.chaintrace.core.cluster.DepositAddressClustering deposits = io.chaintrace.core.cluster.DepositAddressClustering.standard(sets,
                a -> addressIdOf(a.text()), a -> categories.computeIfAbsent(a.text(), k -> LabelCodec.categoriesOrNone(
                        get("labels", k.getBytes(StandardCharsets.UTF_8)))));
        long ethDone = metaLong("clusteredEthBlock", -1);
        long[] lastBlock = {ethDone};
        long[] transfers = {0};
        forEachEthTransfer(Math.max(0, ethDone + 1 - 3_200), Long.MAX_VALUE, t -> {
            deposits.accept(t);
            lastBlock[0] = Math.max(lastBlock[0], t.block().height());
            transfers[0]++;
        });
        commitForest(sets, stored, seq, feed.maxSeen());
        put("meta", "clusteredEthBlock", lastBlock[0]);
        return new ClusterRun(done, clusterer.multiInputLinks(), clusterer.changeLinks(), clusterer.coinjoinsSkipped(), transfers[0],
                deposits.links());
    }

    private void commitForest(io.chaintrace.core.cluster.UnionFind sets, int[] stored, long seq, int maxSeen) {
        try (WriteBatch batch = new WriteBatch()) {
            int n = Math.min(stored.length, sets.capacity());
            for (int id = 0; id < n; id++) {
                // Stored flat and canonical: each owner points at its set's smallest id, so the same
                // partition is stored the same way however the unions came (an interrupted run resumed
                // writes what an uninterrupted one does).
                int parent = sets.smallest(id);
                if (parent != stored[id]) {
                    if (parent == id) {
                        batch.delete(cf.get("entity_parents"), Keys.addressId(id));
                    } else {
                        batch.put(cf.get("entity_parents"), Keys.addressId(id), Keys.addressId(parent));
                    }
                    stored[id] = parent;
                }
            }
            batch.put(cf.get("meta"), "clusteredSeq".getBytes(StandardCharsets.US_ASCII), Keys.number(seq));
            batch.put(cf.get("meta"), "clusteredMaxId".getBytes(StandardCharsets.US_ASCII), Keys.number(maxSeen));
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        }
    }

    private void put(String family, String key, long value) {
        try {
            db.put(cf.get(family), key.getBytes(StandardCharsets.US_ASCII), Keys.number(value));
        } catch (RocksDBException e) {
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        }
    }

    private long metaLong(String key, long absent) {
        byte[] v = get("meta", key.getBytes(StandardCharsets.US_ASCII));
        return v == null ? absent : Keys.getLong(v, 0);
    }

    /** The entity an address belongs to, named by its first-seen address (the smallest owner id; the address itself when alone). */
    public Optional<Address> entityOf(Address address) {
        int id = addressIdOf(address.text());
        if (id < 0) {
            return Optional.empty();
        }
        for (int hops = 0; hops < 1024; hops++) {
            byte[] parent = get("entity_parents", Keys.addressId(id));
            if (parent == null) {
                return Optional.of(address(id));
            }
            id = Keys.getInt(parent, 0);
        }
        throw new StoreException(path, "entity forest too deep at owner " + id + " (corrupt?)");
    }

    /** Adds labels to an address, replacing any earlier label with the same source and entity. */
    public synchronized void putLabels(Address address, List<Label> labels) {
        requireWritable();
        awaitInFlight();
        List<Label> merged = new ArrayList<>(labelsOf(address));
        for (Label l : labels) {
            merged.removeIf(old -> old.source().equals(l.source()) && old.entity().equals(l.entity()));
            merged.add(l);
        }
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(cf.get("labels"), address.text().getBytes(StandardCharsets.UTF_8), LabelCodec.encode(merged));
            int id = addressIdOf(address.text());
            if (id >= 0) {
                batch.merge(cf.get("owner_labels"), ALL_OWNER_LABELS,
                        ownerLabel(id, merged.stream().map(Label::category).collect(java.util.stream.Collectors.toSet())));
            }
            db.write(writeOptions, batch);
            anyLabels = true;
        } catch (RocksDBException e) {
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 over every key and value of every column family, in a fixed order: two stores with
     * the same digest hold the same data.
     */
    public String digest() {
        awaitQuietly();
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String name : FAMILIES) {
                md.update(name.getBytes(StandardCharsets.US_ASCII));
                try (ReadOptions ro = new ReadOptions(); RocksIterator it = db.newIterator(cf.get(name), ro)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        byte[] k = it.key();
                        byte[] v = it.value();
                        md.update(ByteBuffer.allocate(8).putInt(k.length).putInt(v.length).array());
                        md.update(k);
                        md.update(v);
                    }
                }
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] get(String family, byte[] key) {
        try {
            return db.get(cf.get(family), key);
        } catch (RocksDBException e) {
            throw new StoreException(path, "read failed: " + e.getMessage(), e);
        }
    }

    private void requireWritable() {
        if (readOnly) {
            throw new IllegalStateException("store " + path + " is open read-only");
        }
        if (failed != null) {
            throw new StoreException(path, "an earlier write failed: " + failed.getMessage(), failed);
        }
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    /** Waits for the write in flight; a failure is kept for the next write to report. */
    private synchronized void awaitQuietly() {
        try {
            awaitInFlight();
        } catch (StoreException e) {
            // reported by the next append or by close
        }
    }

    @Override
    public synchronized void close() {
        StoreException pending = null;
        if (committer != null) {
            try {
                awaitInFlight();
            } catch (StoreException e) {
                pending = e;
            }
            committer.shutdownNow();
            if (pending == null && failed == null) {
                // Memtables to files: readers (read-only opens replay the WAL) start at once, and the size on disk is the data's.
                try (org.rocksdb.FlushOptions fo = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
                    db.flush(fo, handles);
                } catch (RocksDBException e) {
                    pending = new StoreException(path, "flush on close failed: " + e.getMessage(), e);
                }
            }
        }
        closeHandles();
        if (pending != null) {
            throw pending;
        }
    }

    private void closeHandles() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        if (db != null) {
            db.close();
        }
        writeOptions.close();
        dbOptions.close();
        cfOptions.close();
        pageOptions.close();
        append.close();
    }
}
