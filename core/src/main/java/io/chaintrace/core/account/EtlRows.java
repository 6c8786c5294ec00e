package io.chaintrace.core.account;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.HexDigits;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Rows of a blockchain-etl export (ethereum-etl; the public BigQuery {@code crypto_ethereum} tables) as typed records,
 * from their columns as text (numbers exactly as written), and the transfers of a block made of them. Shared by the
 * import from files ({@code ingest eth-etl}) and the Spark jobs that read an export without a store. A bad value is an
 * {@link IllegalArgumentException} naming the column; the reader adds the file and line.
 */
public final class EtlRows {
    private EtlRows() {
    }

    /** A column a row must have is empty or absent. */
    public static final class MissingColumn extends IllegalArgumentException {
        public MissingColumn(String column) {
            super("missing " + column);
        }
    }

    /** A transactions row: the transaction, and the receipt status when the export has it. */
    public record TxRow(EthRows.Tx tx, Hash256 blockHash, long timestamp, Optional<Boolean> success, Optional<String> contractAddress) {
    }

    private static String get(Map<String, String> row, String column) {
        String v = row.get(column);
        return v == null ? "" : v;
    }

    private static String required(Map<String, String> row, String column) {
        String v = get(row, column);
        if (v.isEmpty()) {
            throw new MissingColumn(column);
        }
        return v;
    }

    public static TxRow transaction(Map<String, String> r) {
        String to = get(r, "to_address");
        String status = get(r, "receipt_status");
        String contract = get(r, "receipt_contract_address");
        return new TxRow(new EthRows.Tx(Hash256.fromHex(required(r, "hash")), Long.parseLong(required(r, "block_number")),
                Integer.parseInt(required(r, "transaction_index")), address("from_address", required(r, "from_address")),
                to.isEmpty() ? Optional.empty() : Optional.of(address("to_address", to)), uint256("value", required(r, "value")),
                get(r, "gas_price").isEmpty() ? Optional.empty() : Optional.of(uint256("gas_price", get(r, "gas_price")))),
                get(r, "block_hash").isEmpty() ? Hash256.ZERO : Hash256.fromHex(get(r, "block_hash")),
                get(r, "block_timestamp").isEmpty() ? 0 : Long.parseLong(get(r, "block_timestamp")),
                status.isEmpty() ? Optional.empty() : Optional.of(!status.equals("0")),
                contract.isEmpty() ? Optional.empty() : Optional.of(address("receipt_contract_address", contract)));
    }

    /** The transaction hash a token transfer row names (its transaction index comes from the transactions table). */
    public static Hash256 tokenTransferTx(Map<String, String> r) {
        return Hash256.fromHex(required(r, "transaction_hash"));
    }

    public static EthRows.TokenTransfer tokenTransfer(Map<String, String> r, int txIndex) {
        return new EthRows.TokenTransfer(address("token_address", required(r, "token_address")),
                address("from_address", required(r, "from_address")), address("to_address", required(r, "to_address")),
                uint256("value", required(r, "value")), Hash256.fromHex(required(r, "transaction_hash")),
                txIndex, Integer.parseInt(required(r, "log_index")), Long.parseLong(required(r, "block_number")));
    }

    /** A traces row; {@code trace_address} as written in CSV: the frame's path, comma-separated. */
    public static EthRows.Trace trace(Map<String, String> r) {
        String hash = get(r, "transaction_hash");
        String index = get(r, "transaction_index");
        String path = get(r, "trace_address");
        List<Integer> address = new ArrayList<>();
        if (!path.isEmpty()) { // most frames are a transaction's root: nothing to split
            for (String part : path.split(",")) {
                if (!part.isBlank()) {
                    address.add(Integer.parseInt(part.strip()));
                }
            }
        }
        String error = get(r, "error");
        String status = get(r, "status");
        String callType = get(r, "call_type");
        return new EthRows.Trace(Long.parseLong(required(r, "block_number")),
                hash.isEmpty() ? Optional.empty() : Optional.of(Hash256.fromHex(hash)),
                index.isEmpty() ? -1 : Integer.parseInt(index),
                optional("from_address", get(r, "from_address")), optional("to_address", get(r, "to_address")),
                get(r, "value").isEmpty() ? BigInteger.ZERO : uint256("value", get(r, "value")), shared(required(r, "trace_type")),
                callType.isEmpty() ? Optional.empty() : callType(callType.toLowerCase(Locale.ROOT)), address,
                error.isEmpty() ? Optional.empty() : Optional.of(error), status.isEmpty() ? error.isEmpty() : status.equals("1"));
    }

    /**
     * The one instance of a trace's type or call type that ethereum-etl writes (else the text itself): a range's traces
     * are held until written, millions of them, and each held its own copy of "call".
     */
    private static String shared(String type) {
        return switch (type) {
            case "call" -> "call";
            case "create" -> "create";
            case "suicide" -> "suicide";
            case "reward" -> "reward";
            case "delegatecall" -> "delegatecall";
            case "staticcall" -> "staticcall";
            case "callcode" -> "callcode";
            default -> type;
        };
    }

    private static final Optional<String> CALL = Optional.of("call");
    private static final Optional<String> DELEGATECALL = Optional.of("delegatecall");
    private static final Optional<String> STATICCALL = Optional.of("staticcall");

    /** A call type, the common ones one shared instance each (see {@link #shared}). */
    private static Optional<String> callType(String type) {
        return switch (type) {
            case "call" -> CALL;
            case "delegatecall" -> DELEGATECALL;
            case "staticcall" -> STATICCALL;
            default -> Optional.of(shared(type));
        };
    }

    /**
     * The transfers of one block of an export: its transactions put in block order, the receipt status the
     * transactions table carries, then {@link TransferExtractor} as for a node's block.
     */
    public static List<AccountTransfer> transfers(TransferExtractor extractor, long number, Hash256 hash, Hash256 parent, long time,
                                                  List<TxRow> txs, List<EthRows.Trace> traces, List<EthRows.TokenTransfer> tokens) {
        List<TxRow> ordered = new ArrayList<>(txs);
        ordered.sort(Comparator.comparingInt(t -> t.tx().index()));
        for (int i = 1; i < ordered.size(); i++) {
            if (ordered.get(i).tx().index() == ordered.get(i - 1).tx().index()) {
                // Two transactions cannot hold one place in a block: their transfers' keys would be one, and one dropped.
                throw new IllegalArgumentException("block " + number + " has two transactions at index " + ordered.get(i).tx().index()
                        + ": 0x" + ordered.get(i - 1).tx().hash().hex() + " and 0x" + ordered.get(i).tx().hash().hex());
            }
        }
        Map<Hash256, EthRows.Receipt> receipts = new HashMap<>();
        for (TxRow t : ordered) {
            if (t.success().isPresent() || t.contractAddress().isPresent()) {
                receipts.put(t.tx().hash(), new EthRows.Receipt(t.tx().hash(), t.tx().index(), t.success(), t.contractAddress(), List.of()));
            }
        }
        EthRows.Block block = new EthRows.Block(number, hash, parent, time, ordered.stream().map(TxRow::tx).toList());
        return extractor.extract(block, receipts, traces, tokens);
    }

    /** The largest value an EVM word holds: every amount is an unsigned 256-bit integer. */
    private static final BigInteger UINT256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    /** An amount column as an exact uint256 (decimal digits, 0 to 2^256-1). */
    public static BigInteger uint256(String column, String text) {
        if (text.length() > 78 || !digits(text) || text.isEmpty()) {
            throw new IllegalArgumentException(column + " '" + abbreviate(text) + "' is not a whole number from 0 to 2^256-1");
        }
        if (text.length() <= 18) {
            return BigInteger.valueOf(Long.parseLong(text)); // below 10^18: parsed as a long, and 0 is one shared object
        }
        BigInteger v = new BigInteger(text);
        if (v.compareTo(UINT256_MAX) > 0) {
            throw new IllegalArgumentException(column + " '" + abbreviate(text) + "' is above 2^256-1");
        }
        return v;
    }

    /** ASCII decimal digits only (a loop: a stream per amount showed in an import's profile). */
    private static boolean digits(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** An address column: 0x and 40 hex digits, lower-cased. */
    public static String address(String column, String text) {
        if (isAddress(text)) {
            return text; // as ethereum-etl writes it: nothing to strip or lower
        }
        String a = text.strip().toLowerCase(Locale.ROOT);
        if (!isAddress(a)) {
            throw new IllegalArgumentException(column + " '" + abbreviate(text) + "' is not an Ethereum address (0x and 40 hex digits)");
        }
        return a;
    }

    /**
     * 0x and 40 lower-case hex digits, checked by a table without a branch per digit ({@link HexDigits}): a regular expression compiled per
     * row was a tenth of an import, then the comparisons' mispredicted branches (digits and letters at random) a sixth of
     * its reading.
     */
    private static boolean isAddress(String a) {
        if (a.length() != 42 || a.charAt(0) != '0' || a.charAt(1) != 'x') {
            return false;
        }
        int bad = 0;
        for (int i = 2; i < 42; i++) {
            bad |= HexDigits.lowerCaseValue(a.charAt(i));
        }
        return (bad & ~0xf) == 0;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 40) + "..." + s.substring(s.length() - 20) + " (" + s.length() + " characters)";
    }

    private static Optional<String> optional(String column, String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(address(column, s));
    }
}
