package io.chaintrace.core.account;

import io.chaintrace.core.model.AccountTransfer;
import io.chaintrace.core.model.Address;
import io.chaintrace.core.model.Amount;
import io.chaintrace.core.model.Asset;
import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.core.model.TransferKind;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the value transfers of a block (docs/DATA-MODELS.md): the top-level value of each
 * successful transaction; internal CALL, CREATE and SELFDESTRUCT frames with value that did not
 * fail (DELEGATECALL moves nothing, CALLCODE pays the caller itself, STATICCALL cannot carry
 * value); and ERC-20 {@code Transfer} logs (three topics; ERC-721 has four and moves no amount).
 * Reverted transactions and failed frames move nothing; fees are not transfers; block rewards are
 * new issuance and left out. Several threads may extract blocks with one extractor at once.
 */
public final class TransferExtractor {
    /** keccak256("Transfer(address,address,uint256)"). */
    public static final String TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

    private final Function<String, Asset> tokens;
    /**
     * Accounts met lately, by their text as given: sets of four slots per hash, the newest first and the oldest out when
     * a fifth comes. Bounded (an import meets hundreds of millions of accounts) yet large enough for the accounts an import
     * meets again and again: a miss parses the text and computes its EIP-55 checksum (a Keccak hash), and with 65,536
     * slots the misses at 10^7 transfers of a million accounts cost more than the extraction saved by its own thread;
     * with 2^20 slots of one account each, a quarter of the extraction was still the misses' Keccak hashes (a million
     * accounts in a million slots meet each other). A slot holds an immutable pair and its text's hash beside it (a set's
     * four are read without following a pointer), so threads may share the cache: a hash and its pair read apart by
     * another thread's write are held to the text, and at worst one misses what another was writing.
     */
    private final Seen[] seen = new Seen[SEEN];
    private final int[] seenHashes = new int[SEEN];
    private static final int SEEN = 1 << 20;
    private static final int WAYS = 4;

    private record Seen(String text, Address address) {
    }

    /**
     * One per import (or per task), not per block: the cache of accounts is allocated here, 8 MB.
     *
     * @param tokens what a token contract (lower-case hex) is: symbol and decimals when known
     */
    public TransferExtractor(Function<String, Asset> tokens) {
        this.tokens = tokens;
    }

    /** ERC-20 transfers among logs, in log order. */
    public static List<EthRows.TokenTransfer> tokenTransfers(List<EthRows.Log> logs) {
        List<EthRows.TokenTransfer> out = new ArrayList<>();
        for (EthRows.Log log : logs) {
            List<String> t = log.topics();
            if (t.size() != 3 || !TRANSFER_TOPIC.equalsIgnoreCase(t.get(0))) {
                continue;
            }
            String data = log.data().startsWith("0x") ? log.data().substring(2) : log.data();
            if (data.length() != 64) {
                continue; // not an ERC-20 amount
            }
            out.add(new EthRows.TokenTransfer(log.address().toLowerCase(Locale.ROOT), topicAddress(t.get(1)), topicAddress(t.get(2)),
                    new BigInteger(data, 16), log.txHash(), log.txIndex(), log.logIndex(), log.blockNumber()));
        }
        return out;
    }

    private static String topicAddress(String topic) {
        String h = topic.startsWith("0x") ? topic.substring(2) : topic;
        return "0x" + h.substring(h.length() - 40).toLowerCase(Locale.ROOT);
    }

    /**
     * Whether a transaction succeeded: its receipt's status; before Byzantium (no status) its
     * top-level trace; with neither, it is taken as successful.
     */
    static boolean succeeded(EthRows.Tx tx, Optional<EthRows.Receipt> receipt, List<EthRows.Trace> traces) {
        if (receipt.isPresent() && receipt.get().success().isPresent()) {
            return receipt.get().success().get();
        }
        for (EthRows.Trace t : traces) {
            if (t.txIndex() == tx.index() && t.traceAddress().isEmpty() && !t.traceType().equals("reward")) {
                return t.success();
            }
        }
        return true;
    }

    /**
     * The transfers of one block, in block order: per transaction its native value (index 0),
     * then its internal transfers (index = 1 + how many value-moving frames came before it, in
     * execution order: what a node's traces and an explorer's list of internal transactions both
     * give, whatever frames moved nothing), then its token transfers (index = the log index). Keys include the kind, so indexes of
     * different kinds never collide.
     */
    public List<AccountTransfer> extract(EthRows.Block block, Map<Hash256, EthRows.Receipt> receipts, List<EthRows.Trace> traces,
                                         List<EthRows.TokenTransfer> tokenTransfers) {
        BlockRef ref = new BlockRef(Math.toIntExact(block.number()), block.hash(), block.timestamp());
        Map<Integer, List<EthRows.Trace>> tracesByTx = new HashMap<>();
        for (EthRows.Trace t : traces) {
            tracesByTx.computeIfAbsent(t.txIndex(), k -> new ArrayList<>()).add(t);
        }
        Map<Integer, List<EthRows.TokenTransfer>> tokensByTx = new HashMap<>();
        for (EthRows.TokenTransfer t : tokenTransfers) {
            tokensByTx.computeIfAbsent(t.txIndex(), k -> new ArrayList<>()).add(t);
        }
        List<AccountTransfer> out = new ArrayList<>();
        for (EthRows.Tx tx : block.transactions()) {
            Optional<EthRows.Receipt> receipt = Optional.ofNullable(receipts.get(tx.hash()));
            List<EthRows.Trace> txTraces = tracesByTx.getOrDefault(tx.index(), List.of());
            if (!succeeded(tx, receipt, txTraces)) {
                continue;
            }
            if (tx.value().signum() > 0) {
                Optional<String> to = tx.to().or(() -> receipt.flatMap(EthRows.Receipt::contractAddress))
                        .or(() -> txTraces.stream().filter(t -> t.traceAddress().isEmpty()).findFirst().flatMap(EthRows.Trace::to));
                if (to.isPresent()) {
                    out.add(new AccountTransfer(tx.hash(), ref, tx.index(), TransferKind.NATIVE, 0, account(tx.from()), account(to.get()),
                            new Amount(Asset.ETH, tx.value())));
                }
            }
            int moved = 0;
            for (EthRows.Trace t : txTraces) {
                if (movesValue(t)) {
                    out.add(new AccountTransfer(tx.hash(), ref, tx.index(), TransferKind.INTERNAL, ++moved, account(t.from().get()),
                            account(t.to().get()), new Amount(Asset.ETH, t.value())));
                }
            }
            for (EthRows.TokenTransfer t : tokensByTx.getOrDefault(tx.index(), List.of())) {
                if (t.value().signum() > 0) {
                    out.add(new AccountTransfer(tx.hash(), ref, tx.index(), TransferKind.TOKEN, t.logIndex(), account(t.from()),
                            account(t.to()), new Amount(tokens.apply(t.token()), t.value())));
                }
            }
        }
        return out;
    }

    /** Whether a frame moved value between two parties. The top-level frame is the transaction's own value. */
    public static boolean movesValue(EthRows.Trace t) {
        if (t.traceAddress().isEmpty() || !t.success() || t.value().signum() <= 0 || t.from().isEmpty() || t.to().isEmpty()) {
            return false;
        }
        return switch (t.traceType()) {
            case "call" -> t.callType().map("call"::equals).orElse(true);
            case "create", "suicide" -> true;
            default -> false;
        };
    }

    private Address account(String hex) {
        int h = hex.hashCode();
        int set = ((h ^ h >>> 16) & (SEEN / WAYS - 1)) * WAYS;
        for (int i = set; i < set + WAYS; i++) {
            if (seenHashes[i] == h) {
                Seen s = seen[i];
                if (s != null && s.text().equals(hex)) {
                    return s.address();
                }
            }
        }
        Address a = Address.parse(hex.toLowerCase(Locale.ROOT));
        System.arraycopy(seen, set, seen, set + 1, WAYS - 1);
        System.arraycopy(seenHashes, set, seenHashes, set + 1, WAYS - 1);
        seen[set] = new Seen(hex, a);
        seenHashes[set] = h;
        return a;
    }
}
