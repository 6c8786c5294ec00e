package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.bitcoinj.base.VarInt;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.core.TransactionWitness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A block's witnesses are held to its coinbase's commitment (BIP141), the only thing that covers them: the real SegWit
 * blocks in ../shared/data/btc pass; a changed byte in any of their witnesses, a coinbase without the commitment or with
 * a witness reserved value that is not one 32-byte item, or another one, are each refused with what is wrong. (The
 * refused blocks are rebuilt with their merkle root recomputed, so that only the witness check can refuse them.)
 */
class WitnessCommitmentTest {
    @BeforeEach
    void context() {
        Context.propagate(new Context());
    }

    @Test
    void aChangedByteInAnyWitnessOfARealBlockIsRefused() throws Exception {
        int blocks = 0;
        int changes = 0;
        for (byte[] bytes : TransactionIdsTest.realBlocks()) {
            List<Transaction> txs = BlockParser.decode(bytes, TransactionIdsTest.headerHash(bytes)).block().getTransactions();
            int start = Block.HEADER_SIZE + VarInt.sizeOf(txs.size());
            boolean witnesses = false;
            for (Transaction tx : txs) {
                int end = start + tx.messageSize();
                TransactionWitness last = tx.getInput(tx.getInputs().size() - 1).getWitness();
                if (!tx.isCoinBase() && last.getPushCount() > 0 && last.getPush(last.getPushCount() - 1).length > 0
                        && (changes < 40 || !witnesses)) {
                    witnesses = true;
                    byte[] changed = bytes.clone();
                    changed[end - 5] ^= 0x10; // the last byte of the last input's last witness item, before the lock time
                    BlockParser.InvalidBlock refused = assertThrows(BlockParser.InvalidBlock.class,
                            () -> BlockParser.decode(changed, TransactionIdsTest.headerHash(changed)), "transaction " + tx.getTxId());
                    assertTrue(refused.getMessage().contains("witness commitment of its transactions"), refused.getMessage());
                    assertTrue(refused.getMessage().contains("witness data changed"), refused.getMessage());
                    changes++;
                }
                start = end;
            }
            assertEquals(bytes.length, start, "the transactions' sizes add up to the block's");
            blocks += witnesses ? 1 : 0;
        }
        assertTrue(blocks >= 3 && changes >= 40, blocks + " real blocks with witnesses, " + changes + " witnesses changed");
    }

    @Test
    void witnessesUnderACoinbaseWithoutTheCommitmentAreRefused() throws Exception {
        String refused = refusal(coinbase -> {
            Transaction without = copy(coinbase);
            without.clearOutputs();
            for (TransactionOutput out : coinbase.getOutputs()) {
                if (!isCommitment(out.getScriptBytes())) {
                    without.addOutput(new TransactionOutput(without, out.getValue(), out.getScriptBytes()));
                }
            }
            assertTrue(without.getOutputs().size() < coinbase.getOutputs().size(), "the real coinbase had a commitment");
            return without;
        });
        assertTrue(refused.contains("its transactions carry witness data but its coinbase commits to none (BIP141)"), refused);
    }

    @Test
    void aWitnessReservedValueThatIsNotOne32ByteItemIsRefused() throws Exception {
        String twoItems = refusal(coinbase -> withReserved(coinbase, TransactionWitness.of(new byte[32], new byte[32])));
        assertTrue(twoItems.contains("coinbase's witness is 2 items, not the one 32-byte item"), twoItems);
        String shortItem = refusal(coinbase -> withReserved(coinbase, TransactionWitness.of(new byte[31])));
        assertTrue(shortItem.contains("not the one 32-byte item"), shortItem);
    }

    @Test
    void anotherWitnessReservedValueIsRefused() throws Exception {
        byte[] other = new byte[32];
        other[31] = 1;
        String refused = refusal(coinbase -> withReserved(coinbase, TransactionWitness.of(other)));
        assertTrue(refused.contains("differs from the coinbase's"), refused);
    }

    /** What the parser says of the real SegWit block of January 2019 with its coinbase replaced and its merkle root made good. */
    private static String refusal(UnaryOperator<Transaction> coinbase) throws Exception {
        byte[] bytes = TransactionIdsTest.realBlocks(SharedData.blk("block2019Jan.blk")).getFirst();
        Block real = BlockParser.decode(bytes, TransactionIdsTest.headerHash(bytes)).block();
        List<Transaction> txs = new ArrayList<>(real.getTransactions());
        txs.set(0, coinbase.apply(txs.getFirst()));
        Block rebuilt = new Block(real.getVersion(), real.getPrevBlockHash(), null, real.time(), real.getDifficultyTarget(),
                real.getNonce(), txs);
        byte[] changed = rebuilt.serialize();
        assertTrue(!Arrays.equals(bytes, changed), "the block was changed");
        BlockParser.InvalidBlock refused = assertThrows(BlockParser.InvalidBlock.class,
                () -> BlockParser.decode(changed, TransactionIdsTest.headerHash(changed)));
        assertTrue(!refused.getMessage().contains("merkle root"), "only the witness check refuses it: " + refused.getMessage());
        return refused.getMessage();
    }

    private static Transaction withReserved(Transaction coinbase, TransactionWitness reserved) {
        Transaction copy = copy(coinbase);
        copy.replaceInput(0, copy.getInput(0).withWitness(reserved));
        return copy;
    }

    private static Transaction copy(Transaction tx) {
        return Transaction.read(java.nio.ByteBuffer.wrap(tx.serialize()));
    }

    private static boolean isCommitment(byte[] script) {
        return script.length >= 38 && (script[0] & 0xff) == 0x6a && script[1] == 0x24 && (script[2] & 0xff) == 0xaa
                && script[3] == 0x21 && (script[4] & 0xff) == 0xa9 && (script[5] & 0xff) == 0xed;
    }
}
