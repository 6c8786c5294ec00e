package io.chaintrace.graph;

import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.InputStatus;
import io.chaintrace.core.model.ScriptKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Takes the last Bitcoin block off the store: the exact inverse of {@link BlockWriter#append}, so that
 * after a reorg (or a failed input) the store equals one that never had the block, key for key.
 * Everything the block wrote goes in one atomic batch: its transactions, outputs, spends, address
 * history, compact rows (pages are rewritten without its records), the owner ids it assigned, the
 * counters and the source's checkpoint. Clustering that had covered the block is dropped whole and
 * redone by the next run, since a union of sets cannot be undone link by link.
 */
final class BlockRollback {
    private static final int INPUT_BYTES = 32 + 4 + 1 + 8 + 4;

    private final StoreFiles files;
    private final Counters counters;
    private final AddressBook addresses;

    BlockRollback(StoreFiles files, Counters counters, AddressBook addresses) {
        this.files = files;
        this.counters = counters;
        this.addresses = addresses;
    }

    /** The stored facts of a block this class needs, decoded from {@code blocks}. */
    private record Header(int height, Hash256 prev, int txCount, long firstSeq, int firstOwner) {
        static Header decode(java.nio.file.Path path, Hash256 hash, byte[] v) {
            ByteBuffer b = ByteBuffer.wrap(v);
            int height = b.getInt();
            b.getLong();
            byte[] prev = new byte[32];
            b.get(prev);
            int txCount = b.getInt();
            int workLength = b.getShort();
            b.position(b.position() + workLength);
            long firstSeq = b.getLong();
            if (b.remaining() < 8 + 4) {
                throw new StoreException(path, "block " + hash + " was stored before blocks could be rolled back; ingest into a new store");
            }
            b.getLong();
            return new Header(height, new Hash256(prev), txCount, firstSeq, b.getInt());
        }
    }

    /**
     * Removes {@code tip}, which must be the last block appended, and sets the checkpoint of {@code source}
     * (removes it when empty) in the same batch. Call under the write lock with nothing in flight.
     */
    void disconnect(Hash256 tip, String source, java.util.Optional<Checkpoint> checkpoint) {
        byte[] hv = files.get(Family.BLOCKS, tip.bytes());
        if (hv == null) {
            throw new IllegalArgumentException("block " + tip + " is not stored");
        }
        Header h = Header.decode(files.path, tip, hv);
        if (h.firstSeq() + h.txCount() != counters.txs) {
            throw new IllegalStateException("block " + tip + " is not the last block written; roll back the blocks after it first");
        }
        try (WriteBatch batch = new WriteBatch()) {
            Counters before = write(batch, tip, h);
            before.write(batch, files);
            byte[] key = source.getBytes(StandardCharsets.UTF_8);
            if (checkpoint.isPresent()) {
                batch.put(files.handle(Family.CHECKPOINTS), key, checkpoint.get().encode());
            } else {
                batch.delete(files.handle(Family.CHECKPOINTS), key);
            }
            files.write(batch);
            counters.set(before);
        } catch (RocksDBException e) {
            throw new StoreException(files.path, "rollback failed: " + e.getMessage(), e);
        }
    }

    /** Puts the block's removal into {@code batch}; the counters as they were before the block. */
    private Counters write(WriteBatch batch, Hash256 tip, Header h) throws RocksDBException {
        long inputs = 0;
        long outputs = 0;
        long value = 0;
        long unresolved = 0;
        Set<Integer> ownersHere = new LinkedHashSet<>();
        Map<Integer, byte[]> pages = new TreeMap<>(); // page number -> records, rewritten without the block's
        long lastSeq = h.firstSeq() + h.txCount() - 1;
        for (long seq = h.firstSeq(); seq <= lastSeq; seq++) {
            byte[] txid = files.get(Family.TX_IDS, Keys.number(seq));
            byte[] rec = txid == null ? null : files.get(Family.TRANSACTIONS, txid);
            if (rec == null) {
                throw new StoreException(files.path, "corrupt: transaction " + seq + " of block " + tip + " is missing");
            }
            Hash256 id = new Hash256(txid);
            ByteBuffer b = ByteBuffer.wrap(rec);
            b.position(32 + 4 + 8);
            int position = b.getInt();
            int nIn = b.getInt();
            int nOut = b.getInt();
            Set<Integer> touched = new HashSet<>();
            for (int i = 0; i < nIn; i++) {
                byte[] funding = new byte[32];
                b.get(funding);
                int vout = b.getInt();
                InputStatus status = InputStatus.values()[b.get()];
                b.getLong();
                int owner = b.getInt();
                inputs++;
                if (status == InputStatus.COINBASE) {
                    continue;
                }
                byte[] op = Keys.outpoint(new Hash256(funding), vout);
                batch.delete(files.handle(Family.SPENDS), op);
                if (status == InputStatus.UNRESOLVED) {
                    unresolved++;
                    continue;
                }
                if (owner != OutputRecord.NO_OWNER) {
                    touched.add(owner);
                }
                byte[] spent = files.get(Family.OUTPUTS, op);
                if (spent != null) {
                    long fundingSeq = OutputRecord.decode(spent).seq();
                    if (fundingSeq < h.firstSeq()) {
                        pages.computeIfAbsent((int) (fundingSeq >>> TxPages.SHIFT), this::page);
                    }
                }
            }
            for (int vout = 0; vout < nOut; vout++) {
                byte[] op = Keys.outpoint(id, vout);
                byte[] out = files.get(Family.OUTPUTS, op);
                if (out == null) {
                    throw new StoreException(files.path, "corrupt: output " + id + ":" + vout + " of block " + tip + " is missing");
                }
                OutputRecord o = OutputRecord.decode(out);
                outputs++;
                value = Math.addExact(value, o.value());
                if (o.ownerId() != OutputRecord.NO_OWNER) {
                    touched.add(o.ownerId());
                    ownersHere.add(o.ownerId());
                }
                batch.delete(files.handle(Family.OUTPUTS), op);
            }
            for (int owner : touched) {
                batch.delete(files.handle(Family.ADDRESS_TXS), Keys.addressTx(owner, h.height(), position, id));
            }
            batch.delete(files.handle(Family.TRANSACTIONS), txid);
            batch.delete(files.handle(Family.TX_IDS), Keys.number(seq));
            pages.computeIfAbsent((int) (seq >>> TxPages.SHIFT), this::page);
        }
        for (Map.Entry<Integer, byte[]> e : pages.entrySet()) {
            byte[] key = TxPages.pageNumberKey(e.getKey());
            byte[] kept = TxPages.before(e.getValue(), (long) e.getKey() << TxPages.SHIFT, h.firstSeq());
            if (kept.length == 0) {
                batch.delete(files.handle(Family.TX_PAGES), key);
            } else {
                batch.put(files.handle(Family.TX_PAGES), key, kept);
            }
        }

        // The owner ids this block assigned: those of its outputs from its first id on.
        List<Integer> assigned = new ArrayList<>();
        long standard = 0;
        for (int owner : ownersHere) {
            if (owner >= h.firstOwner()) {
                assigned.add(owner);
            }
        }
        Set<Integer> gone = new HashSet<>(assigned);
        for (int owner : assigned) {
            byte[] a = files.get(Family.ADDRESSES, Keys.addressId(owner));
            if (a == null) {
                continue;
            }
            ScriptKind kind = ScriptKind.values()[a[0]];
            if (kind.hasStandardAddress()) {
                standard++;
            }
            addresses.remove(batch, new String(a, 1, a.length - 1, StandardCharsets.UTF_8), kind, owner);
        }
        if (!gone.isEmpty()) {
            byte[] labelled = files.get(Family.OWNER_LABELS, LabelStore.ALL_OWNER_LABELS);
            if (labelled != null) {
                ByteArrayOutputStream kept = new ByteArrayOutputStream(labelled.length);
                for (int i = 0; i + 8 <= labelled.length; i += 8) {
                    if (!gone.contains(Keys.getInt(labelled, i))) {
                        kept.write(labelled, i, 8);
                    }
                }
                batch.put(files.handle(Family.OWNER_LABELS), LabelStore.ALL_OWNER_LABELS, kept.toByteArray());
            }
        }
        batch.delete(files.handle(Family.BLOCKS), tip.bytes());
        if (h.height() != BlockRef.UNKNOWN_HEIGHT) {
            byte[] atHeight = files.get(Family.BLOCK_HEIGHTS, Keys.height(h.height()));
            if (atHeight != null && java.util.Arrays.equals(atHeight, tip.bytes())) {
                batch.delete(files.handle(Family.BLOCK_HEIGHTS), Keys.height(h.height()));
            }
        }
        if (files.meta("clusteredSeq", 0) > h.firstSeq()) {
            // Clustering had read the block: start it again from nothing (the next run redoes every chain).
            EntityStore.drop(files, batch);
        }
        Counters before = counters.minusBlock(h.txCount(), inputs, outputs, value, standard, assigned.size(), unresolved);
        if (counters.nextAddressId == h.firstOwner() + assigned.size()) {
            before.nextAddressId = h.firstOwner(); // nothing assigned an id since (an Ethereum ingest would have)
        }
        return before;
    }

    private byte[] page(int page) {
        byte[] v = files.get(Family.TX_PAGES, TxPages.pageNumberKey(page));
        return v == null ? new byte[0] : v;
    }
}
