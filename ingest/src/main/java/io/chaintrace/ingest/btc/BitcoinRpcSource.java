package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.BlockSink;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.NewBlock;
import io.chaintrace.graph.StoredBlock;
import io.chaintrace.ingest.CorruptAnswerException;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.ServiceException;
import io.chaintrace.ingest.Source;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.internal.ByteUtils;
import org.bitcoinj.core.Context;

/**
 * Ingests main-chain blocks from a Bitcoin Core node over JSON-RPC: {@code getblockchaininfo} for the
 * node's chain and tip, {@code getblockhash} for the heights, {@code getblock <hash> 0} for the raw
 * blocks (batched), each parsed and checked by the same code as block files ({@link BlockParser}:
 * merkle root, witness commitment) after its header hashes to what was asked and passes the {@link HeaderRules}. So a
 * store filled from the node equals one filled from the node's block files.
 *
 * <p>Incremental: it starts after the stored tip. When the node's block at the stored tip's height
 * is another one (a reorg), the stored blocks the node no longer has are rolled back, tip first,
 * before the new ones are written. Blocks with fewer than {@code confirmations} confirmations wait.
 */
public final class BitcoinRpcSource implements Source<BitcoinRpcSource.Summary> {
    public static final String CHECKPOINT = "btc-rpc";
    /** Heights asked per getblockhash batch; blocks per getblock batch (a block is up to 4 MB of hex). */
    private static final int HASH_BATCH = 500;
    private static final int BLOCK_BATCH = 16;
    /** Far deeper than any reorg mainnet has seen: a difference this deep is another chain, not a reorg. */
    private static final int MAX_REORG = 100;

    /**
     * @param to            last height, or -1 for the node's tip less confirmations
     * @param follow        keep polling for new blocks every {@code poll} until interrupted
     * @param confirmations a block is ingested once this many blocks (itself included) are on it
     */
    public record Settings(int from, int to, boolean follow, int confirmations, Duration poll) {
        public Settings {
            if (from < 0) {
                throw new IllegalArgumentException("--from must not be negative");
            }
            if (confirmations < 1) {
                throw new IllegalArgumentException("--confirmations must be at least 1 (the block itself)");
            }
        }
    }

    private final BlockSink store;
    private final BitcoinCoreRpc rpc;
    private final Settings settings;
    private final int threads;

    public BitcoinRpcSource(BlockSink store, BitcoinCoreRpc rpc, Settings settings, int threads) {
        this.store = store;
        this.rpc = rpc;
        this.settings = settings;
        this.threads = Math.max(1, threads);
    }

    @Override
    public String name() {
        return CHECKPOINT;
    }

    @Override
    public Kind kind() {
        return Kind.BITCOIN;
    }

    /** What a run did. */
    public record Summary(long written, long rolledBack, long transactions, int tip, long requests, Duration elapsed)
            implements Source.Report {
        @Override
        public String describe() {
            double secs = Math.max(1e-9, elapsed.toNanos() / 1e9);
            return String.format("ingested %,d blocks, %,d transactions in %.1f s (%,.0f tx/s) from the node, up to height %,d%s;"
                    + " %,d requests", written, transactions, secs, transactions / secs, tip,
                    rolledBack == 0 ? "" : String.format("; %,d blocks the node replaced rolled back (a reorg)", rolledBack), requests);
        }
    }

    @Override
    public Summary run(IngestListener listener) {
        long start = System.nanoTime();
        BitcoinCoreRpc.ChainInfo info = rpc.chainInfo();
        BitcoinNetwork network = network(info.chain());
        BlockParser parser = new BlockParser(network);
        long written = 0;
        long rolledBack = 0;
        long txs = 0;
        int tip = -1;
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(() -> {
                Context.propagate(new Context());
                r.run();
            }, "rpc-block-parser");
            t.setDaemon(true);
            return t;
        });
        try {
            while (true) {
                rolledBack += rollBackReplaced();
                Optional<StoredBlock> stored = store.tip();
                int from = stored.map(b -> b.ref().height() + 1).orElse(0);
                if (stored.isPresent() && settings.from() > from) {
                    throw new IllegalArgumentException("--from " + settings.from() + " would leave a gap after the stored tip at height "
                            + stored.get().ref().height() + ": blocks are ingested in chain order; leave --from out to continue from the tip");
                }
                from = Math.max(from, settings.from());
                int last = info.blocks() - settings.confirmations() + 1;
                if (settings.to() >= 0) {
                    last = Math.min(last, settings.to());
                }
                if (from <= last) {
                    listener.started(last - from + 1L, 0);
                }
                Run r = new Run(parser, pool, listener, new HeaderRules(network, Instant.now().getEpochSecond()));
                r.ingest(from, last);
                written += r.written;
                txs += r.txs;
                tip = Math.max(tip, store.tip().map(b -> b.ref().height()).orElse(-1));
                if (!settings.follow() || (settings.to() >= 0 && tip >= settings.to())) {
                    break;
                }
                sleep(settings.poll());
                info = rpc.chainInfo();
            }
        } finally {
            pool.shutdownNow();
        }
        store.sync();
        return new Summary(written, rolledBack, txs, tip, rpc.requests(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Rolls back stored blocks, tip first, until the stored tip is the node's block at its height. Nothing is
     * rolled back when the node differs deeper than {@value #MAX_REORG} blocks: that is another network or
     * another chain, not a reorg.
     */
    private long rollBackReplaced() {
        List<StoredBlock> replaced = new ArrayList<>();
        Optional<StoredBlock> b = store.tip();
        while (b.isPresent()) {
            StoredBlock t = b.get();
            Optional<Hash256> nodeHash = rpc.blockHashes(t.ref().height(), t.ref().height()).getFirst();
            if (nodeHash.isPresent() && nodeHash.get().equals(t.ref().hash())) {
                break;
            }
            replaced.add(t);
            if (replaced.size() > MAX_REORG) {
                throw new IllegalArgumentException("the node's chain and the store's differ for more than " + MAX_REORG
                        + " blocks below the stored tip (height " + store.tip().orElseThrow().ref().height() + "): the node is on another"
                        + " network or chain than the store; nothing was rolled back");
            }
            b = store.block(t.prev());
        }
        long done = store.checkpoint(CHECKPOINT).map(Checkpoint::blocksDone).orElse(0L);
        for (StoredBlock t : replaced) {
            done = Math.max(0, done - 1);
            Optional<StoredBlock> parent = store.block(t.prev());
            long d = done;
            store.disconnect(t.ref().hash(), CHECKPOINT, parent.map(p -> new Checkpoint(CHECKPOINT, p.ref().hash(), p.ref().height(), d)));
        }
        return replaced.size();
    }

    /** One pass from a height to another. */
    private final class Run {
        final BlockParser parser;
        final ExecutorService pool;
        final IngestListener listener;
        final HeaderRules rules;
        final Map<Hash256, HeaderRules.Header> fresh = new HashMap<>();
        long written;
        long txs;

        Run(BlockParser parser, ExecutorService pool, IngestListener listener, HeaderRules rules) {
            this.parser = parser;
            this.pool = pool;
            this.listener = listener;
            this.rules = rules;
        }

        void ingest(int from, int last) {
            long done = store.checkpoint(CHECKPOINT).map(Checkpoint::blocksDone).orElse(0L);
            HeaderRules.Headers headers = hash -> {
                HeaderRules.Header h = fresh.get(hash);
                if (h != null) {
                    return Optional.of(h);
                }
                return store.block(hash).map(b -> new HeaderRules.Header(hash, b.prev(), b.ref().height(), b.ref().time(), b.bits()));
            };
            for (int h0 = from; h0 <= last; h0 += HASH_BATCH) {
                int h1 = Math.min(last, h0 + HASH_BATCH - 1);
                List<Optional<Hash256>> hashes = rpc.blockHashes(h0, h1);
                for (int i = 0; i < hashes.size(); i += BLOCK_BATCH) {
                    List<Hash256> chunk = new ArrayList<>();
                    for (int k = i; k < Math.min(hashes.size(), i + BLOCK_BATCH); k++) {
                        chunk.add(hashes.get(k).orElseThrow(() -> new ServiceException(rpc.describe()
                                + ": the node's chain got shorter while it was read; run again")));
                    }
                    List<byte[]> raw = rpc.rawBlocks(chunk);
                    List<Future<BlockParser.ParsedBlock>> parsed = new ArrayList<>();
                    for (int k = 0; k < chunk.size(); k++) {
                        byte[] bytes = raw.get(k);
                        Hash256 hash = chunk.get(k);
                        parsed.add(pool.submit(() -> BlockParser.decode(bytes, hash)));
                    }
                    for (int k = 0; k < chunk.size(); k++) {
                        int height = h0 + i + k;
                        Hash256 hash = chunk.get(k);
                        byte[] bytes = raw.get(k);
                        HeaderRules.Header header = header(hash, bytes, height);
                        Optional<StoredBlock> parent = store.block(header.prev());
                        BigInteger base;
                        if (parent.isPresent()) {
                            if (parent.get().ref().height() != height - 1) {
                                throw new ServiceException(rpc.describe() + ": block " + hash + " at height " + height
                                        + " does not follow the stored block at height " + (height - 1) + "; run again");
                            }
                            base = parent.get().chainWork();
                        } else if (height == 0 || store.tip().isEmpty()) {
                            base = BigInteger.ZERO; // the first block of the store: its chain's work before it is not known here
                        } else {
                            throw new ServiceException(rpc.describe() + ": block " + hash + " at height " + height
                                    + " does not follow the stored tip (the node reorganised while it was read); run again");
                        }
                        Optional<String> broken = rules.violation(header, height, headers);
                        if (broken.isPresent()) {
                            throw new CorruptAnswerException(rpc.describe() + " sent a block that breaks the header rules: " + broken.get());
                        }
                        BlockParser.ParsedBlock p;
                        try {
                            p = parsed.get(k).get();
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof BlockParser.InvalidBlock bad) {
                                throw new CorruptAnswerException(rpc.describe() + " sent block " + hash + " at height " + height + ": "
                                        + bad.getMessage());
                            }
                            throw new IllegalStateException(e.getCause());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new ServiceException("interrupted");
                        }
                        NewBlock block = parser.convert(p, hash, header.prev(), height, base.add(MainChain.work(header.bits())), header.bits());
                        if (store.append(block, new Checkpoint(CHECKPOINT, hash, height, done + 1))) {
                            done++;
                            written++;
                            txs += block.transactions().size();
                        }
                        fresh.put(hash, header);
                        listener.block(block.transactions().size());
                    }
                }
            }
        }
    }

    /** The header facts of a raw block. */
    private static HeaderRules.Header header(Hash256 hash, byte[] block, int height) {
        ByteBuffer b = ByteBuffer.wrap(block, 0, 80).order(ByteOrder.LITTLE_ENDIAN);
        b.getInt(); // version
        byte[] prev = new byte[32];
        b.get(prev);
        b.position(b.position() + 32); // merkle root
        long time = Integer.toUnsignedLong(b.getInt());
        long bits = Integer.toUnsignedLong(b.getInt());
        return new HeaderRules.Header(hash, new Hash256(ByteUtils.reverseBytes(prev)), height, time, bits);
    }

    /** Bitcoin Core's chain names ({@code getblockchaininfo}). */
    public static BitcoinNetwork network(String chain) {
        return switch (chain) {
            case "main" -> BitcoinNetwork.MAINNET;
            case "test" -> BitcoinNetwork.TESTNET;
            case "signet" -> BitcoinNetwork.SIGNET;
            case "regtest" -> BitcoinNetwork.REGTEST;
            default -> throw new ServiceException("the node is on chain '" + chain + "', which Chaintrace does not know"
                    + " (main, test, signet, regtest)");
        };
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceException("interrupted");
        }
    }
}
