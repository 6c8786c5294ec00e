package io.chaintrace.graph;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.ScriptKind;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Dense owner ids for addresses, both chains: {@code address_ids} (text -> id, kind) and
 * {@code addresses} (id -> kind, text), with bounded caches either way.
 */
final class AddressBook {
    private static final int CACHE = 1 << 20;

    private final StoreFiles files;
    private final LabelStore labels;
    /**
     * Written only under the store's write lock; read there too. More than a cache: the Bitcoin writer looks up an owner
     * it lacks in the store, which does not yet hold the groups of blocks still gathered or being written, so their
     * owners must stay here until written; 2^20 owners, least recently used out first, are many times two groups' (tens
     * of thousands). A slot per hash, the newer replacing the older, was tried (issue 19): an owner a collision dropped
     * before its group was written got a second id (473 of 1,965,940 at 10^6 mainnet-shaped transactions).
     */
    private final Map<String, Integer> idCache = lru(CACHE);
    private final Map<Integer, Address> addressCache = lru(CACHE);
    /** Ethereum accounts' ids for the Ethereum writer (under the write lock): a lossy table, not the map above. */
    private final AccountIds accounts = new AccountIds();

    AddressBook(StoreFiles files, LabelStore labels) {
        this.files = files;
        this.labels = labels;
    }

    /** The id of an address text, or -1. */
    int idOf(String text) {
        Integer cached = idCache.get(text);
        if (cached != null) {
            return cached;
        }
        byte[] v = files.get(Family.ADDRESS_IDS, text.getBytes(StandardCharsets.UTF_8));
        return v == null ? -1 : Keys.getInt(v, 0);
    }

    /** The id of an address from the store only (no cache): what readers outside the write lock use. */
    Optional<Integer> storedId(Address address) {
        byte[] v = files.get(Family.ADDRESS_IDS, address.text().getBytes(StandardCharsets.UTF_8));
        return v == null ? Optional.empty() : Optional.of(Keys.getInt(v, 0));
    }

    Integer cachedId(String text) {
        return idCache.get(text);
    }

    void remember(String text, int id) {
        idCache.put(text, id);
    }

    /** An Ethereum account's id if the Ethereum writer holds it, else -1 (then: the store). */
    int cachedAccountId(String text) {
        return accounts.get(text);
    }

    /** An Ethereum account's id, written. */
    void rememberAccount(String text, int id) {
        accounts.put(text, id);
    }

    /** Drops an owner id a rollback took back. */
    void forget(String text, int id) {
        idCache.remove(text);
        accounts.remove(text);
        synchronized (addressCache) {
            addressCache.remove(id);
        }
    }

    /** The address behind a dense id. */
    Address address(int id) {
        synchronized (addressCache) { // access-ordered: even get() reorders it
            Address cached = addressCache.get(id);
            if (cached != null) {
                return cached;
            }
        }
        byte[] v = files.get(Family.ADDRESSES, Keys.addressId(id));
        if (v == null) {
            throw new StoreException(files.path, "corrupt: no address for id " + id);
        }
        ScriptKind kind = ScriptKind.values()[v[0]];
        Address a = new Address(kind == ScriptKind.ACCOUNT ? Chain.ETHEREUM : Chain.BITCOIN, kind,
                new String(v, 1, v.length - 1, StandardCharsets.UTF_8));
        synchronized (addressCache) {
            addressCache.put(id, a);
        }
        return a;
    }

    /** Writes a new owner id (both directions) and, if the address was labelled first, its owner label record. */
    void put(KeyOrderedWrites writes, String text, ScriptKind kind, int id) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] idv = new byte[5];
        Keys.putInt(idv, 0, id);
        idv[4] = (byte) kind.ordinal();
        writes.put(Family.ADDRESS_IDS, t, idv);
        byte[] addr = new byte[1 + t.length];
        addr[0] = (byte) kind.ordinal();
        System.arraycopy(t, 0, addr, 1, t.length);
        writes.put(Family.ADDRESSES, Keys.addressId(id), addr);
        if (kind == ScriptKind.P2PK) {
            // The key's P2PKH address finds its coins too (explorers list them there).
            writes.put(Family.KEY_ADDRESSES, keyHash(text, kind), Keys.addressId(id));
        }
        labels.ownerAdded(writes, t, id);
    }

    /** Undoes {@link #put} (but for the owner label record, which the caller rewrites): a rolled-back owner id. */
    void remove(WriteBatch batch, String text, ScriptKind kind, int id) throws RocksDBException {
        batch.delete(files.handle(Family.ADDRESS_IDS), text.getBytes(StandardCharsets.UTF_8));
        batch.delete(files.handle(Family.ADDRESSES), Keys.addressId(id));
        if (kind == ScriptKind.P2PK) {
            batch.delete(files.handle(Family.KEY_ADDRESSES), keyHash(text, kind));
        }
        forget(text, id);
    }

    private static byte[] keyHash(String text, ScriptKind kind) {
        return new Address(Chain.BITCOIN, kind, text).keyHash().orElseThrow();
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
