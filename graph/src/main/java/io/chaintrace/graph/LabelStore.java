package io.chaintrace.graph;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Labels by address ({@code labels}) and, for every labelled address that has an owner id, its
 * categories as one appended value ({@code owner_labels}), so a trace learns its endpoints with one
 * look-up. Whichever comes second, the label or the address, writes the owner record.
 */
final class LabelStore {
    static final byte[] ALL_OWNER_LABELS = "all".getBytes(StandardCharsets.US_ASCII);

    private final StoreFiles files;
    private final BlockWriter writer;
    private AddressBook addresses;
    /** Whether any label is stored: until one is, new addresses need no label look-up. */
    private volatile boolean anyLabels;

    LabelStore(StoreFiles files, BlockWriter writer) {
        this.files = files;
        this.writer = writer;
        try (RocksIterator it = files.iterator(Family.LABELS)) {
            it.seekToFirst();
            anyLabels = it.isValid();
        }
    }

    void attach(AddressBook addresses) {
        this.addresses = addresses;
    }

    List<Label> labelsOf(Address address) {
        writer.awaitQuietly();
        byte[] v = files.get(Family.LABELS, address.text().getBytes(StandardCharsets.UTF_8));
        return v == null ? List.of() : LabelCodec.decode(address, v);
    }

    /** Every labelled address with its labels, in key order (a report counts label sources; a workspace searches names). */
    void forEach(java.util.function.Consumer<List<Label>> action) {
        writer.awaitQuietly();
        try (RocksIterator it = files.iterator(Family.LABELS)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                action.accept(LabelCodec.decode(Address.parse(new String(it.key(), StandardCharsets.UTF_8)), it.value()));
            }
        }
    }

    /** Adds labels to an address, replacing any earlier label with the same source and entity. */
    void putLabels(Address address, List<Label> labels) {
        synchronized (files) {
            writer.requireWritable();
            writer.awaitInFlight();
            List<Label> merged = new ArrayList<>(labelsOf(address));
            for (Label l : labels) {
                merged.removeIf(old -> old.source().equals(l.source()) && old.entity().equals(l.entity()));
                merged.add(l);
            }
            try (WriteBatch batch = new WriteBatch()) {
                batch.put(files.handle(Family.LABELS), address.text().getBytes(StandardCharsets.UTF_8), LabelCodec.encode(merged));
                int id = addresses.idOf(address.text());
                if (id >= 0) {
                    batch.merge(files.handle(Family.OWNER_LABELS), ALL_OWNER_LABELS,
                            ownerLabel(id, merged.stream().map(Label::category).collect(Collectors.toSet())));
                }
                files.write(batch);
                anyLabels = true;
            } catch (RocksDBException e) {
                throw new StoreException(files.path, "write failed: " + e.getMessage(), e);
            }
        }
    }

    /** Called as a new owner id is written: if its address was labelled first, the owner record goes in the same batch. */
    void ownerAdded(KeyOrderedWrites writes, byte[] text, int id) {
        byte[] labels = anyLabels ? files.get(Family.LABELS, text) : null; // a miss costs a bloom filter probe
        if (labels != null) {
            writes.merge(Family.OWNER_LABELS, ALL_OWNER_LABELS, ownerLabel(id, LabelCodec.categories(labels)));
        }
    }

    /**
     * The owner ids labelled with any of {@code categories}, as bits in words (owner {@code i} is bit {@code i % 64} of word
     * {@code i / 64}), from the one owner record. Sized by the labelled owners, not by every address the store knows (a
     * billion on the whole chain).
     */
    static long[] ownersWith(StoreFiles files, Set<LabelCategory> categories) {
        int wanted = categoryBits(categories);
        byte[] all = files.get(Family.OWNER_LABELS, ALL_OWNER_LABELS);
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
        return words;
    }

    static int categoryBits(Set<LabelCategory> categories) {
        int bits = 0;
        for (LabelCategory c : categories) {
            bits |= 1 << c.ordinal();
        }
        return bits;
    }

    private static byte[] ownerLabel(int id, Set<LabelCategory> categories) {
        byte[] v = new byte[8];
        Keys.putInt(v, 0, id);
        Keys.putInt(v, 4, categoryBits(categories));
        return v;
    }
}
