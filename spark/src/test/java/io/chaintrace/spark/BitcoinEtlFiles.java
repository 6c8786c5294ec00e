package io.chaintrace.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutput;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptPattern;

/**
 * Real blocks from ../shared/data written as {@code bitcoinetl export_blocks_and_transactions} writes transactions:
 * its published schema (hash, size, virtual_size, version, lock_time, block_number, block_hash, block_timestamp,
 * is_coinbase, index, inputs, outputs, input_count, output_count, input_value, output_value, fee), the coinbase input
 * left out, an output without an address given bitcoin-etl's "nonstandard" name and type, inputs not enriched (no value
 * or address: {@code export_blocks_and_transactions} alone does not look up what they spend), one JSON object per line,
 * Hive-partitioned by 100,000 blocks. Parsed with bitcoinj directly, not through the store.
 */
final class BitcoinEtlFiles {
    private BitcoinEtlFiles() {
    }

    /** A block file and the height of its first block (-1: read each block's height from its coinbase, BIP34). */
    record Source(Path file, int firstHeight) {
    }

    /** Writes {@code DIR/transactions/start_block=.../end_block=.../transactions_..._....json}; returns the transactions written. */
    static long write(List<Source> sources, Path dir) throws IOException {
        ObjectMapper json = new ObjectMapper();
        TreeMap<Integer, StringBuilder> byRange = new TreeMap<>();
        long count = 0;
        for (Source s : sources) {
            ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(s.file())).order(ByteOrder.LITTLE_ENDIAN);
            int k = 0;
            while (buf.remaining() >= 8) {
                buf.getInt(); // magic
                int length = buf.getInt();
                byte[] bytes = new byte[length];
                buf.get(bytes);
                Block block = Block.read(ByteBuffer.wrap(bytes));
                int height = s.firstHeight() >= 0 ? s.firstHeight() + k : bip34(block);
                k++;
                StringBuilder sb = byRange.computeIfAbsent(height / 100_000 * 100_000, r -> new StringBuilder());
                int index = 0;
                for (Transaction tx : block.getTransactions()) {
                    sb.append(json.writeValueAsString(transaction(json, block, height, index++, tx))).append('\n');
                    count++;
                }
            }
        }
        for (var e : byRange.entrySet()) {
            String from = String.format("%08d", e.getKey());
            String to = String.format("%08d", e.getKey() + 99_999);
            Path file = dir.resolve("transactions/start_block=" + from + "/end_block=" + to + "/transactions_" + from + "_" + to + ".json");
            Files.createDirectories(file.getParent());
            try (Writer w = Files.newBufferedWriter(file)) {
                w.write(e.getValue().toString());
            }
        }
        return count;
    }

    private static ObjectNode transaction(ObjectMapper json, Block block, int height, int index, Transaction tx) {
        ObjectNode t = json.createObjectNode();
        t.put("type", "transaction");
        t.put("hash", tx.getTxId().toString());
        t.put("size", tx.messageSize());
        t.put("virtual_size", tx.getVsize());
        t.put("version", tx.getVersion());
        t.put("lock_time", tx.lockTime().rawValue());
        t.put("block_number", height);
        t.put("block_hash", block.getHashAsString());
        t.put("block_timestamp", block.time().getEpochSecond());
        t.put("is_coinbase", tx.isCoinBase());
        t.put("index", index);
        ArrayNode ins = t.putArray("inputs");
        int n = 0;
        if (!tx.isCoinBase()) {
            for (TransactionInput i : tx.getInputs()) {
                ObjectNode in = ins.addObject();
                in.put("index", n++);
                in.put("spent_transaction_hash", i.getOutpoint().hash().toString());
                in.put("spent_output_index", i.getOutpoint().index());
                in.put("script_asm", asm(i.getScriptBytes()));
                in.put("script_hex", HexFormat.of().formatHex(i.getScriptBytes()));
                in.put("sequence", i.getSequenceNumber());
                in.putNull("required_signatures");
                in.putNull("type");
                in.putNull("addresses");
                in.putNull("value");
            }
        }
        ArrayNode outs = t.putArray("outputs");
        long outValue = 0;
        for (TransactionOutput o : tx.getOutputs()) {
            ObjectNode out = outs.addObject();
            byte[] script = o.getScriptBytes();
            out.put("index", o.getIndex());
            out.put("script_asm", asm(script));
            out.put("script_hex", HexFormat.of().formatHex(script));
            out.putNull("required_signatures");
            String[] typeAddress = typeAndAddress(script);
            out.put("type", typeAddress[0]);
            out.putArray("addresses").add(typeAddress[1]);
            out.put("value", o.getValue().value);
            outValue += o.getValue().value;
        }
        t.put("input_count", ins.size());
        t.put("output_count", outs.size());
        t.putNull("input_value");
        t.put("output_value", outValue);
        t.putNull("fee");
        return t;
    }

    /** Bitcoin Core's type name and address for an output, or bitcoin-etl's "nonstandard" name when Core gives none. */
    private static String[] typeAndAddress(byte[] bytes) {
        try {
            Script s = Script.parse(bytes);
            if (ScriptPattern.isP2PKH(s)) {
                return new String[] {"pubkeyhash", s.getToAddress(BitcoinNetwork.MAINNET).toString()};
            }
            if (ScriptPattern.isP2SH(s)) {
                return new String[] {"scripthash", s.getToAddress(BitcoinNetwork.MAINNET).toString()};
            }
            if (ScriptPattern.isP2WPKH(s)) {
                return new String[] {"witness_v0_keyhash", s.getToAddress(BitcoinNetwork.MAINNET).toString()};
            }
            if (ScriptPattern.isP2WSH(s)) {
                return new String[] {"witness_v0_scripthash", s.getToAddress(BitcoinNetwork.MAINNET).toString()};
            }
        } catch (RuntimeException e) {
            // unparseable: nonstandard, below
        }
        return new String[] {"nonstandard", "nonstandard" + HexFormat.of().formatHex(sha256(bytes)).substring(0, 40)};
    }

    private static String asm(byte[] bytes) {
        try {
            return Script.parse(bytes).toString();
        } catch (RuntimeException e) {
            return "[error]";
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** BIP34: the height a version >= 2 block pushes first in its coinbase's script. */
    private static int bip34(Block block) {
        byte[] s = block.getTransactions().get(0).getInput(0).getScriptBytes();
        int len = s[0] & 0xff;
        int h = 0;
        for (int i = len; i >= 1; i--) {
            h = h << 8 | (s[i] & 0xff);
        }
        return h;
    }
}
