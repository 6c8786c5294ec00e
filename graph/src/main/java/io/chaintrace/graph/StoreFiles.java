package io.chaintrace.graph;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.MutableDBOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.StringAppendOperator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The one owner of the store's files: the RocksDB instance and its options, the column families
 * ({@link Family}), the format marker, the lock (RocksDB's lock file: one writer, any number of
 * read-only readers), and the plain reads and writes the stores by concern build on. Its monitor is
 * the store's write lock: every store that writes synchronizes on it.
 */
final class StoreFiles implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.US_ASCII);
    static final String FORMAT = "chaintrace-store-7";
    /**
     * Earlier formats this version reads as they are: format 5 held every spend of a block twice (in {@code spends} and in
     * the compact rows), which {@link Spends} reads as well as format 6's single copy; format 6 wrote the address history
     * with each block, where format 7 may leave it pending for a while ({@link AddressHistory}, which an earlier version
     * would not know to look for). A writer marks such a store format 7 before it writes, so no earlier version reads
     * what it cannot.
     */
    static final Set<String> READABLE = Set.of("chaintrace-store-5", "chaintrace-store-6");

    final Path path;
    final boolean readOnly;
    /** Opened for a pass over all of it, not for a few look-ups (see {@link #WHOLE_STORE_CACHE}). */
    private final boolean wholeStore;
    private final RocksDB db;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final ColumnFamilyOptions pageOptions;
    private final ColumnFamilyOptions probedOptions;
    private final ColumnFamilyOptions scannedOptions;
    private final ColumnFamilyOptions uncompressedOptions;
    /** Families the ingest looks keys up in as it writes: their memtables carry a filter (see the constructor). */
    private static final Set<Family> PROBED = EnumSet.of(Family.OUTPUTS, Family.ADDRESS_IDS);
    /** The address history, only ever read through iterators (an owner's prefix): no filter (see the constructor). */
    private static final Set<Family> SCANNED = EnumSet.of(Family.ADDRESS_TXS);
    /** Families stored uncompressed at every level (see the constructor). */
    private static final Set<Family> UNCOMPRESSED = EnumSet.of(Family.TRANSACTIONS, Family.TX_IDS, Family.ADDRESSES);
    private final StringAppendOperator append = new StringAppendOperator("");
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final Map<Family, ColumnFamilyHandle> cf = new EnumMap<>(Family.class);
    private final WriteOptions writeOptions = new WriteOptions();
    /** Whole-family scans in key order: read ahead, and leave the block cache to the look-ups. */
    private final ReadOptions scanOptions = new ReadOptions().setReadaheadSize(4 << 20).setFillCache(false);
    /** A reader's cache of data, index and filter blocks (null for a writer: RocksDB's default, filters held apart). */
    private final LRUCache readerCache;
    private static final long READER_CACHE = 256L << 20;
    /**
     * A pass over the whole store (a pattern scan, an export) reads every transaction by its id, in chain order: random
     * look-ups across all of it. Its index and filter blocks (188 MB at 10^7 transactions) do not fit beside the data in
     * a trace's cache, which then reloads them on nearly every look-up (a transaction's outputs read in 586 us at 10^7);
     * such a reader keeps them with its open files, as a writer does, and its data blocks in a larger cache (41 us).
     * They are about 3% of the store: 30 GB for the whole chain's, more than a laptop holds beside the scan; there,
     * partitioned index and filter blocks (read a partition at a time) would be the way - not done.
     */
    private static final long WHOLE_STORE_CACHE = 1L << 30;
    private static final int READER_OPEN_FILES = 4096;
    /** A flush and a compaction at a time: the ingest's own threads want the two cores. */
    private static final int BACKGROUND_JOBS = 2;
    /** RocksDB's default number of levels. */
    private static final int LEVELS = 7;

    private StoreFiles(Path path, boolean readOnly, boolean wholeStore) {
        this.path = path;
        this.readOnly = readOnly;
        this.wholeStore = wholeStore;
        // A reader (a trace, a report) opens the store to read a few of its records: it reads a table file's index and
        // filter when it first needs them, into a cache of bounded size, not every file's at open (a store of 10^7
        // transactions holds a hundred MB of them). A writer keeps them all in memory, as the ingest reads everywhere.
        this.readerCache = readOnly ? new LRUCache(wholeStore ? WHOLE_STORE_CACHE : READER_CACHE) : null;
        // A flush writes a memtable out as it is (level 0): its compression cost the ingest's flushes a quarter of their
        // time (issue 19), and the files live only until the next compaction, which compresses what it writes.
        List<CompressionType> byLevel = new ArrayList<>(List.of(CompressionType.NO_COMPRESSION));
        while (byLevel.size() < LEVELS) {
            byLevel.add(CompressionType.LZ4_COMPRESSION);
        }
        this.cfOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(tableConfig().setFilterPolicy(new BloomFilter(10)))
                .setWriteBufferSize(64L << 20)
                .setNumLevels(LEVELS)
                .setCompressionPerLevel(byLevel)
                // Fewer, larger compactions: level 0 compacted at 8 files (not 4), level 1 of 1 GB (not 256 MB), table
                // files of 128 MB (not 64). At 10^7 Bitcoin transactions compactions took 124-132 CPU-seconds instead of
                // 177-219 and the ingest 295-302 s instead of 322-361 (issue 19, benchmarks/README). The compact rows
                // that traces read keep their own options (pageOptions).
                .setLevel0FileNumCompactionTrigger(8)
                .setMaxBytesForLevelBase(1L << 30)
                .setTargetFileSizeBase(128L << 20)
                // No stalls while a long compaction runs: RocksDB slows writes at 20 level-0 files and stops them at 36,
                // or at 2 memtables waiting for their flush; on two cores one compaction of a few GB holds level 0 past
                // that, and the ingest at 10^7 stalled 38 times (stopped 17) and took 296-306 s; with 48/72 files and
                // 3 memtables, 264-286 s and no stall (issue 19, benchmarks/README). Reads meet at most 72 level-0 files
                // until the compaction catches up, each behind its filter.
                .setLevel0SlowdownWritesTrigger(48)
                .setLevel0StopWritesTrigger(72)
                .setMaxWriteBufferNumber(3);
        // Looked up by the ingest for keys that are mostly not in the memtable (outputs spent blocks ago, addresses seen
        // before): a filter over the memtable's keys spares each such look-up a search of the skip list (a tenth of the
        // Bitcoin ingest's writer thread, issue 19).
        this.probedOptions = new ColumnFamilyOptions(cfOptions)
                .setMemtablePrefixBloomSizeRatio(0.1)
                .setMemtableWholeKeyFiltering(true);
        // A whole-key filter serves point look-ups only; the address history is read by seeking to an owner's prefix,
        // so building one in every flush and compaction (10 bits for each of 44 million keys at 10^7 Bitcoin
        // transactions, all held in a writer's memory) bought nothing.
        this.scannedOptions = new ColumnFamilyOptions(cfOptions).setTableFormatConfig(tableConfig());
        // At 10^7 Bitcoin transactions LZ4 gave up on 98% of the blocks of `transactions` and 83% of `tx_ids` (less
        // than an eighth smaller: stored as they are), after spending a compression on each in every compaction. And a
        // family written in key order (`tx_ids` by sequence number, `addresses` by owner id) has level-0 files that
        // overlap nothing below, which a compaction moves down as they are - unless the level below compresses. With
        // both, the compactions at 10^7 took 137-149 CPU-seconds instead of 169-180 (issue 19, benchmarks/README).
        this.uncompressedOptions = new ColumnFamilyOptions(cfOptions)
                .setCompressionPerLevel(Collections.nCopies(LEVELS, CompressionType.NO_COMPRESSION));
        // Appended values: merges with an empty delimiter concatenate. Read one look-up each: a block holds about one
        // page, uncompressed (ids and amounts that snappy barely shrinks).
        this.pageOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(tableConfig().setFilterPolicy(new BloomFilter(10)).setBlockSize(8 << 10))
                .setCompressionType(CompressionType.NO_COMPRESSION)
                .setWriteBufferSize(64L << 20)
                .setMergeOperator(append);
        this.dbOptions = new DBOptions().setCreateIfMissing(!readOnly).setCreateMissingColumnFamilies(!readOnly)
                .setMaxBackgroundJobs(BACKGROUND_JOBS)
                // Families written every block (meta, checkpoints) never fill a memtable; without a bound they would pin
                // every WAL file and the log would grow with the chain.
                .setMaxTotalWalSize(256L << 20)
                // A reader opens table files as it first reads them (the table cache keeps up to this many open), not all
                // at open: a store of the whole chain has tens of thousands, a trace reads a handful. Their statistics
                // (for compaction's choices) are not read at open either.
                .setMaxOpenFiles(readOnly && !wholeStore ? READER_OPEN_FILES : -1)
                .setSkipStatsUpdateOnDbOpen(true);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
        for (Family f : Family.values()) {
            descriptors.add(new ColumnFamilyDescriptor(f.idBytes(), optionsOf(f)));
        }
        RocksDB opened;
        try {
            opened = readOnly
                    ? RocksDB.openReadOnly(dbOptions, path.toString(), descriptors, handles)
                    : RocksDB.open(dbOptions, path.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            dbOptions.close();
            cfOptions.close();
            probedOptions.close();
            scannedOptions.close();
            uncompressedOptions.close();
            pageOptions.close();
            append.close();
            writeOptions.close();
            scanOptions.close();
            if (readerCache != null) {
                readerCache.close();
            }
            throw translate(path, e);
        }
        db = opened;
        for (Family f : Family.values()) {
            cf.put(f, handles.get(f.ordinal() + 1));
        }
        try {
            checkFormat();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private BlockBasedTableConfig tableConfig() {
        BlockBasedTableConfig c = new BlockBasedTableConfig();
        if (readerCache != null) {
            c.setBlockCache(readerCache);
            if (!wholeStore) {
                c.setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true);
            }
        }
        return c;
    }

    /** A family's table options: pages, probed by key, scanned by prefix, stored uncompressed, or the defaults. */
    private ColumnFamilyOptions optionsOf(Family f) {
        if (f.appended) {
            return pageOptions;
        }
        if (PROBED.contains(f)) {
            return probedOptions;
        }
        if (SCANNED.contains(f)) {
            return scannedOptions;
        }
        return UNCOMPRESSED.contains(f) ? uncompressedOptions : cfOptions;
    }

    /** Opens the files at {@code path}, creating them when writable; checks the format marker. */
    static StoreFiles open(Path path, boolean readOnly) {
        return open(path, readOnly, false);
    }

    /** Opens the files at {@code path}; a reader of {@code wholeStore} holds what a pass over all of it reads often. */
    static StoreFiles open(Path path, boolean readOnly, boolean wholeStore) {
        if (readOnly) {
            if (!Files.isRegularFile(path.resolve("CURRENT"))) {
                throw new StoreException(path, "no store here (run 'chaintrace ingest ... --store " + path + "' first)");
            }
            if (!missingFamilies(path).isEmpty()) {
                // Written by an earlier version: add the new (empty) column families once, then read.
                new StoreFiles(path, false, false).close();
            }
        } else {
            try {
                Files.createDirectories(path);
                if (!Files.exists(path.resolve("CURRENT")) && killedCreation(path)) {
                    // A first ingest killed while RocksDB created its files (before CURRENT names a database): nothing was
                    // ever stored; what is there is RocksDB's own, so it is cleared and the store created afresh.
                    try (var entries = Files.list(path)) {
                        for (Path f : entries.toList()) {
                            Files.delete(f);
                        }
                    }
                }
                if (!Files.exists(path.resolve("CURRENT")) && !isEmpty(path)) {
                    // RocksDB would create its files among the user's and rename a file called LOG.
                    throw new StoreException(path, "not empty and not a Chaintrace store: choose an empty or new directory for --store");
                }
            } catch (java.io.IOException e) {
                throw new StoreException(path, "cannot create directory: " + e.getMessage(), e);
            }
        }
        if (!readOnly) {
            return new StoreFiles(path, false, false);
        }
        // A reader opening while a writer rotates its log or compacts can find a log or table file gone between reading
        // the manifest and opening the file: a later try reads the new manifest. A busy writer can do it several
        // times in a row, so the reader keeps trying for a few seconds before it gives up.
        for (int attempt = 1; ; attempt++) {
            try {
                return new StoreFiles(path, true, wholeStore);
            } catch (StoreException e) {
                String m = String.valueOf(e.getMessage());
                if (attempt >= 50 || !(m.contains("No such file") || m.contains(".log"))) {
                    throw e;
                }
                try {
                    Thread.sleep(10L * Math.min(attempt, 10));
                } catch (InterruptedException i) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** RocksDB's own file names, as it writes them while it creates a database. */
    private static final java.util.regex.Pattern ROCKSDB_FILE = java.util.regex.Pattern.compile(
            "LOCK|IDENTITY|LOG|LOG\\.old\\.\\d+|MANIFEST-\\d{6,}|OPTIONS-\\d{6,}(\\.dbtmp)?|\\d{6,}\\.(log|sst|dbtmp)|CURRENT\\.dbtmp|\\d{6,}\\.dbtmp");

    /**
     * Whether a directory without CURRENT holds only what RocksDB writes while it creates a database, with a file only
     * RocksDB writes among it (its identity, manifest, options, a temporary file, its own info log): a creation killed
     * part-way, not a user's files. Seen after a SIGKILL: {@code LOCK}, {@code LOG}, {@code 000000.dbtmp}.
     */
    static boolean killedCreation(Path dir) throws java.io.IOException {
        boolean rocks = false;
        try (var entries = Files.list(dir)) {
            for (Path f : entries.toList()) {
                String name = f.getFileName().toString();
                if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !ROCKSDB_FILE.matcher(name).matches()) {
                    return false;
                }
                rocks |= name.equals("IDENTITY") || name.startsWith("MANIFEST-") || name.startsWith("OPTIONS-") || name.endsWith(".dbtmp")
                        || (name.equals("LOG") && rocksLog(f));
            }
        }
        return rocks;
    }

    /** Whether a LOG file is RocksDB's info log (it names its version near the top). */
    private static boolean rocksLog(Path log) throws java.io.IOException {
        try (var in = Files.newInputStream(log)) {
            return new String(in.readNBytes(8192), StandardCharsets.ISO_8859_1).contains("RocksDB version");
        }
    }

    private static boolean isEmpty(Path dir) throws java.io.IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private void checkFormat() {
        byte[] format = get(Family.META, FORMAT_KEY);
        byte[] expected = FORMAT.getBytes(StandardCharsets.US_ASCII);
        if (format == null && holdsNothing()) {
            // A new store, or one whose creation was killed between RocksDB's files and the marker: empty either way,
            // so it is a Chaintrace store with nothing in it yet.
            if (!readOnly) {
                put(Family.META, FORMAT_KEY, expected);
            }
        } else if (format != null && READABLE.contains(new String(format, StandardCharsets.US_ASCII))) {
            if (!readOnly) {
                put(Family.META, FORMAT_KEY, expected);
            }
        } else if (format != null && new String(format, StandardCharsets.US_ASCII).startsWith("chaintrace-store-")
                && !Arrays.equals(format, expected)) {
            throw new StoreException(path, "written by another version of Chaintrace (format "
                    + new String(format, StandardCharsets.US_ASCII) + ", this version reads " + FORMAT
                    + "): ingest again into a new store").markOtherVersion();
        } else if (format == null || !Arrays.equals(format, expected)) {
            throw new StoreException(path, "not a Chaintrace store (format marker missing or unknown)");
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

    private static List<String> missingFamilies(Path path) {
        try (Options o = new Options()) {
            List<String> present = new ArrayList<>();
            for (byte[] name : RocksDB.listColumnFamilies(o, path.toString())) {
                present.add(new String(name, StandardCharsets.US_ASCII));
            }
            return Arrays.stream(Family.values()).map(f -> f.id).filter(f -> !present.contains(f)).toList();
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

    ColumnFamilyHandle handle(Family f) {
        return cf.get(f);
    }

    /** The underlying database, for the readers that keep their own handles (compact rows). */
    RocksDB db() {
        return db;
    }

    byte[] get(Family f, byte[] key) {
        try {
            return db.get(cf.get(f), key);
        } catch (RocksDBException e) {
            throw new StoreException(path, "read failed: " + e.getMessage(), e);
        }
    }

    /** Values of {@code keys} in one family, in order (null where absent): one call through JNI. */
    List<byte[]> multiGet(Family f, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        try {
            return db.multiGetAsList(Collections.nCopies(keys.size(), cf.get(f)), keys);
        } catch (RocksDBException e) {
            throw new StoreException(path, "read failed: " + e.getMessage(), e);
        }
    }

    void put(Family f, byte[] key, byte[] value) {
        try {
            db.put(cf.get(f), key, value);
        } catch (RocksDBException e) {
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        }
    }

    /** Writes a batch atomically. */
    void write(WriteBatch batch) throws RocksDBException {
        db.write(writeOptions, batch);
    }

    /** A new iterator over one family; the caller closes it. */
    RocksIterator iterator(Family f) {
        return db.newIterator(cf.get(f));
    }

    /** A new iterator for a scan of one family in key order (reads ahead, fills no cache); the caller closes it. */
    RocksIterator scan(Family f) {
        return db.newIterator(cf.get(f), scanOptions);
    }

    /** A counter or mark kept in {@code meta} as 8 bytes. */
    long meta(String name, long absent) {
        byte[] v = get(Family.META, name.getBytes(StandardCharsets.US_ASCII));
        return v == null ? absent : Keys.getLong(v, 0);
    }

    void delete(Family f, byte[] key) {
        try {
            db.delete(cf.get(f), key);
        } catch (RocksDBException e) {
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        }
    }

    /** The options a family's table files are written with, for a table file written outside RocksDB; the caller closes them. */
    Options tableOptions(Family f) {
        return new Options(dbOptions, optionsOf(f));
    }

    /** Has RocksDB take {@code file}, a table file of sorted keys, into family {@code f} whole; the file is moved. */
    void ingest(Family f, Path file) {
        try (IngestExternalFileOptions o = new IngestExternalFileOptions().setMoveFiles(true)) {
            db.ingestExternalFile(cf.get(f), List.of(file.toString()), o);
            Files.deleteIfExists(file);
        } catch (RocksDBException | java.io.IOException e) {
            throw new StoreException(path, "write failed: " + e.getMessage(), e);
        }
    }

    void putMeta(WriteBatch batch, String name, long value) throws RocksDBException {
        batch.put(cf.get(Family.META), name.getBytes(StandardCharsets.US_ASCII), Keys.number(value));
    }

    /**
     * Compacts a family now, beside any compaction already running. RocksDB's default manual compaction is exclusive:
     * with one compaction thread, compacting the rows at the end of an ingest (under a second) waited for whatever
     * compaction the ingest had left running (at 10^7 Bitcoin transactions one of the address history, 24 s). Not
     * exclusive, and with a second compaction thread while it runs, it starts at once (issue 19, benchmarks/README).
     */
    void compact(Family f) {
        try (CompactRangeOptions options = new CompactRangeOptions().setExclusiveManualCompaction(false)) {
            db.setDBOptions(MutableDBOptions.builder().setMaxBackgroundJobs(BACKGROUND_JOBS + 1).build());
            try {
                db.compactRange(cf.get(f), null, null, options);
            } finally {
                db.setDBOptions(MutableDBOptions.builder().setMaxBackgroundJobs(BACKGROUND_JOBS).build());
            }
        } catch (RocksDBException e) {
            throw new StoreException(path, "compaction failed: " + e.getMessage(), e);
        }
    }

    /** Bytes of table files per column family (RocksDB's {@code rocksdb.total-sst-files-size}). */
    Map<String, Long> familySizes() {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            for (Family f : Family.values()) {
                m.put(f.id, Long.parseLong(db.getProperty(cf.get(f), "rocksdb.total-sst-files-size")));
            }
        } catch (RocksDBException e) {
            throw new StoreException(path, "cannot read sizes: " + e.getMessage(), e);
        }
        return m;
    }

    /** SHA-256 over every key and value of every column family, in {@link Family} order. */
    String digest(java.util.Set<Family> leftOut) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Family f : Family.values()) {
                if (leftOut.contains(f)) {
                    continue;
                }
                md.update(f.idBytes());
                try (RocksIterator it = iterator(f)) {
                    for (it.seekToFirst(); it.isValid(); it.next()) {
                        byte[] k = it.key();
                        byte[] v = it.value();
                        md.update(ByteBuffer.allocate(8).putInt(k.length).putInt(v.length).array());
                        md.update(k);
                        md.update(v);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Memtables to files: readers (read-only opens replay the WAL) start at once, and the size on disk is the data's. */
    void flush() {
        try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
            db.flush(fo, handles);
        } catch (RocksDBException e) {
            throw new StoreException(path, "flush on close failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        if (db != null) {
            db.close();
        }
        writeOptions.close();
        scanOptions.close();
        dbOptions.close();
        cfOptions.close();
        probedOptions.close();
        scannedOptions.close();
        uncompressedOptions.close();
        pageOptions.close();
        append.close();
        if (readerCache != null) {
            readerCache.close();
        }
    }
}
