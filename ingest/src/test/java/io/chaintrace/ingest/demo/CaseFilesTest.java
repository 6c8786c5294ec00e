package io.chaintrace.ingest.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.btc.BlockFileSource;
import io.chaintrace.scenarios.ExchangeHack;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bitcoinj.base.internal.ByteUtils;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Context;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptChunk;
import org.bitcoinj.script.ScriptOpCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's block file is a chain Bitcoin Core would take on regtest: each block's coinbase states the height the block
 * is stored at (BIP34, in force on regtest from block 1), read back by bitcoinj from the file's bytes.
 */
class CaseFilesTest {
    @TempDir
    Path dir;

    @Test
    void eachCoinbaseStatesTheHeightItsBlockIsStoredAt() throws Exception {
        CaseFiles.Written written = CaseFiles.write(ExchangeHack.generate(7, 3_000), dir.resolve("case"));
        List<Path> files = List.of(written.blocks()); // one block file, blk00000.dat
        assertTrue(Files.isRegularFile(files.getFirst()), files.toString());
        Context.propagate(new Context());
        int checked = 0;
        try (ChainStore cs = ChainStore.open(dir.resolve("store"))) {
            new BlockFileSource(cs, List.of(written.blocks())).run(IngestListener.NONE);
            for (Path f : files) {
                ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
                while (buf.remaining() >= 8) {
                    buf.getInt(); // magic
                    int length = buf.getInt();
                    ByteBuffer record = buf.slice(buf.position(), length);
                    buf.position(buf.position() + length);
                    Block block = Block.read(record);
                    int stated = height(block.getTransactions().getFirst().getInput(0).getScriptSig());
                    int stored = cs.block(Hash256.fromHex(block.getHashAsString())).orElseThrow().ref().height();
                    assertEquals(stored, stated, "block " + block.getHashAsString());
                    checked++;
                }
            }
            assertEquals(cs.stats().blocks(), checked, "every stored block read back");
        }
        assertTrue(checked > 10, "blocks: " + checked);
    }

    /** The height a coinbase script pushes first (BIP34: a script number). */
    private static int height(Script script) {
        ScriptChunk first = script.chunks().getFirst();
        if (first.equalsOpCode(ScriptOpCodes.OP_0)) {
            return 0;
        }
        if (first.isOpCode() && first.opcode >= ScriptOpCodes.OP_1 && first.opcode <= ScriptOpCodes.OP_16) {
            return Script.decodeFromOpN(first.opcode);
        }
        return (int) ByteUtils.decodeMPI(ByteUtils.reverseBytes(first.data), false).longValueExact();
    }
}
