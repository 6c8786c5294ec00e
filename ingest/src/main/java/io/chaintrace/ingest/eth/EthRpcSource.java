package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.TransferExtractor;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.EthBlock;
import io.chaintrace.graph.StoredEthBlock;
import io.chaintrace.graph.TransferSink;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.Source;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Ingests a block range from an Ethereum JSON-RPC node: each block with its receipts and traces,
 * turned into transfers ({@link TransferExtractor}) and appended with its checkpoint in one atomic
 * batch. Blocks are fetched in JSON-RPC batches of {@code batch} blocks (one HTTP request for each block's block,
 * receipts and traces), {@code concurrency} batches at a time, and written in order.
 *
 * <p>Safe to rerun: it continues after the last stored block. At start it checks the node's chain
 * id against the store's, and that the last stored block is still on the node's chain; blocks the
 * node has replaced (a reorg) are rolled back first. It ingests only up to
 * {@code head - confirmations}, and refuses to leave a gap after what is stored.
 */
public final class EthRpcSource implements Source<EthRpcSource.Summary> {
    public static final String CHECKPOINT = "eth-rpc";

    private final TransferSink store;
    private final EthRpcClient client;
    private final Settings settings;
    private final long from;
    private final long to;

    /**
     * @param confirmations blocks behind the head that are not ingested yet (they may still be replaced)
     * @param concurrency   batches of blocks fetched at once
     * @param noInternal    ingest without internal transfers when the node offers no traces
     * @param batch         blocks asked in one JSON-RPC batch (1: each call on its own)
     */
    public record Settings(int confirmations, int concurrency, boolean noInternal, int batch) {
        public static final int DEFAULT_BATCH = 8;
        public static final Settings DEFAULT = new Settings(12, 4, false, DEFAULT_BATCH);

        public Settings {
            if (concurrency < 1 || batch < 1) {
                throw new IllegalArgumentException("concurrency and batch must be at least 1 (got " + concurrency + ", " + batch + ")");
            }
        }

        /** Batches of {@link #DEFAULT_BATCH} blocks. */
        public Settings(int confirmations, int concurrency, boolean noInternal) {
            this(confirmations, concurrency, noInternal, DEFAULT_BATCH);
        }
    }

    /** What an ingest did. */
    public record Summary(long blocks, long transfers, int rolledBack, long lastBlock, TraceFormat traces, Duration elapsed)
            implements Source.Report {
        @Override
        public long written() {
            return blocks;
        }

        @Override
        public String describe() {
            double secs = Math.max(1e-9, elapsed.toNanos() / 1e9);
            return String.format("ingested %,d blocks, %,d transfers in %.1f s (%,.1f blocks/s); up to block %,d; traces: %s%s", blocks,
                    transfers, secs, blocks / secs, lastBlock, traces.name().toLowerCase(Locale.ROOT),
                    rolledBack > 0 ? "; rolled back " + rolledBack + " replaced blocks" : "");
        }
    }

    /** Blocks {@code from..to} (to: at most head - confirmations; {@code Long.MAX_VALUE} for the head). */
    public EthRpcSource(TransferSink store, EthRpcClient client, Settings settings, long from, long to) {
        this.store = store;
        this.client = client;
        this.settings = settings;
        this.from = from;
        this.to = to;
    }

    @Override
    public String name() {
        return CHECKPOINT;
    }

    @Override
    public Kind kind() {
        return Kind.ETHEREUM;
    }

    @Override
    public Summary run(IngestListener listener) {
        long start = System.nanoTime();
        String chainId = client.chainId().toString();
        Optional<String> stored = store.chainId(Chain.ETHEREUM);
        if (stored.isPresent() && !stored.get().equals(chainId)) {
            throw new EthRpcException("node at " + client.url() + " serves chain id " + chainId + " but the store holds chain id "
                    + stored.get() + ": use another store");
        }
        if (stored.isEmpty()) {
            store.setChainId(Chain.ETHEREUM, chainId);
        }
        int rolledBack = rollBackReplacedBlocks();
        long tip = store.checkpoint(CHECKPOINT).map(c -> (long) c.height()).orElse(-1L);
        long first = from;
        if (tip >= 0) {
            if (from > tip + 1) {
                throw new EthRpcException("the store holds Ethereum blocks up to " + tip + "; starting at " + from
                        + " would leave a gap (start at " + (tip + 1) + " or lower)");
            }
            first = Math.max(from, tip + 1);
        }
        long last = Math.min(to, client.head() - settings.confirmations());
        TraceFormat traces = client.traceFormat(Math.max(0, Math.min(first, last)));
        if (traces == TraceFormat.NONE && !settings.noInternal()) {
            throw new EthRpcException("node at " + client.url() + " offers neither trace_block nor debug_traceBlockByNumber, so internal "
                    + "transfers cannot be seen; rerun with --no-internal to ingest without them");
        }
        long blocks = 0;
        long transfers = 0;
        listener.started(Math.max(0, last - first + 1), 0);
        TransferExtractor extractor = new TransferExtractor(new TokenRegistry(client));
        ExecutorService pool = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "eth-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            ArrayDeque<Future<List<EthBlock>>> ahead = new ArrayDeque<>();
            long next = first;
            Hash256 parent = tip >= 0 ? store.ethBlock(tip).map(StoredEthBlock::hash).orElse(null) : null;
            long done = store.checkpoint(CHECKPOINT).map(Checkpoint::blocksDone).orElse(0L);
            Iterator<EthBlock> fetched = Collections.emptyIterator();
            for (long n = first; n <= last; n++) {
                while (next <= last && ahead.size() < settings.concurrency() * 2) {
                    List<Long> numbers = new ArrayList<>();
                    for (; next <= last && numbers.size() < settings.batch(); next++) {
                        numbers.add(next);
                    }
                    ahead.add(pool.submit(() -> fetch(numbers, extractor)));
                }
                if (!fetched.hasNext()) {
                    fetched = await(ahead.poll()).iterator();
                }
                EthBlock block = fetched.next();
                if (parent != null && !block.parent().equals(parent)) {
                    throw new EthRpcException("block " + block.number() + " does not follow the stored block " + (block.number() - 1)
                            + " (parent " + block.parent() + ", stored " + parent + "): the chain reorganised; rerun to roll back and continue");
                }
                if (store.appendEthBlock(block, new Checkpoint(CHECKPOINT, block.hash(), Math.toIntExact(block.number()), done + 1))) {
                    done++;
                    blocks++;
                    transfers += block.transfers().size();
                }
                parent = block.hash();
                listener.block(block.transfers().size());
            }
        } finally {
            pool.shutdownNow();
        }
        return new Summary(blocks, transfers, rolledBack, last, traces, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Consecutive blocks as transfers, in order. */
    List<EthBlock> fetch(List<Long> numbers, TransferExtractor extractor) {
        List<EthBlock> out = new ArrayList<>(numbers.size());
        for (EthRpcClient.BlockDetails d : client.blocks(numbers)) {
            out.add(transfers(d.block(), d.receipts(), d.traces(), extractor));
        }
        return out;
    }

    /** One block as transfers: block, receipts and (when the node has them) traces. */
    EthBlock fetch(long number, TransferExtractor extractor) {
        return fetch(List.of(number), extractor).get(0);
    }

    private static EthBlock transfers(EthRows.Block block, Map<Hash256, EthRows.Receipt> receipts, List<EthRows.Trace> traces,
                                      TransferExtractor extractor) {
        List<EthRows.TokenTransfer> tokens = receipts.values().stream().flatMap(r -> TransferExtractor.tokenTransfers(r.logs()).stream())
                .toList();
        List<AccountTransfer> transfers;
        synchronized (extractor) {
            transfers = extractor.extract(block, receipts, traces, tokens);
        }
        return new EthBlock(block.number(), block.hash(), block.parent(), block.timestamp(), transfers, EthBlock.gasPrices(transfers,
                block.transactions().stream().filter(t -> t.gasPrice().isPresent())
                        .collect(java.util.stream.Collectors.toMap(EthRows.Tx::hash, t -> t.gasPrice().get()))));
    }

    /** Rolls back stored blocks the node no longer has on its chain; returns how many. */
    private int rollBackReplacedBlocks() {
        Optional<Checkpoint> cp = store.checkpoint(CHECKPOINT);
        if (cp.isEmpty()) {
            return 0;
        }
        long n = cp.get().height();
        long firstReplaced = -1;
        while (n >= 0) {
            Optional<StoredEthBlock> mine = store.ethBlock(n);
            if (mine.isEmpty()) {
                break;
            }
            if (client.block(n).hash().equals(mine.get().hash())) {
                break;
            }
            firstReplaced = n;
            n--;
        }
        return firstReplaced < 0 ? 0 : store.rollbackEthBlocks(firstReplaced, CHECKPOINT);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new EthRpcException("fetch failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EthRpcException("interrupted");
        }
    }
}
