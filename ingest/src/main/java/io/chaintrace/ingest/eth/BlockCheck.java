package io.chaintrace.ingest.eth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.math.BigInteger;
import java.security.SignatureException;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Hash;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;
import tools.jackson.databind.JsonNode;

/**
 * Holds what a node answers to the hashes the chain commits to, before anything of it is stored
 * (docs/ETHEREUM-VERIFICATION.md): the header to the block's hash (which the next block names as its
 * parent), each transaction to its hash, the list of them to the header's transactions root, the
 * receipts (whose logs are the token transfers) to its receipts root. A node that is wrong, a proxy
 * or cache between, or a provider that edits answers is caught here. What no hash covers (traces,
 * which are the node's re-execution) is the node's word and said to be.
 */
final class BlockCheck {
    private BlockCheck() {
    }

    /** Why the block a node answered is not the one the chain holds; empty when header and transactions hold. */
    static Optional<String> invalidity(JsonNode block) {
        try {
            String given = block.path("hash").asString("");
            String computed = hex(Hash.sha3(EthEncoding.header(block)));
            if (!computed.equalsIgnoreCase(given)) {
                return Optional.of("its header hashes to " + computed + ", not to the hash it was given (" + given + "): a header field "
                        + "was changed on the way, or the node serves a chain whose header has fields this version does not know");
            }
            JsonNode txs = block.path("transactions");
            if (!txs.isArray()) {
                return Optional.of("its transactions are not a list");
            }
            List<byte[]> encoded = new ArrayList<>(txs.size());
            for (int i = 0; i < txs.size(); i++) {
                JsonNode tx = txs.get(i);
                if (!tx.isObject()) {
                    return Optional.of("transaction " + i + " is not an object");
                }
                byte[] bytes = EthEncoding.transaction(tx);
                String hash = hex(Hash.sha3(bytes));
                if (!hash.equalsIgnoreCase(tx.path("hash").asString(""))) {
                    return Optional.of("transaction " + i + " hashes to " + hash + ", not to the hash it was given ("
                            + tx.path("hash").asString("") + "): a field of it was changed");
                }
                if (tx.has("transactionIndex") && Rpc.quantity(tx.get("transactionIndex")).intValueExact() != i) {
                    return Optional.of("transaction " + i + " (" + hash + ") is given index " + Rpc.quantity(tx.get("transactionIndex")));
                }
                EthEncoding.address(tx, "from", "transaction " + i + " (" + hash + ")");
                Optional<String> price = gasPriceInvalidity(tx, block);
                if (price.isPresent()) {
                    return Optional.of("transaction " + i + " (" + hash + ") " + price.get());
                }
                // The sender is what a transfer of ether is attributed to, and what a created contract's address derives
                // from; nothing else the ingest stores reads it. Recovering it costs 0.1 ms (BouncyCastle's secp256k1), so
                // it is recovered where it is read: a transaction that moves ether or creates a contract.
                Optional<String> sender = Rpc.quantity(tx.get("value")).signum() > 0 || !EthEncoding.given(tx, "to") ? senderInvalidity(bytes, tx)
                        : Optional.empty();
                if (sender.isPresent()) {
                    return Optional.of("transaction " + i + " (" + hash + ") " + sender.get());
                }
                encoded.add(bytes);
            }
            String root = hex(TrieRoot.ofList(encoded));
            if (!root.equalsIgnoreCase(block.path("transactionsRoot").asString(""))) {
                return Optional.of("its " + txs.size() + " transactions have the root " + root + ", not the header's "
                        + block.path("transactionsRoot").asString("") + ": transactions were left out, added or reordered");
            }
            return Optional.empty();
        } catch (EthEncoding.Unencodable e) {
            return Optional.of(e.getMessage());
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.of("a number in it is out of range or not a number: " + e.getMessage());
        }
    }

    /**
     * Why the gas price a node gave a transaction is not the one it paid; empty when it is (or none is given). A legacy or
     * EIP-2930 transaction's is in its encoding; a later type's is what it paid in its block, which the hash does not
     * cover: the base fee (the header's) plus its priority fee, at most its fee cap (EIP-1559).
     */
    static Optional<String> gasPriceInvalidity(JsonNode tx, JsonNode block) {
        JsonNode given = tx.get("gasPrice");
        if (given == null || given.isNull() || Rpc.quantity(tx.get("type")).intValueExact() < 2) {
            return Optional.empty();
        }
        BigInteger paid = Rpc.quantity(tx.get("maxFeePerGas")).min(Rpc.quantity(block.get("baseFeePerGas"))
                .add(Rpc.quantity(tx.get("maxPriorityFeePerGas"))));
        return paid.equals(Rpc.quantity(given)) ? Optional.empty()
                : Optional.of("is given the gas price " + Rpc.quantity(given) + " where its fees and the block's base fee make " + paid);
    }

    /**
     * Why a block's receipts, as a node answered them, are not those its header commits to; empty when they are: one
     * receipt for each transaction, in its place, and together the header's receipts root.
     */
    static Optional<String> receiptsInvalidity(long block, byte[] receiptsRoot, List<Committed> txs, List<TransactionReceipt> receipts) {
        List<String> txHashes = txs.stream().map(Committed::hash).toList();
        try {
            TransactionReceipt[] byIndex = new TransactionReceipt[txHashes.size()];
            for (TransactionReceipt r : receipts) {
                int i = r.getTransactionIndexRaw() == null ? -1 : Rpc.quantity(r.getTransactionIndexRaw()).intValueExact();
                if (i < 0 || i >= byIndex.length || byIndex[i] != null) {
                    return Optional.of("a receipt (" + r.getTransactionHash() + ") for transaction index " + i + " of "
                            + txHashes.size() + (i >= 0 && i < byIndex.length ? ", given twice" : ", which there is not"));
                }
                if (!txHashes.get(i).equalsIgnoreCase(String.valueOf(r.getTransactionHash()))) {
                    return Optional.of("the receipt for transaction " + i + " is of " + r.getTransactionHash() + ", not of "
                            + txHashes.get(i));
                }
                byIndex[i] = r;
            }
            List<byte[]> encoded = new ArrayList<>(byIndex.length);
            long logIndex = 0;
            for (int i = 0; i < byIndex.length; i++) {
                TransactionReceipt r = byIndex[i];
                if (r == null) {
                    return Optional.of("no receipt for transaction " + i + " (" + txHashes.get(i) + ")");
                }
                Optional<String> creates = txs.get(i).creates();
                if (r.getContractAddress() != null && !creates.map(r.getContractAddress()::equalsIgnoreCase).orElse(false)) {
                    return Optional.of("the receipt of transaction " + i + " (" + txHashes.get(i) + ") says it created "
                            + r.getContractAddress() + (creates.isPresent() ? ", where its sender and nonce create " + creates.get()
                            : ", which is no contract creation"));
                }
                // What the root covers of a log is its address, topics and data; where it sits the receipts' order says.
                for (org.web3j.protocol.core.methods.response.Log l : r.getLogs()) {
                    if (!txHashes.get(i).equalsIgnoreCase(String.valueOf(l.getTransactionHash())) || l.getTransactionIndexRaw() == null
                            || Rpc.quantity(l.getTransactionIndexRaw()).intValueExact() != i || l.getLogIndexRaw() == null
                            || Rpc.quantity(l.getLogIndexRaw()).longValueExact() != logIndex || l.getBlockNumberRaw() == null
                            || Rpc.quantity(l.getBlockNumberRaw()).longValueExact() != block) {
                        return Optional.of("log " + logIndex + " of the block, in the receipt of transaction " + i + " (" + txHashes.get(i)
                                + "), is placed at transaction " + l.getTransactionHash() + " (index " + l.getTransactionIndexRaw()
                                + "), log index " + l.getLogIndexRaw() + ", block " + l.getBlockNumberRaw());
                    }
                    logIndex++;
                }
                encoded.add(EthEncoding.receipt(r));
            }
            byte[] root = TrieRoot.ofList(encoded);
            if (!Arrays.equals(root, receiptsRoot)) {
                return Optional.of("its receipts have the root " + hex(root) + ", not the header's " + hex(receiptsRoot)
                        + ": a log, status or amount of gas in them was changed");
            }
            return Optional.empty();
        } catch (EthEncoding.Unencodable e) {
            return Optional.of(e.getMessage());
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.of("a number in its receipts is out of range or not a number: " + e.getMessage());
        }
    }

    /** A transaction as the block commits to it: its hash, and the contract it creates (from its sender and nonce), if any. */
    record Committed(String hash, Optional<String> creates) {
    }

    /** The transactions of a block {@link #invalidity} found valid, as it commits to them. */
    static List<Committed> committed(JsonNode block) {
        List<Committed> out = new ArrayList<>(block.path("transactions").size());
        for (JsonNode t : block.path("transactions")) {
            out.add(new Committed(t.path("hash").asString(), EthEncoding.given(t, "to") ? Optional.empty()
                    : Optional.of(ContractUtils.generateContractAddress(t.path("from").asString(), Rpc.quantity(t.get("nonce"))))));
        }
        return out;
    }

    /**
     * Why the sender a node gave a transaction is not the one its signature names; empty when it is. The sender is not
     * part of the encoding (the hash does not cover it): it is what the signature recovers to, over the transaction's
     * signing hash (EIP-155's chain id for a legacy one that has it, EIP-2718's type for a typed one).
     */
    static Optional<String> senderInvalidity(byte[] encoded, JsonNode tx) {
        String given = tx.path("from").asString("");
        String signer;
        try {
            if (!(TransactionDecoder.decode(Numeric.toHexString(encoded)) instanceof SignedRawTransaction signed)) {
                return Optional.of("carries no signature");
            }
            signer = signed.getFrom();
        } catch (SignatureException | RuntimeException e) {
            return Optional.of("has a signature that recovers no sender (" + e.getMessage() + ")");
        }
        return signer.equalsIgnoreCase(given) ? Optional.empty()
                : Optional.of("is signed by " + signer + ", not by the sender it was given (" + given + ")");
    }

    static String hex(byte[] bytes) {
        return Numeric.toHexString(bytes);
    }
}
