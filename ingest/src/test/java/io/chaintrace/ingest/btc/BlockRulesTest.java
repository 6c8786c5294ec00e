package io.chaintrace.ingest.btc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.base.VarInt;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutPoint;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.script.ScriptBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules Bitcoin Core checks of a block and its transactions before it looks at the chain (CheckBlock,
 * CheckTransaction), which bytes under a good merkle root can still break: a real block with its last transaction
 * repeated keeps its header (CVE-2012-2459); the others are real blocks changed and their merkle root made good (what a
 * block at a low target, regtest's, can be). Each is refused with the transaction and the rule; the real blocks pass.
 */
class BlockRulesTest {
    @BeforeEach
    void context() {
        Context.propagate(new Context());
    }

    @Test
    void aRealBlockWithItsLastTransactionRepeatedKeepsItsHeaderAndIsRefused() throws Exception {
        int tried = 0;
        for (byte[] bytes : TransactionIdsTest.realBlocks()) {
            List<Transaction> txs = BlockParser.decode(bytes, TransactionIdsTest.headerHash(bytes)).block().getTransactions();
            if (txs.size() % 2 == 0 || txs.size() < 3) {
                continue; // the repeat keeps the root where the last transaction is paired with itself
            }
            Transaction last = txs.getLast();
            ByteArrayOutputStream repeated = new ByteArrayOutputStream();
            repeated.write(bytes, 0, Block.HEADER_SIZE);
            repeated.write(VarInt.of(txs.size() + 1L).serialize());
            int body = Block.HEADER_SIZE + VarInt.sizeOf(txs.size());
            repeated.write(bytes, body, bytes.length - body);
            repeated.write(last.serialize());
            byte[] changed = repeated.toByteArray();
            assertEquals(TransactionIdsTest.headerHash(bytes), TransactionIdsTest.headerHash(changed), "the header is the mined one");
            BlockParser.InvalidBlock refused = assertThrows(BlockParser.InvalidBlock.class,
                    () -> BlockParser.decode(changed, TransactionIdsTest.headerHash(changed)));
            assertTrue(refused.getMessage().contains("transaction " + txs.size() + " repeats transaction " + (txs.size() - 1)),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("CVE-2012-2459"), refused.getMessage());
            tried++;
        }
        assertTrue(tried >= 5, "real blocks of an odd count of transactions: " + tried);
    }

    @Test
    void anOutputWorthLessThanNothingOrMoreThanAllBitcoinIsRefused() throws Exception {
        assertRefused(txs -> setValue(txs, 1, 0, -1), "transaction 1 (", "output 0 is worth -1 satoshi, outside 0 to 21 million bitcoin");
        assertRefused(txs -> setValue(txs, 1, 0, 2_100_000_000_000_001L), "output 0 is worth 2100000000000001 satoshi");
        assertRefused(txs -> {
            setValue(txs, 1, 0, 2_100_000_000_000_000L); // all there can be: allowed alone
            txs.get(1).addOutput(Coin.SATOSHI, ScriptBuilder.createOpReturnScript(new byte[0]));
        }, "its outputs add up to more than 21 million bitcoin");
    }

    @Test
    void anOutputSpentTwiceByOneTransactionIsRefused() throws Exception {
        // Transaction 1 of the block has five inputs.
        assertRefused(txs -> {
            Transaction tx = txs.get(1);
            assertEquals(5, tx.getInputs().size());
            tx.addInput(new TransactionInput(tx, new byte[0], tx.getInput(2).getOutpoint()));
        }, "inputs 2 and 5 both spend");
        assertRefused(txs -> { // past 16 inputs the check keeps a set
            Transaction tx = txs.get(1);
            for (int i = 5; i < 20; i++) {
                tx.addInput(new TransactionInput(tx, new byte[0], new TransactionOutPoint(1000 + i, Sha256Hash.of(new byte[] {(byte) i}))));
            }
            tx.addInput(new TransactionInput(tx, new byte[0], tx.getInput(3).getOutpoint()));
        }, "inputs 3 and 20 both spend");
    }

    @Test
    void aCoinbaseOnlyFirstWithAScriptOfTwoToAHundredBytes() throws Exception {
        assertRefused(txs -> txs.add(coinbase(new byte[] {1, 2, 3})), "a coinbase after the block's first transaction");
        assertRefused(txs -> txs.set(0, coinbase(new byte[] {1})), "transaction 0 (", "a coinbase script of 1 bytes (2 to 100 allowed)");
        assertRefused(txs -> txs.set(0, coinbase(new byte[101])), "a coinbase script of 101 bytes");
        assertRefused(txs -> {
            Transaction tx = txs.get(1);
            tx.addInput(new TransactionInput(tx, new byte[0], new TransactionOutPoint(0xffffffffL, Sha256Hash.ZERO_HASH)));
        }, "spends the null outpoint, which only a coinbase may");
    }

    @Test
    void aBlockHeavierThanFourMillionUnitsIsRefused() throws Exception {
        // A million bytes of script in one output: the block without witnesses is over 1 MB, so its weight (three times
        // that, plus its whole size) is over 4,000,000 while its bytes are under 4 MB.
        assertRefused(txs -> txs.get(1).addOutput(new TransactionOutput(txs.get(1), Coin.ZERO, new byte[1_000_000])), "it weighs ",
                " units, more than the 4000000 a block may (BIP141");
    }

    @Test
    void aTransactionWithoutOutputsIsRefused() throws Exception {
        assertRefused(txs -> txs.get(1).clearOutputs(), "transaction 1 (", "no outputs");
    }

    /** The real block of January 2019 (no witness data changed: its witness commitment is left out of these) changed. */
    private static void assertRefused(Consumer<List<Transaction>> change, String... what) throws Exception {
        byte[] bytes = TransactionIdsTest.realBlocks(SharedData.blk("block2019Jan.blk")).getFirst();
        Block real = BlockParser.decode(bytes, TransactionIdsTest.headerHash(bytes)).block();
        List<Transaction> txs = new ArrayList<>();
        for (Transaction tx : real.getTransactions()) {
            txs.add(Transaction.read(java.nio.ByteBuffer.wrap(tx.serialize())));
        }
        change.accept(txs);
        byte[] changed = new Block(real.getVersion(), real.getPrevBlockHash(), null, real.time(), real.getDifficultyTarget(),
                real.getNonce(), txs).serialize();
        BlockParser.InvalidBlock refused = assertThrows(BlockParser.InvalidBlock.class,
                () -> BlockParser.decode(changed, TransactionIdsTest.headerHash(changed)));
        for (String w : what) {
            assertTrue(refused.getMessage().contains(w), refused.getMessage());
        }
    }

    private static void setValue(List<Transaction> txs, int tx, int output, long value) {
        Transaction t = txs.get(tx);
        List<TransactionOutput> outs = new ArrayList<>(t.getOutputs());
        t.clearOutputs();
        for (int o = 0; o < outs.size(); o++) {
            t.addOutput(new TransactionOutput(t, o == output ? Coin.valueOf(value) : outs.get(o).getValue(), outs.get(o).getScriptBytes()));
        }
    }

    /** A coinbase of that script (bitcoinj's {@code Transaction.coinbase} refuses to make one of a length Core refuses). */
    private static Transaction coinbase(byte[] script) {
        Transaction tx = new Transaction();
        tx.addInput(new TransactionInput(tx, script, new TransactionOutPoint(0xffffffffL, Sha256Hash.ZERO_HASH)));
        tx.addOutput(Coin.ZERO, ScriptBuilder.createOpReturnScript(new byte[0]));
        return tx;
    }
}
