package io.chaintrace.ingest.eth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.rlp.RlpEncoder;
import org.web3j.rlp.RlpList;
import org.web3j.rlp.RlpString;
import org.web3j.rlp.RlpType;

/**
 * The root of the Merkle-Patricia trie a block header commits its transactions and its receipts to
 * (the yellow paper's appendix D, and its function for those two lists): item i stored under the key
 * RLP(i). Built in one pass over the keys sorted, as a node computes it; no trie is kept. web3j gives
 * RLP and Keccak but no trie, and no well-kept Java library offers one outside a client's internals.
 */
final class TrieRoot {
    /** The root of a trie with nothing in it: Keccak-256 of RLP(""), every empty block's transactions root. */
    static final byte[] EMPTY = Hash.sha3(RlpEncoder.encode(RlpString.create(new byte[0])));

    private TrieRoot() {
    }

    /** The root of the trie holding {@code items.get(i)} under the key RLP(i), as a header's transactions and receipts roots. */
    static byte[] ofList(List<byte[]> items) {
        if (items.isEmpty()) {
            return EMPTY.clone();
        }
        List<Entry> entries = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            entries.add(new Entry(nibbles(RlpEncoder.encode(RlpString.create(i))), items.get(i)));
        }
        // RLP(0) is 0x80 and RLP(1..127) are 0x01..0x7f: the keys' order is not the items'.
        entries.sort((a, b) -> Arrays.compare(a.key, b.key));
        return Hash.sha3(RlpEncoder.encode(node(entries, 0, entries.size(), 0)));
    }

    private record Entry(byte[] key, byte[] value) {
    }

    /** The node for entries [from, to) (sorted, all sharing their first {@code depth} nibbles). */
    private static RlpType node(List<Entry> entries, int from, int to, int depth) {
        Entry first = entries.get(from);
        if (to - from == 1) {
            return new RlpList(RlpString.create(hexPrefix(first.key, depth, first.key.length, true)), RlpString.create(first.value));
        }
        // Sorted keys share with each other what the first shares with the last.
        byte[] last = entries.get(to - 1).key;
        int shared = depth;
        while (shared < first.key.length && shared < last.length && first.key[shared] == last[shared]) {
            shared++;
        }
        if (shared > depth) {
            return new RlpList(RlpString.create(hexPrefix(first.key, depth, shared, false)), reference(branch(entries, from, to, shared)));
        }
        return branch(entries, from, to, depth);
    }

    private static RlpType branch(List<Entry> entries, int from, int to, int depth) {
        List<RlpType> slots = new ArrayList<>(17);
        byte[] value = new byte[0];
        int i = from;
        if (entries.get(i).key.length == depth) {
            // A key ending here (never one of RLP(i), which are prefixes of none another): its value is the branch's.
            value = entries.get(i).value;
            i++;
        }
        for (int nibble = 0; nibble < 16; nibble++) {
            int start = i;
            while (i < to && entries.get(i).key[depth] == nibble) {
                i++;
            }
            slots.add(start == i ? RlpString.create(new byte[0]) : reference(node(entries, start, i, depth + 1)));
        }
        slots.add(RlpString.create(value));
        return new RlpList(slots);
    }

    /** How a node is referred to from its parent: itself when its encoding is under 32 bytes, else its hash. */
    private static RlpType reference(RlpType node) {
        byte[] encoded = RlpEncoder.encode(node);
        return encoded.length < 32 ? node : RlpString.create(Hash.sha3(encoded));
    }

    /** The yellow paper's hex-prefix encoding of nibbles [from, to), flagged as a leaf's or an extension's. */
    private static byte[] hexPrefix(byte[] nibbles, int from, int to, boolean leaf) {
        int n = to - from;
        byte[] out = new byte[n / 2 + 1];
        int flag = leaf ? 2 : 0;
        int k = from;
        if (n % 2 == 1) {
            out[0] = (byte) (((flag + 1) << 4) | nibbles[k++]);
        } else {
            out[0] = (byte) (flag << 4);
        }
        for (int j = 1; j < out.length; j++, k += 2) {
            out[j] = (byte) ((nibbles[k] << 4) | nibbles[k + 1]);
        }
        return out;
    }

    private static byte[] nibbles(byte[] bytes) {
        byte[] out = new byte[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = (byte) ((bytes[i] >> 4) & 0x0f);
            out[2 * i + 1] = (byte) (bytes[i] & 0x0f);
        }
        return out;
    }
}
