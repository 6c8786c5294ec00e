package io.chaintrace.graph;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Amount;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TransferKind;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The Ethereum side of the store: blocks ({@code eth_blocks}), transfers in chain order
 * ({@code transfers}), each account's transfers ({@code account_transfers}), tokens ({@code assets},
 * {@code asset_ids}), gas prices ({@code eth_gas}); a block and its transfers are one atomic batch,
 * and a reorg rolls blocks back in one.
 */
final class EthereumStore {
    private final StoreFiles files;
    private final BlockWriter writer;
    private final AddressBook addresses;
    private final Counters counters;

    EthereumStore(StoreFiles files, BlockWriter writer, AddressBook addresses, Counters counters) {
        this.files = files;
        this.writer = writer;
        this.addresses = addresses;
        this.counters = counters;
    }

    boolean append(EthBlock block, Checkpoint checkpoint) {
        return appendAll(List.of(block), checkpoint) == 1;
    }

    /**
     * Appends blocks in chain order, their transfers and the checkpoint (of the last) in one atomic batch: a bulk import
     * writes thousands of blocks of a transfer or two, and one write each (its log record, its memtable insert, its
     * counters) was most of its time. Blocks stored whole already are left out. Returns how many were written.
     */
    int appendAll(List<EthBlock> blocks, Checkpoint checkpoint) {
        synchronized (files) {
            writer.requireWritable();
            writer.awaitInFlight();
            try (WriteBatch batch = new WriteBatch()) {
                EthereumWrites w = new EthereumWrites(files, addresses, counters, batch);
                int[][] ids = w.lookUp(blocks);
                java.util.Set<Long> seen = new java.util.HashSet<>();
                int written = 0;
                for (int b = 0; b < blocks.size(); b++) {
                    EthBlock block = blocks.get(b);
                    Optional<StoredEthBlock> stored = block(block.number());
                    if (stored.isPresent() && !stored.get().fetched() || !seen.add(block.number())) {
                        continue;
                    }
                    if (stored.isPresent()) {
                        // A fetch stored part of this block; the whole block replaces it.
                        w.removeBlockTransfers(block.number());
                        w.fetchedBlocks--;
                    } else {
                        w.blocks++;
                    }
                    w.transfers(block.number(), block.transfers(), ids[b], key -> false, true);
                    w.gas(block.gasPrices());
                    w.block(block.number(), block.hash(), block.parent(), block.time(), false);
                    written++;
                }
                if (written == 0) {
                    return 0;
                }
                batch.put(files.handle(Family.CHECKPOINTS), checkpoint.source().getBytes(StandardCharsets.UTF_8), checkpoint.encode());
                w.commit();
                return written;
            } catch (RocksDBException e) {
                throw new StoreException(files.path, "write failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Stores what a fetch learnt of some addresses, in one batch: the transfers (grouped in blocks), each block kept as
     * fetched (in part) unless it is stored whole already, and for each address asked about the blocks its history was
     * read over. A transfer stored already is not stored twice. Returns the transfers added.
     */
    long putFetched(List<EthBlock> blocks, Collection<String> asked, long fromBlock, long toBlock, String source) {
        synchronized (files) {
            writer.requireWritable();
            writer.awaitInFlight();
            try (WriteBatch batch = new WriteBatch()) {
                EthereumWrites w = new EthereumWrites(files, addresses, counters, batch);
                for (EthBlock block : blocks) {
                    Optional<StoredEthBlock> stored = block(block.number());
                    if (stored.isPresent() && !stored.get().fetched()) {
                        continue; // stored whole: it holds these already
                    }
                    Hash256 hash = block.hash();
                    if (stored.isPresent()) {
                        Hash256 had = stored.get().hash();
                        if (!had.equals(Hash256.ZERO) && !hash.equals(Hash256.ZERO) && !had.equals(hash)) {
                            throw new IllegalStateException(source + " now gives block " + block.number() + " the hash " + hash
                                    + " but the store holds it as " + had + " (the chain reorganised?); nothing of this step stored");
                        }
                        hash = had.equals(Hash256.ZERO) ? hash : had;
                    } else {
                        w.blocks++;
                        w.fetchedBlocks++;
                    }
                    w.transfers(block.number(), block.transfers(), null, key -> files.get(Family.TRANSFERS, key) != null, false);
                    w.gas(block.gasPrices());
                    w.block(block.number(), hash, Hash256.ZERO, block.time(), true);
                }
                byte[] src = source.getBytes(StandardCharsets.UTF_8);
                for (String address : asked) {
                    byte[] key = address.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
                    byte[] old = files.get(Family.ETH_FETCHED, key);
                    long from = old == null ? fromBlock : Math.min(fromBlock, ByteBuffer.wrap(old).getLong());
                    if (old == null) {
                        w.fetchedAddresses++;
                    }
                    batch.put(files.handle(Family.ETH_FETCHED), key,
                            ByteBuffer.allocate(16 + src.length).putLong(from).putLong(toBlock).put(src).array());
                }
                w.commit();
                return w.transfers;
            } catch (RocksDBException e) {
                throw new StoreException(files.path, "write failed: " + e.getMessage(), e);
            }
        }
    }

    /** How many addresses a fetch asked about, per source. */
    Map<String, Long> fetchedBySource() {
        writer.awaitQuietly();
        Map<String, Long> out = new java.util.TreeMap<>();
        try (RocksIterator it = files.iterator(Family.ETH_FETCHED)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] v = it.value();
                out.merge(new String(v, 16, v.length - 16, StandardCharsets.UTF_8), 1L, Long::sum);
            }
        }
        return out;
    }

    /** The blocks over which a fetch read an address's whole history ({@code [from, to]}), if it did. */
    Optional<long[]> fetchedRange(String address) {
        byte[] v = files.get(Family.ETH_FETCHED, address.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        if (v == null) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        return Optional.of(new long[] {b.getLong(), b.getLong()});
    }

    /**
     * Whether the store holds every transfer of an address: always, when no fetch filled blocks in part; else when a
     * fetch asked about it, or none of its transfers is in a block filled in part.
     */
    boolean historyKnown(Address address) {
        if (files.meta("ethFetchedBlocks", 0) == 0 || fetchedRange(address.text()).isPresent()) {
            return true;
        }
        for (AccountTransfer t : transfersOf(address)) {
            if (block(t.block().height()).map(StoredEthBlock::fetched).orElse(false)) {
                return false;
            }
        }
        return true;
    }

    int rollback(long fromNumber, String checkpointSource) {
        synchronized (files) {
            writer.requireWritable();
            writer.awaitInFlight();
            int removed = 0;
            long transfers = 0;
            try (WriteBatch batch = new WriteBatch(); RocksIterator blocks = files.iterator(Family.ETH_BLOCKS);
                 RocksIterator ts = files.iterator(Family.TRANSFERS)) {
                long fetchedRemoved = 0;
                for (blocks.seek(Keys.number(fromNumber)); blocks.isValid(); blocks.next()) {
                    batch.delete(files.handle(Family.ETH_BLOCKS), blocks.key());
                    removed++;
                    fetchedRemoved += blocks.value().length > 72 && blocks.value()[72] == 1 ? 1 : 0;
                }
                for (ts.seek(Keys.number(fromNumber)); ts.isValid(); ts.next()) {
                    byte[] key = ts.key();
                    ByteBuffer v = ByteBuffer.wrap(ts.value());
                    v.position(32);
                    int from = v.getInt();
                    int to = v.getInt();
                    batch.delete(files.handle(Family.TRANSFERS), key);
                    batch.delete(files.handle(Family.ETH_GAS), Arrays.copyOf(ts.value(), 32));
                    batch.delete(files.handle(Family.ACCOUNT_TRANSFERS), Keys.accountTransfer(from, key));
                    batch.delete(files.handle(Family.ACCOUNT_TRANSFERS), Keys.accountTransfer(to, key));
                    transfers++;
                }
                if (removed == 0) {
                    return 0;
                }
                files.putMeta(batch, "ethBlocks", files.meta("ethBlocks", 0) - removed);
                files.putMeta(batch, "ethFetchedBlocks", files.meta("ethFetchedBlocks", 0) - fetchedRemoved);
                files.putMeta(batch, "transfers", files.meta("transfers", 0) - transfers);
                Optional<StoredEthBlock> before = fromNumber == 0 ? Optional.empty() : block(fromNumber - 1);
                byte[] source = checkpointSource.getBytes(StandardCharsets.UTF_8);
                if (before.isPresent()) {
                    byte[] old = files.get(Family.CHECKPOINTS, source);
                    long done = old == null ? 0 : Checkpoint.decode(checkpointSource, old).blocksDone();
                    batch.put(files.handle(Family.CHECKPOINTS), source, new Checkpoint(checkpointSource, before.get().hash(),
                            (int) before.get().number(), Math.max(0, done - removed)).encode());
                } else {
                    batch.delete(files.handle(Family.CHECKPOINTS), source);
                }
                files.write(batch);
                return removed;
            } catch (RocksDBException e) {
                throw new StoreException(files.path, "rollback failed: " + e.getMessage(), e);
            }
        }
    }

    Optional<StoredEthBlock> block(long number) {
        byte[] v = files.get(Family.ETH_BLOCKS, Keys.number(number));
        if (v == null) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        byte[] hash = new byte[32];
        byte[] parent = new byte[32];
        b.get(hash).get(parent);
        long time = b.getLong();
        return Optional.of(new StoredEthBlock(number, new Hash256(hash), new Hash256(parent), time, b.hasRemaining() && b.get() == 1));
    }

    /** The lowest and highest block stored (whole or fetched in part), if any: what an Ethereum trace's data covers. */
    Optional<StoredEthBlock[]> range() {
        writer.awaitQuietly();
        try (RocksIterator it = files.iterator(Family.ETH_BLOCKS)) {
            it.seekToFirst();
            if (!it.isValid()) {
                return Optional.empty();
            }
            long first = Keys.getLong(it.key(), 0);
            it.seekToLast();
            long last = Keys.getLong(it.key(), 0);
            return Optional.of(new StoredEthBlock[] {block(first).orElseThrow(), block(last).orElseThrow()});
        }
    }

    EthStats stats() {
        writer.awaitQuietly();
        return new EthStats(files.meta("ethBlocks", 0), files.meta("transfers", 0), files.meta("ethFetchedBlocks", 0),
                files.meta("ethFetchedAddresses", 0), files.meta("ethAccounts", 0));
    }

    /**
     * Transactions that moved value (one or more transfers: a call, its internal transfers, its token transfers), counted
     * over the stored transfers' keys, which sort by block and position: one pass, no memory. For {@code stats}.
     */
    long transactionCount() {
        writer.awaitQuietly();
        long n = 0;
        long lastBlock = -1;
        int lastIndex = -1;
        try (RocksIterator it = files.iterator(Family.TRANSFERS)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                byte[] k = it.key();
                long block = Keys.getLong(k, 0);
                int index = Keys.getInt(k, 8);
                if (block != lastBlock || index != lastIndex) {
                    n++;
                    lastBlock = block;
                    lastIndex = index;
                }
            }
        }
        return n;
    }

    void forEachTransfer(long from, long to, Consumer<AccountTransfer> action) {
        writer.awaitQuietly();
        try (RocksIterator it = files.iterator(Family.TRANSFERS)) {
            for (it.seek(Keys.number(from)); it.isValid(); it.next()) {
                if (Keys.getLong(it.key(), 0) > to) {
                    break;
                }
                action.accept(decodeTransfer(it.key(), it.value()));
            }
        }
    }

    /** An ether transfer as stored: its block and the owner ids either side (what clustering reads, nothing decoded). */
    @FunctionalInterface
    interface EtherMove {
        void accept(long block, int from, int to, BigInteger wei);
    }

    /**
     * The ether transfers (not tokens) of blocks {@code from..to} in chain order, read from their keys and values alone:
     * no address text, no block record, no asset record per transfer (reading them was most of a clustering's time).
     */
    void forEachEtherMove(long from, long to, EtherMove action) {
        writer.awaitQuietly();
        try (RocksIterator it = files.iterator(Family.TRANSFERS)) {
            for (it.seek(Keys.number(from)); it.isValid(); it.next()) {
                byte[] key = it.key();
                long number = Keys.getLong(key, 0);
                if (number > to) {
                    break;
                }
                byte[] v = it.value();
                if (Keys.getInt(v, 40) != 0) {
                    continue; // a token's: asset id 0 is ether
                }
                action.accept(number, Keys.getInt(v, 32), Keys.getInt(v, 36), new BigInteger(v, 45, v[44]));
            }
        }
    }

    Optional<BigInteger> gasPrice(Hash256 tx) {
        writer.awaitQuietly();
        byte[] v = files.get(Family.ETH_GAS, tx.bytes());
        return v == null ? Optional.empty() : Optional.of(new BigInteger(v));
    }

    /** An address's transfers counted from its keys alone, up to {@code cap}. */
    int transferCount(Address address, int cap) {
        writer.awaitQuietly();
        int id = addresses.idOf(address.text());
        if (id < 0) {
            return 0;
        }
        byte[] prefix = Keys.addressId(id);
        int n = 0;
        try (RocksIterator it = files.iterator(Family.ACCOUNT_TRANSFERS)) {
            for (it.seek(prefix); it.isValid() && n < cap; it.next()) {
                if (!Arrays.equals(it.key(), 0, 4, prefix, 0, 4)) {
                    break;
                }
                n++;
            }
        }
        return n;
    }

    List<AccountTransfer> transfersOf(Address address) {
        writer.awaitQuietly();
        int id = addresses.idOf(address.text());
        if (id < 0) {
            return List.of();
        }
        List<AccountTransfer> out = new ArrayList<>();
        byte[] prefix = Keys.addressId(id);
        try (RocksIterator it = files.iterator(Family.ACCOUNT_TRANSFERS)) {
            for (it.seek(prefix); it.isValid(); it.next()) {
                byte[] k = it.key();
                if (!Arrays.equals(k, 0, 4, prefix, 0, 4)) {
                    break;
                }
                byte[] key = Arrays.copyOfRange(k, 4, k.length);
                out.add(decodeTransfer(key, files.get(Family.TRANSFERS, key)));
            }
        }
        return out;
    }

    Optional<String> chainId(Chain chain) {
        byte[] v = files.get(Family.META, ("chainId." + chain.name()).getBytes(StandardCharsets.US_ASCII));
        return v == null ? Optional.empty() : Optional.of(new String(v, StandardCharsets.UTF_8));
    }

    void setChainId(Chain chain, String id) {
        synchronized (files) {
            writer.requireWritable();
            files.put(Family.META, ("chainId." + chain.name()).getBytes(StandardCharsets.US_ASCII), id.getBytes(StandardCharsets.UTF_8));
        }
    }

    void updateAsset(Asset asset) {
        synchronized (files) {
            writer.requireWritable();
            int id = EthereumWrites.assetIdOf(files, asset.contract().orElseThrow().text());
            if (id >= 0) {
                files.put(Family.ASSETS, Keys.addressId(id), EthereumWrites.encodeAsset(asset));
            }
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
        Address from = addresses.address(v.getInt());
        Address to = addresses.address(v.getInt());
        Asset asset = asset(v.getInt());
        byte[] amount = new byte[v.get()];
        v.get(amount);
        StoredEthBlock b = block(number).orElseThrow(() -> new StoreException(files.path, "corrupt: transfer in missing block " + number));
        return new AccountTransfer(new Hash256(tx), new BlockRef((int) number, b.hash(), b.time()), txIndex, kind, index, from, to,
                new Amount(asset, new BigInteger(amount)));
    }

    private Asset asset(int id) {
        if (id == 0) {
            return Asset.ETH;
        }
        byte[] v = files.get(Family.ASSETS, Keys.addressId(id));
        if (v == null) {
            throw new StoreException(files.path, "corrupt: no asset " + id);
        }
        ByteBuffer b = ByteBuffer.wrap(v);
        byte[] contract = new byte[b.getShort()];
        b.get(contract);
        byte[] symbol = new byte[b.getShort()];
        b.get(symbol);
        int decimals = b.getInt();
        return new Asset(Chain.ETHEREUM, Optional.of(new Address(Chain.ETHEREUM, ScriptKind.ACCOUNT, new String(contract, StandardCharsets.UTF_8))),
                new String(symbol, StandardCharsets.UTF_8), decimals < 0 ? OptionalInt.empty() : OptionalInt.of(decimals));
    }
}
