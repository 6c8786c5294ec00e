package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptClassifier;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.graph.FetchedTransaction;
import io.chaintrace.ingest.CorruptAnswerException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionInput;
import org.bitcoinj.core.TransactionOutput;

/**
 * A transaction a service sent as hex, read the way block ingest reads one: parsed by bitcoinj,
 * checked to hash to the txid asked for, its outputs (and the spent outputs the service describes)
 * classified by the same {@link ScriptClassifier}, every amount within 0..21e14 satoshi. What does
 * not hold is a {@link CorruptAnswerException} naming the service and the transaction.
 */
final class RawTransaction {
    private static final long MAX_SATOSHI = 21_000_000L * 100_000_000L;

    /** What the service says an input spent: the output's script and value. */
    record Prevout(byte[] script, long value) {
    }

    /** Gives the prevout of input {@code index} (spending {@code spent}), if the service says it; checks its own answer. */
    @FunctionalInterface
    interface Prevouts {
        Optional<Prevout> of(int index, Outpoint spent);
    }

    private final String service;
    private final ScriptClassifier classifier;

    RawTransaction(String service, ScriptClassifier classifier) {
        this.service = service;
        this.classifier = classifier;
    }

    /** The bytes of {@code hex}, parsed and checked to be the transaction {@code txid}. */
    Transaction parse(Hash256 txid, String hex) {
        Transaction parsed;
        try {
            parsed = Transaction.read(ByteBuffer.wrap(HexFormat.of().parseHex(hex.strip())));
        } catch (RuntimeException e) {
            throw new CorruptAnswerException(service + " sent transaction " + txid + " with bytes that do not parse");
        }
        if (!new Hash256(parsed.getTxId().getBytes()).equals(txid)) {
            throw new CorruptAnswerException(service + " sent transaction " + txid + " with bytes that do not hash to it (they hash to "
                    + parsed.getTxId() + ")");
        }
        return parsed;
    }

    /** The transaction as the store takes it, at {@code position} in block {@code block}. */
    FetchedTransaction fetched(Transaction parsed, Hash256 txid, Hash256 block, int height, long time, int position, Prevouts prevouts) {
        List<Outpoint> spends = new ArrayList<>();
        List<Optional<TxOutput>> spent = new ArrayList<>();
        for (int i = 0; i < parsed.getInputs().size(); i++) {
            TransactionInput in = parsed.getInputs().get(i);
            if (in.isCoinBase()) {
                spends.add(Outpoint.COINBASE);
                spent.add(Optional.empty());
                continue;
            }
            Outpoint op = new Outpoint(new Hash256(in.getOutpoint().hash().getBytes()), (int) in.getOutpoint().index());
            spends.add(op);
            spent.add(prevouts.of(i, op).map(p -> output(op.vout(), p.script(), p.value(), txid)));
        }
        List<TxOutput> outputs = new ArrayList<>();
        int index = 0;
        for (TransactionOutput out : parsed.getOutputs()) {
            outputs.add(output(index++, out.getScriptBytes(), out.getValue().value, txid));
        }
        return new FetchedTransaction(txid, block, height, time, position, spends, spent, outputs);
    }

    private TxOutput output(int index, byte[] script, long value, Hash256 txid) {
        if (value < 0 || value > MAX_SATOSHI) {
            throw new CorruptAnswerException(service + ": transaction " + txid + " names an amount out of range: " + value + " satoshi");
        }
        ScriptClassifier.Owner owner = classifier.classify(script);
        return new TxOutput(index, value, owner.kind(), owner.address());
    }
}
