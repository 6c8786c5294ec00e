package io.chaintrace.ingest.demo;

import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.Label;
import io.chaintrace.core.model.LabelCategory;
import io.chaintrace.core.model.Outpoint;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.TxOutput;
import io.chaintrace.graph.ChainStore;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.NewBlock;
import io.chaintrace.scenarios.SyntheticChain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Writes a {@link SyntheticChain} into a store through {@link ChainStore#append}, block by block
 * as a real source would (owners get their ids, inputs are resolved from the store), and labels
 * its hubs and services. Transaction ids, output ids and owner order match the generator's, so a
 * store written here and {@code ScenarioChains.synthetic} in memory hold the same chain.
 */
public final class SyntheticWriter implements SyntheticChain.Sink {
    private final ChainStore store;
    private final long seed;
    private final IntConsumer progress;
    private final List<NewBlock.NewTransaction> block = new ArrayList<>();
    private final List<Label> labels = new ArrayList<>();
    private Hash256 txid;
    private final List<Outpoint> spends = new ArrayList<>();
    private final List<TxOutput> outputs = new ArrayList<>();
    private Hash256 parent = Hash256.ZERO;

    private SyntheticWriter(ChainStore store, long seed, IntConsumer progress) {
        this.store = store;
        this.seed = seed;
        this.progress = progress;
    }

    /** Generates and writes; {@code progress} hears each block's height. Returns the number of transactions. */
    public static int write(SyntheticChain.Settings settings, ChainStore store, IntConsumer progress) {
        SyntheticWriter w = new SyntheticWriter(store, settings.seed(), progress);
        int txs = SyntheticChain.generate(settings, w);
        store.sync();
        for (Label l : w.labels) {
            store.putLabels(l.address(), List.of(l));
        }
        return txs;
    }

    @Override
    public void endpoint(int owner, boolean hub) {
        labels.add(new Label(SyntheticChain.address(seed, owner), (hub ? "Exchange hub " : "Exchange ") + owner,
                LabelCategory.EXCHANGE, "synthetic", 1.0));
    }

    @Override
    public void transaction(int tx) {
        closeTransaction();
        txid = SyntheticChain.txid(seed, tx);
    }

    @Override
    public void input(int output, int fundingTx, int vout) {
        spends.add(output < 0 ? Outpoint.COINBASE : new Outpoint(SyntheticChain.txid(seed, fundingTx), vout));
    }

    @Override
    public void output(long value, int owner) {
        Address a = SyntheticChain.address(seed, owner);
        outputs.add(new TxOutput(outputs.size(), value, ScriptKind.P2WPKH, Optional.of(a)));
    }

    @Override
    public void endBlock(int height) {
        closeTransaction();
        Hash256 hash = SyntheticChain.txid(~seed, height);
        store.append(new NewBlock(hash, parent, height, 1_600_000_000L + 600L * height, BigInteger.valueOf(height + 1L), block),
                new Checkpoint("synthetic", hash, height, height + 1L));
        parent = hash;
        block.clear();
        progress.accept(height);
    }

    private void closeTransaction() {
        if (txid != null) {
            block.add(new NewBlock.NewTransaction(txid, spends, outputs));
            spends.clear();
            outputs.clear();
            txid = null;
        }
    }
}
