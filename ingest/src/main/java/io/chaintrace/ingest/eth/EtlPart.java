package io.chaintrace.ingest.eth;

import io.chaintrace.core.account.EthRows;
import io.chaintrace.core.account.EtlRows;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.Chain;
import io.chaintrace.core.model.Hash256;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The rows of one part of a blockchain-etl export (a block range: its partitions' files, or all the files given) gathered
 * by block for {@link EtlSource}: each file's rows typed by the reader that read it ({@link FileRows}), then joined here
 * (transactions once each, traces in order, token transfers given their transaction's index).
 */
final class EtlPart {
    private final Map<String, Asset> tokens;
    final Map<Long, EtlBlock> blocks = new TreeMap<>();
    private final Map<Hash256, EtlRows.TxRow> seenTx = new HashMap<>();
    private final List<PendingToken> tokenRows = new ArrayList<>();
    /** Rows of a tokens table in a file not named so: taken in when the part is written, in order, not while read ahead. */
    private final List<EtlFiles.Row> tokenTables = new ArrayList<>();
    long rows;

    EtlPart(Map<String, Asset> tokens) {
        this.tokens = tokens;
    }

    /** The block gathering rows of {@code number}: a file's rows come a block at a time, so mostly the last one. */
    private EtlBlock last;

    private EtlBlock block(long number) {
        if (last == null || last.number != number) {
            last = blocks.computeIfAbsent(number, EtlBlock::new);
        }
        return last;
    }

    void add(FileRows f) {
        rows += f.rows;
        tokenTables.addAll(f.tokenRows);
        for (TxItem item : f.txs) {
            EtlRows.TxRow t = item.row();
            EtlRows.TxRow before = seenTx.putIfAbsent(t.tx().hash(), t);
            if (before != null) {
                // The same row twice (overlapping exports) changes nothing; two different rows for one hash is a bad export.
                if (!before.equals(t)) {
                    throw new EtlFiles.EtlFormatException(item.file(), item.line(), "transaction 0x" + t.tx().hash().hex()
                            + " again, with other fields than before");
                }
                continue;
            }
            EtlBlock b = block(t.tx().blockNumber());
            b.txs.add(t);
            if (!t.blockHash().isZero()) {
                b.hash = t.blockHash();
            }
            b.time = Math.max(b.time, t.timestamp());
        }
        for (EthRows.Trace t : f.traces) {
            block(t.blockNumber()).traces.add(t); // the same row twice is made one when the block is extracted
        }
        tokenRows.addAll(f.transfers);
        for (EtlFiles.Row r : f.blockRows) {
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
    }

    /** The token transfers with their transactions' indexes, each log once, into their blocks. */
    void placeTokenTransfers() {
        tokenTables.forEach(r -> token(r, tokens));
        Map<LogId, EthRows.TokenTransfer> seenLogs = new HashMap<>();
        for (PendingToken p : tokenRows) {
            EthRows.TokenTransfer t = p.transfer();
            EtlRows.TxRow tx = seenTx.get(t.txHash());
            if (tx == null) {
                throw new EtlFiles.EtlFormatException(p.file(), p.line(), "token transfer of transaction " + t.txHash()
                        + " which no transactions file given names (import the transactions export too)");
            }
            t = new EthRows.TokenTransfer(t.token(), t.from(), t.to(), t.value(), t.txHash(), tx.tx().index(), t.logIndex(), t.blockNumber());
            EthRows.TokenTransfer before = seenLogs.putIfAbsent(new LogId(t.txHash(), t.logIndex()), t);
            if (before != null) {
                if (!before.equals(t)) {
                    throw new EtlFiles.EtlFormatException(p.file(), p.line(), "log " + t.logIndex() + " of transaction 0x" + t.txHash().hex()
                            + " again, with other fields than before");
                }
                continue;
            }
            block(t.blockNumber()).tokens.add(t);
        }
        tokenRows.clear();
    }

    /** Takes in a tokens row; false for a row of another table. */
    static boolean token(EtlFiles.Row r, Map<String, Asset> tokens) {
        if (r.table() != EtlFiles.Table.TOKENS) {
            return false;
        }
        String decimals = r.get("decimals");
        try {
            String key = EtlFiles.address("address", r.required("address"));
            int d = decimals.isEmpty() ? -1 : Integer.parseInt(decimals);
            if (d > 255) {
                throw new IllegalArgumentException("decimals " + d + " is above 255");
            }
            tokens.put(key, new Asset(Chain.ETHEREUM, Optional.of(Address.parse(key)), r.get("symbol").isEmpty() ? "unknown"
                    : r.get("symbol"), d < 0 ? OptionalInt.empty() : OptionalInt.of(d)));
            return true;
        } catch (NumberFormatException e) {
            throw new EtlFiles.EtlFormatException(r.file(), r.line(), "decimals '" + decimals + "' is not a number");
        } catch (IllegalArgumentException e) {
            throw new EtlFiles.EtlFormatException(r.file(), r.line(), "bad token row: " + e.getMessage());
        }
    }

    /** A log's place: its transaction and index (a key of text cost a hash's hex digits per token transfer). */
    private record LogId(Hash256 tx, int index) {
    }

    /** A token transfer row read before its transaction's index is known, with where it came from. */
    private record PendingToken(EthRows.TokenTransfer transfer, Path file, long line) {
    }

    /** One file's rows, typed by the reader that read it (a file of JSON lines may mix tables). */
    static final class FileRows {
        final List<EtlFiles.Row> blockRows = new ArrayList<>();
        final List<EtlFiles.Row> tokenRows = new ArrayList<>();
        final List<TxItem> txs = new ArrayList<>();
        final List<EthRows.Trace> traces = new ArrayList<>();
        final List<PendingToken> transfers = new ArrayList<>();
        long rows;

        static FileRows of(Path file) {
            FileRows f = new FileRows();
            f.rows = EtlFiles.read(file, f::accept);
            return f;
        }

        private void accept(EtlFiles.Row r) {
            switch (r.table()) {
                case TRANSACTIONS -> txs.add(new TxItem(EtlFiles.transaction(r), r.file(), r.line()));
                case TRACES -> traces.add(EtlFiles.trace(r));
                // Its transaction's index comes from the transactions table, which may come later.
                case TOKEN_TRANSFERS -> transfers.add(new PendingToken(EtlFiles.tokenTransfer(r, -1), r.file(), r.line()));
                case TOKENS -> tokenRows.add(r);
                case BLOCKS -> blockRows.add(r);
                default -> {
                    // logs and other tables carry no value of their own
                }
            }
        }
    }

    /** A transactions row and where it came from. */
    private record TxItem(EtlRows.TxRow row, Path file, long line) {
    }

    /** Rows of one block, gathered across files. */
    static final class EtlBlock {
        final long number;
        Hash256 hash = Hash256.ZERO;
        Hash256 parent = Hash256.ZERO;
        long time;
        final List<EtlRows.TxRow> txs = new ArrayList<>();
        /**
         * In the files' order, a row given twice still twice: a set per block, held with the range until it is written,
         * was a tenth of a range's objects; the extraction makes them one ({@link EtlSource}).
         */
        final List<EthRows.Trace> traces = new ArrayList<>();
        final List<EthRows.TokenTransfer> tokens = new ArrayList<>();

        EtlBlock(long number) {
            this.number = number;
        }
    }
}
