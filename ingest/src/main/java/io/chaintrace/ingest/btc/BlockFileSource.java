package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.BlockSink;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.NewBlock;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.Source;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.NetworkParameters;

/**
 * Ingests Bitcoin Core block files ({@code blocks/blkNNNNN.dat}, or any files in that framing, or
 * files holding one raw serialized block) into the store.
 *
 * <p>Two passes. The first reads only record framing and headers, checks every header as a node
 * would ({@link HeaderRules}: proof of work, difficulty, timestamps) and chooses the main chain
 * ({@link MainChain}) by the work the valid headers prove. The second parses each main-chain block ({@link BlockParser}, with
 * bitcoinj) on a few worker threads, checks its transactions against the header's merkle root and their witnesses against
 * the coinbase's commitment, and appends the blocks in
 * chain order, each in one atomic batch with its checkpoint. Blocks already stored are skipped, so
 * an interrupted ingest run again continues after the last complete block and writes nothing twice.
 *
 * <p>Each input file is all or nothing. On bad input (damaged framing or bytes, a header that breaks a
 * rule) nothing of the file that holds the fault, nor of the files after it, is stored (what was
 * written of them is rolled back); the files before it are; then a {@link BlockFileException} names
 * the file and byte offset.
 */
public final class BlockFileSource implements Source<BlockFileSource.Summary> {
    /** Checkpoint name of this source in the store. */
    public static final String CHECKPOINT = "btc-blocks";
    private static final Pattern BLK = Pattern.compile("blk\\d{5}\\.dat");
    private static final int PARSE_AHEAD = 64;

    private final BlockSink store;
    private final List<Path> inputs;
    private final int threads;

    /** Directories (their blkNNNNN.dat in order) and files, in the order given, parsed on one thread per core. */
    public BlockFileSource(BlockSink store, List<Path> inputs) {
        this(store, inputs, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public BlockFileSource(BlockSink store, List<Path> inputs, int threads) {
        this.store = store;
        this.inputs = List.copyOf(inputs);
        this.threads = threads;
    }

    @Override
    public String name() {
        return CHECKPOINT;
    }

    @Override
    public Kind kind() {
        return Kind.BITCOIN;
    }

    /**
     * What an ingest did.
     *
     * @param written blocks appended
     * @param skipped main-chain blocks already stored
     * @param stale   blocks off the most-work branch, not ingested
     */
    public record Summary(long written, long skipped, long stale, long transactions, Duration elapsed) implements Source.Report {
        @Override
        public String describe() {
            double secs = Math.max(1e-9, elapsed.toNanos() / 1e9);
            return String.format("ingested %,d blocks, %,d transactions in %.1f s (%,.0f tx/s); %,d already stored, %,d stale not ingested",
                    written, transactions, secs, transactions / secs, skipped, stale);
        }
    }

    @Override
    public Summary run(IngestListener listener) {
        long start = System.nanoTime();
        List<Path> files = expand(inputs);
        BlockFileScanner.Scan scan = new BlockFileScanner().scan(files);
        BitcoinNetwork network = scan.network().orElse(BitcoinNetwork.MAINNET);
        NetworkParameters params = NetworkParameters.of(network);
        Hash256 genesis = new Hash256(params.getGenesisBlock().getHash().getBytes());
        BlockParser parser = new BlockParser(network);
        // Each input is all or nothing: a file with a fault gives no block, and neither do the files after it.
        List<BlockRecord> records = scan.fault().map(f -> before(scan.records(), f.file())).orElse(scan.records());
        MainChain.Plan plan = MainChain.plan(records, store, genesis, parser::bip34Height,
                new HeaderRules(network, Instant.now().getEpochSecond()));

        long written = 0;
        long skipped = 0;
        long txs = 0;
        List<MainChain.Planned> todo = new ArrayList<>();
        for (MainChain.Planned p : plan.blocks()) {
            if (store.hasBlock(p.record().hash())) {
                skipped++;
            } else {
                todo.add(p);
            }
        }
        listener.started(todo.size(), skipped);
        Optional<Checkpoint> before = store.checkpoint(CHECKPOINT);
        long done = before.map(Checkpoint::blocksDone).orElse(0L);
        List<MainChain.Planned> appended = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, new ParserThreads());
        try {
            ArrayDeque<Future<NewBlock>> ahead = new ArrayDeque<>();
            int next = 0;
            for (int i = 0; i < todo.size(); i++) {
                while (next < todo.size() && ahead.size() < PARSE_AHEAD) {
                    MainChain.Planned p = todo.get(next++);
                    ahead.add(pool.submit(() -> parser.parse(p)));
                }
                NewBlock block;
                try {
                    block = await(ahead.poll());
                } catch (BlockFileException fault) {
                    store.sync();
                    rollBack(appended, files, fault.file(), before);
                    throw fault;
                }
                MainChain.Planned p = todo.get(i);
                if (store.append(block, new Checkpoint(CHECKPOINT, block.hash(), p.height(), done + 1))) {
                    done++;
                    written++;
                    txs += block.transactions().size();
                    appended.add(p);
                }
                listener.block(block.transactions().size());
            }
        } finally {
            pool.shutdownNow();
        }
        store.sync(); // everything appended is written before we report or fail
        // The first fault in input order: a header that breaks a rule lies before where the scan stopped.
        if (plan.fault().isPresent()) {
            throw plan.fault().get();
        }
        if (scan.fault().isPresent()) {
            throw scan.fault().get();
        }
        return new Summary(written, skipped, plan.stale().size(), txs, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The records of the files before {@code file} in input order. */
    static List<BlockRecord> before(List<BlockRecord> records, Path file) {
        int first = Integer.MAX_VALUE;
        for (BlockRecord r : records) {
            if (r.file().equals(file)) {
                first = Math.min(first, r.order());
            }
        }
        int cut = first;
        return records.stream().filter(r -> r.order() < cut).toList();
    }

    /**
     * Takes back, tip first, what this run appended from the first block of {@code faulty} or a later input
     * on: a failed input leaves the store as it was before it. The checkpoint goes back with the blocks.
     */
    private void rollBack(List<MainChain.Planned> appended, List<Path> files, Path faulty, Optional<Checkpoint> before) {
        int bad = files.indexOf(faulty);
        int from = appended.size();
        for (int i = 0; i < appended.size(); i++) {
            if (files.indexOf(appended.get(i).record().file()) >= bad) {
                from = i;
                break;
            }
        }
        for (int i = appended.size() - 1; i >= from; i--) {
            Optional<Checkpoint> cp = before;
            if (i > 0) {
                MainChain.Planned parent = appended.get(i - 1);
                cp = Optional.of(new Checkpoint(CHECKPOINT, parent.record().hash(), parent.height(),
                        before.map(Checkpoint::blocksDone).orElse(0L) + i));
            }
            store.disconnect(appended.get(i).record().hash(), CHECKPOINT, cp);
        }
    }

    private static NewBlock await(Future<NewBlock> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Directories become their blkNNNNN.dat files in name order; files stay as given. */
    static List<Path> expand(List<Path> inputs) {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                List<Path> blk = new ArrayList<>();
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(in)) {
                    for (Path p : ds) {
                        if (BLK.matcher(p.getFileName().toString()).matches()) {
                            blk.add(p);
                        }
                    }
                } catch (IOException e) {
                    throw new BlockFileException(in, -1, "cannot read directory: " + BlockFileScanner.describe(e), e);
                }
                if (blk.isEmpty()) {
                    throw new BlockFileException(in, -1, "no blkNNNNN.dat files in this directory");
                }
                blk.sort(null);
                files.addAll(blk);
            } else if (Files.isRegularFile(in)) {
                if (!Files.isReadable(in)) {
                    throw new BlockFileException(in, -1, "cannot read: permission denied");
                }
                files.add(in);
            } else if (Files.exists(in)) {
                throw new BlockFileException(in, -1, "not a regular file or directory");
            } else {
                throw new BlockFileException(in, -1, "no such file or directory");
            }
        }
        return files;
    }

    /** bitcoinj wants a Context on each thread that parses. */
    private static final class ParserThreads implements ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(() -> {
                Context.propagate(new Context());
                r.run();
            }, "block-parser-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
