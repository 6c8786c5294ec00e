package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.EtlRows;
import io.chaintrace.core.account.TransferExtractor;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.Checkpoint;
import io.chaintrace.graph.EthBlock;
import io.chaintrace.graph.TransferSink;
import io.chaintrace.ingest.IngestListener;
import io.chaintrace.ingest.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Imports blockchain-etl exports ({@code transactions}, {@code token_transfers}, {@code traces},
 * optionally {@code blocks}) into the store, through the same {@link TransferExtractor} as a node:
 * the rows are grouped by block and each block is appended atomically. Blocks already stored are
 * skipped. Token symbols are unknown unless a node is asked later; amounts are exact either way.
 */
public final class EtlSource implements Source<EtlSource.Summary> {
    public static final String CHECKPOINT = "eth-etl";

    private final TransferSink store;
    private final List<Path> files;

    /** The export files to import, in any order and mix of tables. */
    public EtlSource(TransferSink store, List<Path> files) {
        this.store = store;
        this.files = List.copyOf(files);
    }

    @Override
    public String name() {
        return CHECKPOINT;
    }

    @Override
    public Kind kind() {
        return Kind.ETHEREUM;
    }

    /** What an import did. */
    public record Summary(long rows, long blocks, long skipped, long transfers) implements Source.Report {
        @Override
        public long written() {
            return blocks;
        }

        @Override
        public String describe() {
            return String.format("imported %,d rows: %,d blocks, %,d transfers; %,d blocks already stored", rows, blocks, transfers, skipped);
        }
    }

    @Override
    public Summary run(IngestListener listener) {
        List<EtlFiles.Row> rows = new ArrayList<>();
        for (Path f : EtlFiles.expand(files)) {
            rows.addAll(EtlFiles.rows(f));
        }
        Map<Long, EtlBlock> blocks = new TreeMap<>();
        Map<Hash256, Integer> txIndex = new HashMap<>();
        List<EtlFiles.Row> tokenRows = new ArrayList<>();
        Map<String, Asset> tokens = new HashMap<>();
        Map<Hash256, EtlRows.TxRow> seenTx = new HashMap<>();
        for (EtlFiles.Row r : rows) {
            switch (r.table()) {
                case TRANSACTIONS -> {
                    EtlRows.TxRow t = EtlFiles.transaction(r);
                    EtlRows.TxRow before = seenTx.putIfAbsent(t.tx().hash(), t);
                    if (before != null) {
                        // The same row twice (overlapping exports) changes nothing; two different rows for one hash is a bad export.
                        if (!before.equals(t)) {
                            throw new EtlFiles.EtlFormatException(r.file(), r.line(), "transaction 0x" + t.tx().hash().hex()
                                    + " again, with other fields than before");
                        }
                        continue;
                    }
                    EtlBlock b = blocks.computeIfAbsent(t.tx().blockNumber(), EtlBlock::new);
                    b.txs.add(t);
                    if (!t.blockHash().isZero()) {
                        b.hash = t.blockHash();
                    }
                    b.time = Math.max(b.time, t.timestamp());
                    txIndex.put(t.tx().hash(), t.tx().index());
                }
                case TRACES -> {
                    EthRows.Trace t = EtlFiles.trace(r);
                    // A set: the same trace row twice (its transaction and place in the call tree) moves value once.
                    blocks.computeIfAbsent(t.blockNumber(), EtlBlock::new).traces.add(t);
                }
                case TOKEN_TRANSFERS -> tokenRows.add(r);
                case TOKENS -> {
                    String decimals = r.get("decimals");
                    try {
                        String key = EtlFiles.address("address", r.required("address"));
                        int d = decimals.isEmpty() ? -1 : Integer.parseInt(decimals);
                        if (d > 255) {
                            throw new IllegalArgumentException("decimals " + d + " is above 255");
                        }
                        tokens.put(key, new Asset(Chain.ETHEREUM, Optional.of(Address.parse(key)), r.get("symbol").isEmpty() ? "unknown"
                                : r.get("symbol"), d < 0 ? OptionalInt.empty() : OptionalInt.of(d)));
                    } catch (NumberFormatException e) {
                        throw new EtlFiles.EtlFormatException(r.file(), r.line(), "decimals '" + decimals + "' is not a number");
                    } catch (IllegalArgumentException e) {
                        throw new EtlFiles.EtlFormatException(r.file(), r.line(), "bad token row: " + e.getMessage());
                    }
                }
                case BLOCKS -> {
                    try {
                        long n = Long.parseLong(r.required("number"));
                        EtlBlock b = blocks.computeIfAbsent(n, EtlBlock::new);
                        b.hash = Hash256.fromHex(r.required("hash"));
                        b.parent = r.get("parent_hash").isEmpty() ? Hash256.ZERO : Hash256.fromHex(r.get("parent_hash"));
                        b.time = Long.parseLong(r.required("timestamp"));
                    } catch (IllegalArgumentException e) {
                        throw new EtlFiles.EtlFormatException(r.file(), r.line(), "bad block row: " + e.getMessage());
                    }
                }
                default -> {
                    // logs and other tables carry no value of their own
                }
            }
        }
        Map<String, EthRows.TokenTransfer> seenLogs = new HashMap<>();
        for (EtlFiles.Row r : tokenRows) {
            Hash256 tx;
            try {
                tx = Hash256.fromHex(r.required("transaction_hash"));
            } catch (IllegalArgumentException e) {
                throw new EtlFiles.EtlFormatException(r.file(), r.line(), "bad token transfer row: " + e.getMessage());
            }
            Integer index = txIndex.get(tx);
            if (index == null) {
                throw new EtlFiles.EtlFormatException(r.file(), r.line(), "token transfer of transaction " + tx
                        + " which no transactions file given names (import the transactions export too)");
            }
            EthRows.TokenTransfer t = EtlFiles.tokenTransfer(r, index);
            EthRows.TokenTransfer before = seenLogs.putIfAbsent(tx + ":" + t.logIndex(), t);
            if (before != null) {
                if (!before.equals(t)) {
                    throw new EtlFiles.EtlFormatException(r.file(), r.line(), "log " + t.logIndex() + " of transaction 0x" + tx.hex()
                            + " again, with other fields than before");
                }
                continue;
            }
            blocks.computeIfAbsent(t.blockNumber(), EtlBlock::new).tokens.add(t);
        }
        // Symbol and decimals from the export's tokens table when it was given; else unknown until a node is asked.
        TransferExtractor extractor = new TransferExtractor(contract -> tokens.getOrDefault(contract,
                new Asset(Chain.ETHEREUM, Optional.of(Address.parse(contract)), "unknown", OptionalInt.empty())));
        listener.started(blocks.size(), 0);
        long written = 0;
        long skipped = 0;
        long transfers = 0;
        long done = store.checkpoint(CHECKPOINT).map(Checkpoint::blocksDone).orElse(0L);
        List<EthBlock> pending = new ArrayList<>();
        long pendingTransfers = 0;
        for (EtlBlock b : blocks.values()) {
            if (store.ethBlock(b.number).isPresent()) {
                skipped++;
                listener.block(0);
                continue;
            }
            List<AccountTransfer> extracted = EtlRows.transfers(extractor, b.number, b.hash, b.parent, b.time, b.txs, new ArrayList<>(b.traces),
                    b.tokens);
            EthBlock eth = new EthBlock(b.number, b.hash, b.parent, b.time, extracted, EthBlock.gasPrices(extracted,
                    b.txs.stream().map(EtlRows.TxRow::tx).filter(t -> t.gasPrice().isPresent())
                            .collect(java.util.stream.Collectors.toMap(EthRows.Tx::hash, t -> t.gasPrice().get()))));
            // Counted as they are queued: a batch that cannot be written ends the run with its error, no summary.
            pending.add(eth);
            written++;
            transfers += eth.transfers().size();
            pendingTransfers += eth.transfers().size();
            if (pending.size() >= BATCH_BLOCKS || pendingTransfers >= BATCH_TRANSFERS) {
                done = flush(pending, done, listener);
                pendingTransfers = 0;
            }
        }
        flush(pending, done, listener);
        return new Summary(rows.size(), written, skipped, transfers);
    }

    /**
     * Blocks written together, in one batch with the last one's checkpoint: an export's blocks hold a transfer or two
     * each, and a write per block was most of an import's time. A run killed part-way leaves whole batches.
     */
    private static final int BATCH_BLOCKS = 4_096;
    private static final int BATCH_TRANSFERS = 65_536;

    /**
     * Writes the pending blocks in one batch with the last one's checkpoint; returns the blocks done after it. Each was
     * looked up absent just before, and the store has one writer: all of them are written.
     */
    private long flush(List<EthBlock> pending, long done, IngestListener listener) {
        if (pending.isEmpty()) {
            return done;
        }
        EthBlock last = pending.getLast();
        long after = done + pending.size();
        store.appendEthBlocks(pending, new Checkpoint(CHECKPOINT, last.hash(), Math.toIntExact(last.number()), after));
        pending.forEach(e -> listener.block(e.transfers().size()));
        pending.clear();
        return after;
    }

    /** Rows of one block, gathered across files. */
    private static final class EtlBlock {
        final long number;
        Hash256 hash = Hash256.ZERO;
        Hash256 parent = Hash256.ZERO;
        long time;
        final List<EtlRows.TxRow> txs = new ArrayList<>();
        final Set<EthRows.Trace> traces = new LinkedHashSet<>();
        final List<EthRows.TokenTransfer> tokens = new ArrayList<>();

        EtlBlock(long number) {
            this.number = number;
        }
    }
}
