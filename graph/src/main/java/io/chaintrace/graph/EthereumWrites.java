package io.chaintrace.graph;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.ScriptKind;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * One batch's writes of transfers and blocks, with the ids and counters they move. Transfers, their accounts' keys
 * and gas prices go to the batch in about key order at the commit ({@link KeyOrderedWrites}: an import's batch holds
 * tens of thousands of transfers whose account keys come in no order).
 */
final class EthereumWrites {
    private static final int LOOK_UP = 8_192;

    private final StoreFiles files;
    private final AddressBook addresses;
    private final Counters counters;
    private final WriteBatch batch;
    private final KeyOrderedWrites ordered = new KeyOrderedWrites();
    private final Map<String, Integer> newIds = new LinkedHashMap<>();
    private int nextId;
    private int nextAsset;
    long blocks;
    long transfers;
    long fetchedBlocks;
    long fetchedAddresses;
    private final Set<ByteBuffer> written = new HashSet<>();
    /**
     * The accounts {@link #lookUp} found neither in the writer's table nor earlier in the batch, by their place in its
     * list: the stored id, the id given in this batch, or -1 until one is given.
     */
    private int[] wantedIds = new int[0];
    private final Map<String, Integer> newAssets = new HashMap<>();

    EthereumWrites(StoreFiles files, AddressBook addresses, Counters counters, WriteBatch batch) {
        this.files = files;
        this.addresses = addresses;
        this.counters = counters;
        this.batch = batch;
        this.nextId = counters.nextAddressId;
        this.nextAsset = (int) files.meta("nextAssetId", 1);
    }

    /**
     * Writes {@code transfers} of block {@code number} but those {@code stored} says are there, each once. {@code
     * onlyCall}: no other call of this batch writes this block (an append's blocks are distinct), so a transfer given
     * twice can only be given twice here; a block's transfers come in key order from an extractor, and while they do,
     * no two are the same and no set of keys is needed (hashing every key of a batch was a tenth of an import's
     * writing thread).
     */
    void transfers(long number, List<AccountTransfer> list, int[] ids, Predicate<byte[]> stored, boolean onlyCall)
            throws RocksDBException {
        Set<ByteBuffer> seen = onlyCall ? null : written;
        byte[] previous = null;
        for (int i = 0; i < list.size(); i++) {
            AccountTransfer t = list.get(i);
            byte[] key = Keys.transfer(number, t.txIndex(), t.kind(), t.index());
            if (seen == null && previous != null && Arrays.compareUnsigned(key, previous) <= 0) {
                // Out of key order: from here a key is looked for among all of the block's before it.
                seen = new HashSet<>();
                for (int j = 0; j < i; j++) {
                    AccountTransfer before = list.get(j);
                    seen.add(ByteBuffer.wrap(Keys.transfer(number, before.txIndex(), before.kind(), before.index())));
                }
            }
            previous = key;
            if (seen != null && !seen.add(ByteBuffer.wrap(key)) || stored.test(key)) {
                continue;
            }
            BigInteger units = t.amount().units();
            if (units.signum() < 0 || units.bitLength() > 256) {
                // The length is stored in one byte: a larger number would be stored wrong, so it is never stored.
                throw new IllegalArgumentException("transfer of " + units + " in transaction " + t.txHash()
                        + " is outside 0..2^256-1; nothing of block " + number + " stored");
            }
            int from = ids == null ? id(t.from()) : id(ids[2 * i], t.from());
            int to = ids == null ? id(t.to()) : id(ids[2 * i + 1], t.to());
            int assetId = assetId(t.amount().asset());
            byte[] amount = units.toByteArray();
            ByteBuffer v = ByteBuffer.allocate(32 + 4 + 4 + 4 + 1 + amount.length);
            v.put(t.txHash().bytes()).putInt(from).putInt(to).putInt(assetId).put((byte) amount.length).put(amount);
            ordered.put(Family.TRANSFERS, key, v.array());
            ordered.put(Family.ACCOUNT_TRANSFERS, Keys.accountTransfer(from, key), new byte[] {Keys.SENT});
            ordered.put(Family.ACCOUNT_TRANSFERS, Keys.accountTransfer(to, key),
                    new byte[] {from == to ? (byte) (Keys.SENT | Keys.RECEIVED) : Keys.RECEIVED});
            transfers++;
        }
    }

    /** Removes what is stored of block {@code number}'s transfers (a fetched part the whole block replaces). */
    void removeBlockTransfers(long number) {
        try (RocksIterator ts = files.iterator(Family.TRANSFERS)) {
            for (ts.seek(Keys.number(number)); ts.isValid() && Keys.getLong(ts.key(), 0) == number; ts.next()) {
                ByteBuffer v = ByteBuffer.wrap(ts.value());
                v.position(32);
                int from = v.getInt();
                int to = v.getInt();
                ordered.delete(Family.TRANSFERS, ts.key());
                ordered.delete(Family.ACCOUNT_TRANSFERS, Keys.accountTransfer(from, ts.key()));
                ordered.delete(Family.ACCOUNT_TRANSFERS, Keys.accountTransfer(to, ts.key()));
                transfers--;
            }
        }
    }

    void gas(Map<Hash256, BigInteger> prices) {
        for (Map.Entry<Hash256, BigInteger> g : prices.entrySet()) {
            ordered.put(Family.ETH_GAS, g.getKey().bytes(), g.getValue().toByteArray());
        }
    }

    void block(long number, Hash256 hash, Hash256 parent, long time, boolean fetched) throws RocksDBException {
        ByteBuffer b = ByteBuffer.allocate(32 + 32 + 8 + (fetched ? 1 : 0));
        b.put(hash.bytes()).put(parent.bytes()).putLong(time);
        if (fetched) {
            b.put((byte) 1);
        }
        batch.put(files.handle(Family.ETH_BLOCKS), Keys.number(number), b.array());
    }

    /**
     * The accounts of {@code blocks}, looked up before they are written: for each block, two entries a transfer (its
     * sender's, then its receiver's), an id, or -(n + 1) for the n-th account neither in the writer's table of accounts
     * nor before in the batch. Those are then read from the store in one call (a bulk import meets mostly new accounts,
     * and a look-up each through JNI was a fifth of its writing thread). The writing then reads an array where it made
     * a read in the writer's cache and in the batch's maps for each account of each transfer: over half of an import's
     * writing thread, each read a few misses in memory.
     */
    int[][] lookUp(List<EthBlock> blocks) {
        Map<String, Integer> place = new HashMap<>();
        List<String> wanted = new ArrayList<>();
        int[][] ids = new int[blocks.size()][];
        for (int b = 0; b < blocks.size(); b++) {
            List<AccountTransfer> transfers = blocks.get(b).transfers();
            int[] block = new int[2 * transfers.size()];
            for (int i = 0; i < transfers.size(); i++) {
                block[2 * i] = lookUp(transfers.get(i).from().text(), place, wanted);
                block[2 * i + 1] = lookUp(transfers.get(i).to().text(), place, wanted);
            }
            ids[b] = block;
        }
        wantedIds = new int[wanted.size()];
        Arrays.fill(wantedIds, -1);
        for (int from = 0; from < wanted.size(); from += LOOK_UP) {
            List<String> part = wanted.subList(from, Math.min(wanted.size(), from + LOOK_UP));
            List<byte[]> keys = new ArrayList<>(part.size());
            for (String text : part) {
                keys.add(text.getBytes(StandardCharsets.UTF_8));
            }
            List<byte[]> found = files.multiGet(Family.ADDRESS_IDS, keys);
            for (int i = 0; i < part.size(); i++) {
                if (found.get(i) != null) {
                    wantedIds[from + i] = Keys.getInt(found.get(i), 0);
                    addresses.rememberAccount(part.get(i), wantedIds[from + i]); // written before: held for the next batches
                }
            }
        }
        return ids;
    }

    private int lookUp(String account, Map<String, Integer> place, List<String> wanted) {
        int cached = addresses.cachedAccountId(account);
        if (cached >= 0) {
            return cached;
        }
        Integer n = place.putIfAbsent(account, wanted.size());
        if (n == null) {
            n = wanted.size();
            wanted.add(account);
        }
        return -n - 1;
    }

    /** An account's id from what {@link #lookUp} found ({@code looked}), given now if it has none. */
    private int id(int looked, Address a) {
        if (looked >= 0) {
            return looked;
        }
        int n = -looked - 1;
        if (wantedIds[n] < 0) {
            wantedIds[n] = newId(a.text());
        }
        return wantedIds[n];
    }

    /** An account's id, not looked up ahead (a fetch's few): given in this batch, else stored, else given now. */
    private int id(Address a) {
        Integer fresh = newIds.get(a.text());
        if (fresh != null) {
            return fresh;
        }
        int id = addresses.idOf(a.text());
        return id >= 0 ? id : newId(a.text());
    }

    private int newId(String text) {
        int id = nextId++;
        newIds.put(text, id);
        addresses.put(ordered, text, ScriptKind.ACCOUNT, id);
        return id;
    }

    private int assetId(Asset asset) throws RocksDBException {
        if (asset.nativeCoin()) {
            return 0;
        }
        String contract = asset.contract().get().text();
        Integer fresh = newAssets.get(contract);
        if (fresh != null) {
            return fresh;
        }
        int id = assetIdOf(files, contract);
        if (id < 0) {
            id = nextAsset++;
            newAssets.put(contract, id);
            batch.put(files.handle(Family.ASSET_IDS), contract.getBytes(StandardCharsets.UTF_8), Keys.addressId(id));
            batch.put(files.handle(Family.ASSETS), Keys.addressId(id), encodeAsset(asset));
        }
        return id;
    }

    void commit() throws RocksDBException {
        ordered.writeTo(batch, files);
        Counters next = counters.plusAccounts(newIds.size());
        next.write(batch, files);
        files.putMeta(batch, "nextAssetId", nextAsset);
        files.putMeta(batch, "ethBlocks", files.meta("ethBlocks", 0) + blocks);
        files.putMeta(batch, "transfers", files.meta("transfers", 0) + transfers);
        files.putMeta(batch, "ethFetchedBlocks", files.meta("ethFetchedBlocks", 0) + fetchedBlocks);
        files.putMeta(batch, "ethFetchedAddresses", files.meta("ethFetchedAddresses", 0) + fetchedAddresses);
        files.putMeta(batch, "ethAccounts", files.meta("ethAccounts", 0) + newIds.size());
        files.write(batch);
        counters.set(next);
        newIds.forEach(addresses::rememberAccount);
    }

    /** A token's record in {@code assets}: contract, symbol, decimals (-1 unknown). */
    static byte[] encodeAsset(Asset a) {
        byte[] contract = a.contract().orElseThrow().text().getBytes(StandardCharsets.UTF_8);
        byte[] symbol = a.symbol().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + contract.length + 2 + symbol.length + 4).putShort((short) contract.length).put(contract)
                .putShort((short) symbol.length).put(symbol).putInt(a.decimals().orElse(-1)).array();
    }

    /** The stored id of a token contract, or -1. */
    static int assetIdOf(StoreFiles files, String contract) {
        byte[] v = files.get(Family.ASSET_IDS, contract.getBytes(StandardCharsets.UTF_8));
        return v == null ? -1 : Keys.getInt(v, 0);
    }
}
