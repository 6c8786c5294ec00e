package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptClassifier;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.graph.BlockSink;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.NewBlock;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.Source;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.base.VarInt;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.NetworkParameters;
import org.bitcoinj.core.ProtocolException;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutput;

/**
 * Ingests Bitcoin Core block files ({@code blocks/blkNNNNN.dat}, or any files in that framing, or
 * files holding one raw serialized block) into the store.
 *
 * <p>Two passes. The first reads only record framing and headers, checks every header as a node
 * would ({@link HeaderRules}: proof of work, difficulty, timestamps) and chooses the main chain
 * ({@link MainChain}) by the work the valid headers prove. The second parses each main-chain block with bitcoinj on a few worker
 * threads, checks its transactions against the header's merkle root, and appends the blocks in
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
        Parser parser = new Parser(network);
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

    /** A parsed block and its transaction ids, in block order. */
    record ParsedBlock(Block block, List<Sha256Hash> txids) {
    }

    /** Second pass: reads, parses, verifies and converts one block. Thread-safe. */
    static final class Parser {
        private final BitcoinNetwork network;
        private final ScriptClassifier classifier;
        private final ConcurrentHashMap<Path, XorKey> keys = new ConcurrentHashMap<>();

        Parser(BitcoinNetwork network) {
            this.network = network;
            this.classifier = new ScriptClassifier(network);
        }

        NewBlock parse(MainChain.Planned p) {
            BlockRecord r = p.record();
            return convert(read(r), r.hash(), r.prev(), p.height(), p.chainWork(), r.bits());
        }

        /** A parsed block as the store takes it: its outputs classified, its inputs as outpoints. */
        NewBlock convert(ParsedBlock parsed, Hash256 hash, Hash256 prev, int height, java.math.BigInteger chainWork, long bits) {
            Block block = parsed.block();
            List<NewBlock.NewTransaction> txs = new ArrayList<>(block.getTransactions().size());
            for (int t = 0; t < block.getTransactions().size(); t++) {
                Transaction tx = block.getTransactions().get(t);
                List<Outpoint> spends = new ArrayList<>(tx.getInputs().size());
                for (TransactionInput in : tx.getInputs()) {
                    if (in.isCoinBase()) {
                        spends.add(Outpoint.COINBASE);
                    } else {
                        spends.add(new Outpoint(new Hash256(in.getOutpoint().hash().getBytes()), (int) in.getOutpoint().index()));
                    }
                }
                List<TxOutput> outputs = new ArrayList<>(tx.getOutputs().size());
                int index = 0;
                for (TransactionOutput out : tx.getOutputs()) {
                    ScriptClassifier.Owner owner = classifier.classify(out.getScriptBytes());
                    outputs.add(new TxOutput(index++, out.getValue().value, owner.kind(), owner.address()));
                }
                txs.add(new NewBlock.NewTransaction(new Hash256(parsed.txids().get(t).getBytes()), spends, outputs));
            }
            return new NewBlock(hash, prev, height, block.getTimeSeconds(), chainWork, bits, txs);
        }

        /** Reads and parses the block of a record and checks its merkle root; a fault names the file and offset. */
        ParsedBlock read(BlockRecord r) {
            try {
                return decode(bytes(r), r.hash());
            } catch (InvalidBlock e) {
                throw new BlockFileException(r.file(), where(r), garbage(r, e.getMessage()), e.getCause());
            }
        }

        /** Why bytes are not the block they should be: the message names the block. */
        static final class InvalidBlock extends RuntimeException {
            InvalidBlock(String message, Throwable cause) {
                super(message, cause);
            }
        }

        /**
         * Parses the bytes of the block {@code hash} names and checks them: all of them one block, its
         * transactions under the header's merkle root. The header's own hash is the caller's to check.
         */
        static ParsedBlock decode(byte[] bytes, Hash256 hash) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            MessageDigest sha256 = Sha256Hash.newDigest();
            Block block;
            List<Sha256Hash> txids;
            try {
                // bitcoinj's Block.read, a transaction at a time, so that each one's bytes are known (see txid).
                Block header = Block.read(ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, Block.HEADER_SIZE)));
                buf.position(Block.HEADER_SIZE);
                VarInt count = VarInt.read(buf);
                if (!count.fitsInt()) {
                    throw new ProtocolException("a transaction count of " + count.longValue());
                }
                int n = count.intValue();
                List<Transaction> txs = new ArrayList<>(Math.min(n, buf.remaining() / 60 + 1));
                txids = new ArrayList<>(txs.size());
                for (int i = 0; i < n; i++) {
                    int start = buf.position();
                    Transaction tx = Transaction.read(buf);
                    txs.add(tx);
                    txids.add(txid(sha256, bytes, start, buf.position(), tx));
                }
                block = new Block(header.getVersion(), header.getPrevBlockHash(), header.getMerkleRoot(), header.time(),
                        header.getDifficultyTarget(), header.getNonce(), txs);
            } catch (ProtocolException | java.nio.BufferUnderflowException | IllegalArgumentException | ArithmeticException e) {
                throw new InvalidBlock("cannot parse block " + hash + ": " + reason(e), e);
            }
            if (buf.hasRemaining()) {
                throw new InvalidBlock("block " + hash + " ends after " + buf.position() + " bytes but " + bytes.length + " were given",
                        null);
            }
            String invalid = invalidity(block, txids, sha256);
            if (invalid != null) {
                throw new InvalidBlock("invalid block " + hash + ": " + invalid, null);
            }
            return new ParsedBlock(block, txids);
        }

        /**
         * The id of the transaction {@code tx} parsed from {@code bytes[start, end)}: the double SHA-256 of its
         * serialization without witness data (BIP144: a SegWit serialization puts a marker 0x00 and a non-zero flag
         * after the version, and the witnesses before the lock time; the id leaves out all three), hashed from the
         * block's own bytes. bitcoinj's {@code getTxId} serializes the parsed transaction again and looks up a new
         * digest for every hash: a fifth of the parser threads at mainnet shape (issue 19). The merkle check holds
         * every id to the header, so an id computed wrong cannot pass.
         */
        static Sha256Hash txid(MessageDigest sha256, byte[] bytes, int start, int end, Transaction tx) {
            sha256.reset();
            if (bytes[start + 4] == 0 && bytes[start + 5] != 0) {
                int body = VarInt.sizeOf(tx.getInputs().size()) + VarInt.sizeOf(tx.getOutputs().size());
                for (TransactionInput in : tx.getInputs()) {
                    body += in.messageSize();
                }
                for (TransactionOutput out : tx.getOutputs()) {
                    body += out.messageSize();
                }
                sha256.update(bytes, start, 4);
                sha256.update(bytes, start + 6, body);
                sha256.update(bytes, end - 4, 4);
            } else {
                sha256.update(bytes, start, end - start);
            }
            byte[] once = sha256.digest();
            return Sha256Hash.wrapReversed(sha256.digest(once));
        }

        /** Where a record starts, for messages: its magic, or 0 for a raw block. */
        private static long where(BlockRecord r) {
            return r.raw() ? 0 : r.offset() - 8;
        }

        /** The block's bytes, obfuscation removed. */
        private byte[] bytes(BlockRecord r) {
            byte[] bytes = new byte[r.length()];
            try (FileChannel ch = FileChannel.open(r.file(), StandardOpenOption.READ)) {
                XorKey xor = keys.computeIfAbsent(r.file().toAbsolutePath().getParent(), XorKey::in);
                int n = BlockFileScanner.read(ch, r.file(), bytes, bytes.length, r.offset(), xor);
                if (n != bytes.length) {
                    throw new BlockFileException(r.file(), where(r), "file shrank while reading: block cut short");
                }
            } catch (IOException e) {
                throw new BlockFileException(r.file(), where(r), "cannot read: " + BlockFileScanner.describe(e), e);
            }
            return bytes;
        }

        /**
         * Why a parsed block cannot be the block its header names, or null. The merkle root over the
         * txids catches bytes damaged inside a block. (bitcoinj's verifyTransactions would also apply
         * the pre-SegWit 1 MB size rule, which real SegWit blocks exceed.)
         */
        private static String invalidity(Block block, List<Sha256Hash> txids, MessageDigest sha256) {
            List<Transaction> txs = block.getTransactions();
            if (txs == null || txs.isEmpty()) {
                return "no transactions";
            }
            if (!txs.getFirst().isCoinBase()) {
                return "first transaction is not a coinbase";
            }
            List<byte[]> level = new ArrayList<>(txs.size());
            for (Sha256Hash txid : txids) {
                level.add(txid.getReversedBytes());
            }
            while (level.size() > 1) {
                List<byte[]> up = new ArrayList<>((level.size() + 1) / 2);
                for (int i = 0; i < level.size(); i += 2) {
                    byte[] left = level.get(i);
                    byte[] right = i + 1 < level.size() ? level.get(i + 1) : left;
                    sha256.update(left);
                    sha256.update(right);
                    up.add(sha256.digest(sha256.digest()));
                }
                level = up;
            }
            Sha256Hash root = Sha256Hash.wrapReversed(level.getFirst());
            if (!root.equals(block.getMerkleRoot())) {
                return "merkle root of its transactions " + root + " differs from the header's " + block.getMerkleRoot();
            }
            return null;
        }

        private static String garbage(BlockRecord r, String problem) {
            if (r.raw()) {
                return String.format("no block-file magic at offset 0 (first bytes read as 0x%08x) and not a raw block either: %s",
                        Integer.reverseBytes((int) r.version()), problem);
            }
            return problem;
        }

        private static String reason(Exception e) {
            if (e instanceof java.nio.BufferUnderflowException) {
                return "the bytes end before the block's transactions do";
            }
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }

        /** The height a version >= 2 block states in its coinbase (BIP34), or -1. Parses the coinbase only. */
        int bip34Height(BlockRecord r) {
            byte[] s;
            try {
                ByteBuffer buf = ByteBuffer.wrap(bytes(r));
                buf.position(BlockFileScanner.HEADER);
                VarInt.read(buf); // transaction count
                Transaction coinbase = Transaction.read(buf);
                if (!coinbase.isCoinBase()) {
                    return -1;
                }
                s = coinbase.getInput(0).getScriptBytes();
            } catch (BlockFileException | ProtocolException | java.nio.BufferUnderflowException | IllegalArgumentException e) {
                return -1; // the second pass parses the whole block and reports what is wrong, in order
            }
            if (s.length == 0) {
                return -1;
            }
            int op = s[0] & 0xff;
            if (op == 0) {
                return 0;
            }
            if (op >= 0x51 && op <= 0x60) {
                return op - 0x50;
            }
            if (op >= 1 && op <= 4 && s.length > op) {
                long h = 0;
                for (int i = op; i >= 1; i--) {
                    h = h << 8 | (s[i] & 0xff);
                }
                return h <= Integer.MAX_VALUE ? (int) h : -1;
            }
            return -1;
        }
    }
}
