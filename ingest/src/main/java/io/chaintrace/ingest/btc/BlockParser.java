package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptClassifier;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.graph.NewBlock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.base.VarInt;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.ProtocolException;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutPoint;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.core.TransactionWitness;

/**
 * Reads, parses, checks and converts one Bitcoin block: the second pass of {@link BlockFileSource} and each block
 * {@link BitcoinRpcSource} fetches. Thread-safe.
 */
final class BlockParser {
    private final ScriptClassifier classifier;
    private final ConcurrentHashMap<Path, XorKey> keys = new ConcurrentHashMap<>();

    /** A parsed block and its transaction ids, in block order. */
    record ParsedBlock(Block block, List<Sha256Hash> txids) {
    }

    BlockParser(BitcoinNetwork network) {
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
     * Parses the bytes of the block {@code hash} names and checks them: all of them one block of at most
     * 4,000,000 weight units, its transactions under the header's merkle root and within Core's rules
     * (see invalidity), their witnesses under the coinbase's commitment. The header's own hash is the
     * caller's to check.
     */
    static ParsedBlock decode(byte[] bytes, Hash256 hash) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        MessageDigest sha256 = Sha256Hash.newDigest();
        Block block;
        List<Sha256Hash> txids;
        int[] bounds; // transaction i lies in bytes[bounds[i], bounds[i + 1])
        boolean witnesses = false;
        long stripped; // the block's size without witness data
        try {
            // bitcoinj's Block.read, a transaction at a time, so that each one's bytes are known (see txid).
            Block header = Block.read(ByteBuffer.wrap(bytes, 0, Math.min(bytes.length, Block.HEADER_SIZE)));
            buf.position(Block.HEADER_SIZE);
            VarInt count = VarInt.read(buf);
            if (!count.fitsInt()) {
                throw new ProtocolException("a transaction count of " + count.longValue());
            }
            int n = count.intValue();
            stripped = buf.position();
            // Sized by the bytes there are, not by the count a damaged block may state.
            int expected = Math.min(n, buf.remaining() / 60 + 1);
            List<Transaction> txs = new ArrayList<>(expected);
            txids = new ArrayList<>(expected);
            bounds = new int[expected + 1];
            for (int i = 0; i < n; i++) {
                int start = buf.position();
                if (i + 1 >= bounds.length) {
                    bounds = Arrays.copyOf(bounds, bounds.length * 2);
                }
                bounds[i] = start;
                Transaction tx = Transaction.read(buf);
                txs.add(tx);
                int size = strippedSize(bytes, start, buf.position(), tx);
                txids.add(txid(sha256, bytes, start, buf.position(), size));
                witnesses |= segwit(bytes, start);
                stripped += size;
            }
            bounds[n] = buf.position();
            block = new Block(header.getVersion(), header.getPrevBlockHash(), header.getMerkleRoot(), header.time(),
                    header.getDifficultyTarget(), header.getNonce(), txs);
        } catch (ProtocolException | java.nio.BufferUnderflowException | IllegalArgumentException | ArithmeticException e) {
            throw new InvalidBlock("cannot parse block " + hash + ": " + reason(e), e);
        }
        if (buf.hasRemaining()) {
            throw new InvalidBlock("block " + hash + " ends after " + buf.position() + " bytes but " + bytes.length + " were given",
                    null);
        }
        long weight = 3 * stripped + bytes.length;
        if (weight > MAX_WEIGHT) {
            throw new InvalidBlock("invalid block " + hash + ": it weighs " + weight + " units, more than the " + MAX_WEIGHT
                    + " a block may (BIP141: three times its size without witnesses, plus its size)", null);
        }
        String invalid = invalidity(block, txids, sha256);
        if (invalid == null && witnesses) {
            invalid = witnessInvalidity(block, txids, bytes, bounds, sha256);
        }
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
    static Sha256Hash txid(MessageDigest sha256, byte[] bytes, int start, int end, int strippedSize) {
        sha256.reset();
        if (segwit(bytes, start)) {
            sha256.update(bytes, start, 4);
            sha256.update(bytes, start + 6, strippedSize - 8);
            sha256.update(bytes, end - 4, 4);
        } else {
            sha256.update(bytes, start, end - start);
        }
        byte[] once = sha256.digest();
        return Sha256Hash.wrapReversed(sha256.digest(once));
    }

    /** The size of the transaction {@code tx} parsed from {@code bytes[start, end)} without marker, flag and witnesses. */
    static int strippedSize(byte[] bytes, int start, int end, Transaction tx) {
        if (!segwit(bytes, start)) {
            return end - start;
        }
        int body = VarInt.sizeOf(tx.getInputs().size()) + VarInt.sizeOf(tx.getOutputs().size());
        for (TransactionInput in : tx.getInputs()) {
            body += in.messageSize();
        }
        for (TransactionOutput out : tx.getOutputs()) {
            body += out.messageSize();
        }
        return 4 + body + 4;
    }

    /** The most a block may weigh (BIP141's MAX_BLOCK_WEIGHT); before SegWit, the 1 MB limit it extends. */
    private static final long MAX_WEIGHT = 4_000_000;

    /** Whether the transaction at {@code start} is in the SegWit serialization: a marker 0x00 and a non-zero flag (BIP144). */
    private static boolean segwit(byte[] bytes, int start) {
        return bytes[start + 4] == 0 && bytes[start + 5] != 0;
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
     * txids catches bytes damaged inside a block; then the rules Bitcoin Core checks of a block and its
     * transactions before it looks at the chain (CheckBlock, CheckTransaction), which a block at a low
     * target (regtest's, a test network's) can break with a good merkle root: no txid twice (a block
     * with its last transactions repeated has the same merkle root, CVE-2012-2459), one coinbase,
     * first, see {@link #transactionInvalidity}. (bitcoinj's verifyTransactions would also apply the
     * pre-SegWit 1 MB size rule, which real SegWit blocks exceed.)
     */
    private static String invalidity(Block block, List<Sha256Hash> txids, MessageDigest sha256) {
        List<Transaction> txs = block.getTransactions();
        if (txs == null || txs.isEmpty()) {
            return "no transactions";
        }
        if (!txs.getFirst().isCoinBase()) {
            return "first transaction is not a coinbase";
        }
        List<byte[]> leaves = new ArrayList<>(txs.size());
        for (Sha256Hash txid : txids) {
            leaves.add(txid.getReversedBytes());
        }
        Sha256Hash root = Sha256Hash.wrapReversed(merkleRoot(leaves, sha256));
        if (!root.equals(block.getMerkleRoot())) {
            return "merkle root of its transactions " + root + " differs from the header's " + block.getMerkleRoot();
        }
        Map<Sha256Hash, Integer> seen = new HashMap<>(txids.size() * 2);
        for (int i = 0; i < txs.size(); i++) {
            Integer before = seen.putIfAbsent(txids.get(i), i);
            if (before != null) {
                return "transaction " + i + " repeats transaction " + before + " (" + txids.get(i)
                        + "): a block with transactions repeated keeps its merkle root (CVE-2012-2459) but is not the block mined";
            }
            String invalid = transactionInvalidity(txs.get(i), i);
            if (invalid != null) {
                return "transaction " + i + " (" + txids.get(i) + "): " + invalid;
            }
        }
        return null;
    }

    /** The most satoshi there can be (Bitcoin Core's MAX_MONEY): no output, nor a transaction's outputs together, above it. */
    private static final long MAX_MONEY = 21_000_000L * 100_000_000L;

    /**
     * Why the {@code index}th transaction of a block breaks a rule of Bitcoin Core's CheckTransaction, or null: inputs and
     * outputs, amounts within 0..21 million bitcoin each and together, no output spent twice by one transaction, a coinbase
     * only first and with a script of 2-100 bytes, no other input spending the coinbase's null outpoint.
     */
    private static String transactionInvalidity(Transaction tx, int index) {
        List<TransactionInput> inputs = tx.getInputs();
        if (inputs.isEmpty()) {
            return "no inputs";
        }
        if (tx.getOutputs().isEmpty()) {
            return "no outputs";
        }
        long total = 0;
        for (int o = 0; o < tx.getOutputs().size(); o++) {
            long value = tx.getOutputs().get(o).getValue().value;
            if (value < 0 || value > MAX_MONEY) {
                return "output " + o + " is worth " + value + " satoshi, outside 0 to 21 million bitcoin";
            }
            total += value;
            if (total > MAX_MONEY) {
                return "its outputs add up to more than 21 million bitcoin";
            }
        }
        if (tx.isCoinBase()) {
            if (index != 0) {
                return "a coinbase after the block's first transaction";
            }
            int length = inputs.getFirst().getScriptBytes().length;
            if (length < 2 || length > 100) {
                return "a coinbase script of " + length + " bytes (2 to 100 allowed)";
            }
            return null;
        }
        // Most transactions have one or two inputs: compared pairwise, a set only for the many (a hostile block's
        // tens of thousands would be billions of pairs).
        Map<TransactionOutPoint, Integer> many = inputs.size() > 16 ? new HashMap<>(inputs.size() * 2) : null;
        for (int i = 0; i < inputs.size(); i++) {
            TransactionOutPoint spent = inputs.get(i).getOutpoint();
            if (inputs.get(i).isCoinBase()) {
                return "input " + i + " spends the null outpoint, which only a coinbase may";
            }
            int before = -1;
            if (many != null) {
                before = many.getOrDefault(spent, -1);
                many.putIfAbsent(spent, i);
            } else {
                for (int j = 0; j < i && before < 0; j++) {
                    before = inputs.get(j).getOutpoint().equals(spent) ? j : -1;
                }
            }
            if (before >= 0) {
                return "inputs " + before + " and " + i + " both spend " + spent.hash() + ":" + spent.index();
            }
        }
        return null;
    }

    /**
     * Why the witnesses of a block that carries some are not the ones its coinbase commits to, or null (BIP141). The
     * txids and so the header's merkle root leave witnesses out; the commitment is what covers them, so without this a
     * changed witness byte would pass. The coinbase's last output whose script begins {@code 6a24aa21a9ed} holds the
     * double SHA-256 of the merkle root of the block's wtxids (the coinbase's taken as zero) followed by the coinbase
     * input's one witness item of 32 bytes. A block with witnesses and no commitment is refused as Bitcoin Core refuses
     * it ("unexpected-witness"). Blocks without witness data are not checked here: before SegWit some coinbases
     * carried the output without the item it needs.
     */
    private static String witnessInvalidity(Block block, List<Sha256Hash> txids, byte[] bytes, int[] bounds, MessageDigest sha256) {
        Transaction coinbase = block.getTransactions().getFirst();
        byte[] committed = null;
        for (TransactionOutput out : coinbase.getOutputs()) {
            byte[] script = out.getScriptBytes();
            if (script.length >= 38 && Arrays.equals(script, 0, 6, WITNESS_COMMITMENT, 0, 6)) {
                committed = Arrays.copyOfRange(script, 6, 38);
            }
        }
        if (committed == null) {
            return "its transactions carry witness data but its coinbase commits to none (BIP141)";
        }
        TransactionWitness reserved = coinbase.getInput(0).getWitness();
        if (reserved.getPushCount() != 1 || reserved.getPush(0).length != 32) {
            return "its coinbase's witness is " + reserved.getPushCount() + " items, not the one 32-byte item the witness commitment needs (BIP141)";
        }
        int n = block.getTransactions().size();
        List<byte[]> wtxids = new ArrayList<>(n);
        wtxids.add(new byte[32]);
        for (int i = 1; i < n; i++) {
            if (segwit(bytes, bounds[i])) {
                sha256.update(bytes, bounds[i], bounds[i + 1] - bounds[i]);
                wtxids.add(sha256.digest(sha256.digest()));
            } else {
                wtxids.add(txids.get(i).getReversedBytes()); // without witnesses a wtxid is the txid, hashed already
            }
        }
        sha256.update(merkleRoot(wtxids, sha256));
        sha256.update(reserved.getPush(0));
        byte[] commitment = sha256.digest(sha256.digest());
        if (!Arrays.equals(commitment, committed)) {
            return "witness commitment of its transactions " + Sha256Hash.wrap(commitment) + " differs from the coinbase's "
                    + Sha256Hash.wrap(committed) + " (BIP141): witness data changed";
        }
        return null;
    }

    /** The start of a witness commitment's script: OP_RETURN, a push of 36 bytes, and the tag 0xaa21a9ed (BIP141). */
    private static final byte[] WITNESS_COMMITMENT = {0x6a, 0x24, (byte) 0xaa, 0x21, (byte) 0xa9, (byte) 0xed};

    /** The merkle root of {@code leaves} (digests in their internal order), the last of an odd level paired with itself. */
    private static byte[] merkleRoot(List<byte[]> leaves, MessageDigest sha256) {
        List<byte[]> level = leaves;
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
        return level.getFirst();
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
