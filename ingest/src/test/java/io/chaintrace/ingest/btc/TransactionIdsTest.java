package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.base.VarInt;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionWitness;
import org.junit.jupiter.api.Test;

/**
 * The ids the parser hashes from a block's own bytes ({@link BlockParser#txid}) are bitcoinj's, which
 * serializes each parsed transaction again: for every transaction of the real mainnet blocks in ../shared/data/btc,
 * SegWit spends (marker, flag and witnesses left out of the id) and legacy ones alike.
 */
class TransactionIdsTest {
    @Test
    void theIdsHashedFromTheBlocksBytesAreBitcoinjs() throws Exception {
        Context.propagate(new Context());
        int segwit = 0;
        int legacy = 0;
        List<byte[]> blocks = realBlocks();
        assertTrue(blocks.size() > 1_000, "real blocks in ../shared/data/btc: " + blocks.size());
        for (byte[] bytes : blocks) {
            BlockParser.ParsedBlock parsed = BlockParser.decode(bytes, headerHash(bytes));
            List<Transaction> txs = parsed.block().getTransactions();
            assertEquals(txs.size(), parsed.txids().size());
            for (int i = 0; i < txs.size(); i++) {
                assertEquals(txs.get(i).getTxId(), parsed.txids().get(i), "block " + headerHash(bytes) + ", transaction " + i);
                if (txs.get(i).hasWitnesses()) {
                    segwit++;
                } else {
                    legacy++;
                }
            }
        }
        assertTrue(segwit > 100 && legacy > 100, "SegWit " + segwit + ", legacy " + legacy);
    }

    @Test
    void aWitnessIsNotPartOfTheIdAndAnythingElseIs() throws Exception {
        Context.propagate(new Context());
        byte[] bytes = realBlocks(SharedData.blk("scriptwitness.blk")).getFirst();
        BlockParser.ParsedBlock parsed = BlockParser.decode(bytes, headerHash(bytes));
        List<Transaction> txs = parsed.block().getTransactions();
        int witnessByte = -1;
        int inputByte = -1;
        int start = Block.HEADER_SIZE + VarInt.sizeOf(txs.size());
        for (Transaction tx : txs) {
            int end = start + tx.messageSize();
            TransactionWitness last = tx.getInput(tx.getInputs().size() - 1).getWitness();
            if (witnessByte < 0 && tx.hasWitnesses() && !tx.isCoinBase() && last.getPushCount() > 0
                    && last.getPush(last.getPushCount() - 1).length > 0) {
                witnessByte = end - 5; // the last input's last witness push ends just before the lock time
                inputByte = start + 6 + VarInt.sizeOf(tx.getInputs().size()); // its first input's outpoint
            }
            start = end;
        }
        assertTrue(witnessByte > 0, "a SegWit spend in scriptwitness.blk");

        byte[] witnessChanged = bytes.clone();
        witnessChanged[witnessByte] ^= 1;
        assertEquals(parsed.txids(), idsOf(witnessChanged), "a witness is not part of an id");
        // The ids and the header's merkle root leave witnesses out: the coinbase's witness commitment catches the change.
        BlockParser.InvalidBlock witnessRefused = assertThrows(BlockParser.InvalidBlock.class,
                () -> BlockParser.decode(witnessChanged, headerHash(witnessChanged)));
        assertTrue(witnessRefused.getMessage().contains("witness commitment"), witnessRefused.getMessage());

        byte[] inputChanged = bytes.clone();
        inputChanged[inputByte] ^= 1;
        BlockParser.InvalidBlock refused = assertThrows(BlockParser.InvalidBlock.class,
                () -> BlockParser.decode(inputChanged, headerHash(inputChanged)));
        assertTrue(refused.getMessage().contains("merkle root"), refused.getMessage());
    }

    /** The ids {@link BlockParser#txid} hashes for every transaction of a block, parsed without any check. */
    private static List<Sha256Hash> idsOf(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        buf.position(Block.HEADER_SIZE);
        int n = VarInt.read(buf).intValue();
        java.security.MessageDigest sha256 = Sha256Hash.newDigest();
        List<Sha256Hash> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int start = buf.position();
            Transaction tx = Transaction.read(buf);
            ids.add(BlockParser.txid(sha256, bytes, start, buf.position(), BlockParser.strippedSize(bytes, start, buf.position(), tx)));
        }
        return ids;
    }

    /** Every block of the real files: blk/ in Bitcoin Core's framing (magic, length, block), raw/ a block a file. */
    static List<byte[]> realBlocks() throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(SharedData.btc().resolve("blk"))) {
            for (Path f : files.sorted().toList()) {
                out.addAll(realBlocks(f));
            }
        }
        try (Stream<Path> files = Files.list(SharedData.btc().resolve("raw"))) {
            for (Path f : files.sorted().toList()) {
                out.add(Files.readAllBytes(f));
            }
        }
        return out;
    }

    static List<byte[]> realBlocks(Path blk) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(blk)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.remaining() >= 8) {
            if (b.getInt(b.position()) == 0) { // Core's zero padding
                b.position(b.position() + 1);
                continue;
            }
            b.getInt(); // mainnet's magic
            int length = b.getInt();
            if (length > b.remaining()) {
                break; // a file cut short (first-100k-bytes.blk)
            }
            byte[] block = new byte[length];
            b.get(block);
            out.add(block);
        }
        return out;
    }

    static Hash256 headerHash(byte[] block) {
        return new Hash256(Sha256Hash.wrapReversed(Sha256Hash.hashTwice(block, 0, 80)).getBytes());
    }
}
