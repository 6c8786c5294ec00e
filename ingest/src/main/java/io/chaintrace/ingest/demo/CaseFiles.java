package io.chaintrace.ingest.demo;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.scenarios.ExchangeHack;
import io.chaintrace.scenarios.Scenario;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.SegwitAddress;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.Context;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.script.Script;
import org.bitcoinj.script.ScriptBuilder;

/**
 * Writes a generated case as the files a real investigation starts from, so that the demo ingests
 * it through the same paths as real data: the Bitcoin leg as a Bitcoin Core block file
 * ({@code blk00000.dat}, mainnet framing, serialized by bitcoinj), the Ethereum leg as an
 * ethereum-etl export (CSV: blocks, transactions, traces, token transfers, tokens), the labels as
 * Chaintrace's label CSV.
 */
public final class CaseFiles {
    /**
     * The Bitcoin leg's first height, which each block's coinbase states (BIP34, in force on regtest from block 1): the
     * file's first block has no parent, so the chain it starts is counted from 0, and the heights stated are the
     * heights the blocks are stored at.
     */
    public static final int FIRST_HEIGHT = 0;
    /**
     * The block file is a regtest one: generated blocks can carry real proof of work only at regtest's easiest
     * target (a few hashes a block), and every header is checked as a node would; a mainnet header at that target is
     * refused. Addresses are written in regtest's encoding to match.
     */
    private static final int REGTEST_MAGIC = 0xdab5bffa;

    /** Where each file went, and each generated Bitcoin txid's real one (bitcoinj computes them from the bytes). */
    public record Written(Path blocks, List<Path> ethereum, Path labels, Map<Hash256, Hash256> txids) {
        public Outpoint real(Outpoint generated) {
            return new Outpoint(txids.get(generated.txid()), generated.vout());
        }
    }

    private CaseFiles() {
    }

    public static Written write(ExchangeHack.Case c, Path dir) {
        try {
            Files.createDirectories(dir);
            Path blk = dir.resolve("btc").resolve("blk00000.dat");
            Files.createDirectories(blk.getParent());
            Map<Hash256, Hash256> txids = writeBitcoin(c.bitcoin(), blk);
            List<Path> eth = writeEthereum(c, dir.resolve("eth"));
            Path labels = dir.resolve("labels.csv");
            writeLabels(c.labels(), labels);
            return new Written(blk, eth, labels, txids);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Bitcoin leg as a block file; returns generated txid -> real txid. */
    public static Map<Hash256, Hash256> writeBitcoin(Scenario s, Path file) throws IOException {
        Context.propagate(new Context()); // bitcoinj's per-thread context, which solving a block needs
        Map<Hash256, Sha256Hash> real = new HashMap<>();
        Sha256Hash prev = Sha256Hash.ZERO_HASH;
        int unique = 0;
        int height = FIRST_HEIGHT;
        long clock = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            for (Scenario.Block b : s.blocks()) {
                // A block has one coinbase, first (Bitcoin Core refuses any other): each of the case's coin creations is
                // the coinbase of a block of its own just before the case's block (a second apart, so that the times
                // rise as the median-time-past rule wants), which then carries its own coinbase (its height, nothing
                // paid) and the case's other transactions.
                List<Scenario.Tx> creations = b.transactions().stream().filter(t -> t.spends().getFirst().equals(Outpoint.COINBASE)).toList();
                for (int i = 0; i < creations.size(); i++) {
                    Transaction tx = coinbase(height, unique++, creations.get(i).outputs());
                    real.put(creations.get(i).txid(), tx.getTxId());
                    clock = Math.max(clock + 1, b.time() - creations.size() + i);
                    prev = writeBlock(out, prev, clock, List.of(tx));
                    height++;
                }
                List<Transaction> txs = new ArrayList<>();
                txs.add(coinbase(height, unique++, List.of()));
                for (Scenario.Tx t : b.transactions()) {
                    if (t.spends().getFirst().equals(Outpoint.COINBASE)) {
                        continue;
                    }
                    Transaction tx = new Transaction();
                    for (Outpoint o : t.spends()) {
                        Sha256Hash funding = real.get(o.txid());
                        if (funding == null) {
                            throw new IllegalStateException("case bug: " + t.txid() + " spends " + o + " before it exists");
                        }
                        tx.addInput(funding, o.vout(), ScriptBuilder.createEmpty());
                    }
                    addOutputs(tx, t.outputs());
                    real.put(t.txid(), tx.getTxId());
                    txs.add(tx);
                }
                clock = Math.max(clock + 1, b.time());
                prev = writeBlock(out, prev, clock, txs);
                height++;
            }
        }
        Map<Hash256, Hash256> txids = new HashMap<>();
        real.forEach((k, v) -> txids.put(k, new Hash256(v.getBytes())));
        return txids;
    }

    /** Solves and appends a block in Core's framing; returns its hash. */
    private static Sha256Hash writeBlock(OutputStream out, Sha256Hash prev, long time, List<Transaction> txs) throws IOException {
        Block block = new Block(2, prev, null, Instant.ofEpochSecond(time), 0x207fffffL, 0, txs);
        block.solve(); // regtest's easiest target: about two tries
        byte[] bytes = block.serialize();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(REGTEST_MAGIC).putInt(bytes.length).array());
        out.write(bytes);
        return block.getHash();
    }

    private static Transaction coinbase(int height, int unique, List<TxOutput> outputs) {
        Transaction tx = Transaction.coinbase(new ScriptBuilder().number(height).number(unique).build().program());
        if (outputs.isEmpty()) {
            tx.addOutput(Coin.ZERO, ScriptBuilder.createOpReturnScript(new byte[0]));
        }
        addOutputs(tx, outputs);
        return tx;
    }

    private static void addOutputs(Transaction tx, List<TxOutput> outputs) {
        for (TxOutput o : outputs) {
            Address owner = o.owner().orElseThrow(() -> new IllegalStateException("case outputs have owners"));
            Script script = ScriptBuilder.createOutputScript(regtest(owner.text()));
            tx.addOutput(Coin.valueOf(o.value()), script);
        }
    }

    /** The Ethereum leg as ethereum-etl CSV files. */
    static List<Path> writeEthereum(ExchangeHack.Case c, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path blocks = dir.resolve("blocks.csv");
        Path transactions = dir.resolve("transactions.csv");
        Path traces = dir.resolve("traces.csv");
        Path tokenTransfers = dir.resolve("token_transfers.csv");
        Path tokens = dir.resolve("tokens.csv");
        try (BufferedWriter bw = Files.newBufferedWriter(blocks, StandardCharsets.UTF_8);
             BufferedWriter tw = Files.newBufferedWriter(transactions, StandardCharsets.UTF_8);
             BufferedWriter rw = Files.newBufferedWriter(traces, StandardCharsets.UTF_8);
             BufferedWriter kw = Files.newBufferedWriter(tokenTransfers, StandardCharsets.UTF_8)) {
            bw.write("number,hash,parent_hash,timestamp\n");
            tw.write("hash,nonce,block_hash,block_number,transaction_index,from_address,to_address,value,gas,gas_price,block_timestamp,receipt_status\n");
            rw.write("block_number,transaction_hash,transaction_index,from_address,to_address,value,trace_type,call_type,trace_address,error,status\n");
            kw.write("token_address,from_address,to_address,value,transaction_hash,log_index,block_number\n");
            Map<String, Integer> nonces = new HashMap<>();
            for (ExchangeHack.EthBlock b : c.ethereum()) {
                bw.write(b.number() + "," + hex(b.hash()) + "," + hex(b.parent()) + "," + b.time() + "\n");
                int logIndex = 0;
                for (int i = 0; i < b.transactions().size(); i++) {
                    ExchangeHack.EthTx t = b.transactions().get(i);
                    int nonce = nonces.merge(t.from().text(), 1, Integer::sum) - 1;
                    tw.write(String.join(",", hex(t.hash()), Integer.toString(nonce), hex(b.hash()), Long.toString(b.number()),
                            Integer.toString(i), t.from().text(), t.to().text(), t.value().toString(), "100000", t.gasPrice().toString(),
                            Long.toString(b.time()), "1") + "\n");
                    if (!t.internal().isEmpty()) {
                        rw.write(trace(b, i, t.hash(), t.from(), t.to(), t.value().toString(), ""));
                        for (int k = 0; k < t.internal().size(); k++) {
                            ExchangeHack.Internal m = t.internal().get(k);
                            rw.write(trace(b, i, t.hash(), m.from(), m.to(), m.value().toString(), Integer.toString(k)));
                        }
                    }
                    for (ExchangeHack.TokenMove m : t.tokens()) {
                        kw.write(String.join(",", m.token().text(), m.from().text(), m.to().text(), m.value().toString(), hex(t.hash()),
                                Integer.toString(logIndex++), Long.toString(b.number())) + "\n");
                    }
                }
            }
        }
        Files.writeString(tokens, "address,symbol,name,decimals,total_supply\n" + c.usdt().text() + ",USDT,Tether USD,6,\n");
        return List.of(blocks, transactions, traces, tokenTransfers, tokens);
    }

    private static String trace(ExchangeHack.EthBlock b, int index, Hash256 tx, Address from, Address to, String value, String traceAddress) {
        return String.join(",", Long.toString(b.number()), hex(tx), Integer.toString(index), from.text(), to.text(), value, "call", "call",
                traceAddress, "", "1") + "\n";
    }

    /** The case's (mainnet-encoded) address as the same program on regtest. */
    private static SegwitAddress regtest(String mainnet) {
        SegwitAddress a = SegwitAddress.fromBech32(mainnet, BitcoinNetwork.MAINNET);
        return SegwitAddress.fromProgram(BitcoinNetwork.REGTEST, a.getWitnessVersion(), a.getWitnessProgram());
    }

    /** How the store names a case address once ingested from the regtest block file. */
    public static String stored(Address a) {
        return a.chain() == Chain.BITCOIN ? regtest(a.text()).toString() : a.text();
    }

    private static void writeLabels(List<Label> labels, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("chain,address,label,category,source\n");
        for (Label l : labels) {
            sb.append(l.address().chain() == Chain.BITCOIN ? "bitcoin" : "ethereum").append(',').append(stored(l.address())).append(',')
                    .append(l.entity()).append(',').append(l.category().id()).append(',').append(l.source()).append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    private static String hex(Hash256 h) {
        return "0x" + h.hex();
    }
}
