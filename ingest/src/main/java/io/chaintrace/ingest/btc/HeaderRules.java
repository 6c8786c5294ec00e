package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.bitcoinj.base.BitcoinNetwork;
import org.bitcoinj.base.internal.ByteUtils;
import org.bitcoinj.core.NetworkParameters;

/**
 * The rules a block header must follow before its work counts, as a node checks them (Bitcoin
 * Core: {@code CheckProofOfWork}, {@code GetNextWorkRequired}, {@code ContextualCheckBlockHeader}):
 * the hash is at or below the target its nBits claims; the target is within the network's limit;
 * nBits is what the difficulty rules give after the parent (the same as the parent's between
 * retargets; at every 2,016th block the previous target scaled by how long the last 2,016 blocks
 * took, clamped to a factor of four; testnet's 20-minute minimum-difficulty blocks; regtest never
 * retargets); the timestamp is after the median of the 11 blocks before it and at most two hours
 * ahead of this machine's clock. Without them a header's claimed work could make a forged branch
 * the main chain. A rule that needs ancestors the input and the store do not hold is not applied.
 */
final class HeaderRules {
    /** What the rules read of a header. */
    record Header(Hash256 hash, Hash256 prev, int height, long time, long bits) {
    }

    /** Headers by hash: the input's, else the store's. */
    interface Headers {
        Optional<Header> of(Hash256 hash);
    }

    private static final int MEDIAN_SPAN = 11;
    private static final long MAX_FUTURE_SECONDS = 2 * 60 * 60;
    private static final long TESTNET_MIN_DIFFICULTY_GAP = 20 * 60;

    private final BitcoinNetwork network;
    private final BigInteger limit;
    private final long limitBits;
    private final int interval;
    private final long timespan;
    private final long now;

    HeaderRules(BitcoinNetwork network, long nowSeconds) {
        NetworkParameters params = NetworkParameters.of(network);
        this.network = network;
        this.limit = params.getMaxTarget();
        this.limitBits = ByteUtils.encodeCompactBits(limit);
        this.interval = params.getInterval();
        this.timespan = params.getTargetTimespan();
        this.now = nowSeconds;
    }

    /** What is wrong with the header of {@code r} at {@code height} (unknown: {@link BlockRef#UNKNOWN_HEIGHT}), if anything. */
    Optional<String> violation(BlockRecord r, int height, Headers headers) {
        return violation(new Header(r.hash(), r.prev(), height, r.time(), r.bits()), height, headers);
    }

    /** What is wrong with this header at {@code height}, if anything. */
    Optional<String> violation(Header r, int height, Headers headers) {
        BigInteger target = target(r.bits());
        if (target == null || target.compareTo(limit) > 0) {
            return Optional.of(String.format("block %s: nBits 0x%08x claims a target outside this network's range (easiest 0x%08x)",
                    r.hash(), r.bits(), limitBits));
        }
        if (new BigInteger(1, r.hash().bytes()).compareTo(target) > 0) {
            return Optional.of(String.format("block %s: no proof of work: its hash is above the target its nBits 0x%08x claims",
                    r.hash(), r.bits()));
        }
        if (r.time() > now + MAX_FUTURE_SECONDS) {
            return Optional.of("block " + r.hash() + ": timestamp " + r.time() + " is more than two hours ahead of this machine's clock");
        }
        Optional<Header> parent = r.prev().isZero() ? Optional.empty() : headers.of(r.prev());
        if (parent.isEmpty()) {
            return Optional.empty(); // a segment's root: nothing before it to check against
        }
        List<Long> times = new ArrayList<>();
        Optional<Header> a = parent;
        while (a.isPresent() && times.size() < MEDIAN_SPAN) {
            times.add(a.get().time());
            a = a.get().prev().isZero() ? Optional.empty() : headers.of(a.get().prev());
        }
        Collections.sort(times);
        long median = times.get(times.size() / 2);
        if (r.time() <= median) {
            return Optional.of("block " + r.hash() + ": timestamp " + r.time() + " is not after the median time of the "
                    + times.size() + " blocks before it (" + median + ")");
        }
        return expectedBits(r, height, parent.get(), headers).filter(expected -> expected != r.bits())
                .map(expected -> String.format("block %s at height %d: nBits 0x%08x where the difficulty rules give 0x%08x", r.hash(), height,
                        r.bits(), expected));
    }

    /** The nBits the rules give a block after {@code parent}, when the headers needed are at hand. */
    private Optional<Long> expectedBits(Header r, int height, Header parent, Headers headers) {
        if (height == BlockRef.UNKNOWN_HEIGHT || parent.bits() < 0) {
            return Optional.empty();
        }
        if (network == BitcoinNetwork.REGTEST) {
            return Optional.of(parent.bits());
        }
        if (height % interval != 0) {
            if (network == BitcoinNetwork.TESTNET) {
                if (r.time() > parent.time() + TESTNET_MIN_DIFFICULTY_GAP) {
                    return Optional.of(limitBits);
                }
                // After minimum-difficulty blocks: the last bits that were not the minimum.
                Optional<Header> h = Optional.of(parent);
                while (h.isPresent() && h.get().height() % interval != 0 && h.get().bits() == limitBits && !h.get().prev().isZero()) {
                    h = headers.of(h.get().prev());
                }
                return h.map(Header::bits);
            }
            return Optional.of(parent.bits());
        }
        // A retarget: the window's first block is interval - 1 blocks above the parent.
        Optional<Header> first = Optional.of(parent);
        for (int i = 0; i < interval - 1 && first.isPresent(); i++) {
            first = first.get().prev().isZero() ? Optional.empty() : headers.of(first.get().prev());
        }
        if (first.isEmpty()) {
            return Optional.empty();
        }
        long actual = Math.max(timespan / 4, Math.min(timespan * 4, parent.time() - first.get().time()));
        BigInteger next = ByteUtils.decodeCompactBits(parent.bits()).multiply(BigInteger.valueOf(actual)).divide(BigInteger.valueOf(timespan));
        return Optional.of(ByteUtils.encodeCompactBits(next.min(limit)));
    }

    /** The target nBits encodes, or null when it is negative, zero or overflows 256 bits. */
    private static BigInteger target(long bits) {
        int size = (int) (bits >>> 24);
        boolean negative = (bits & 0x00800000L) != 0;
        BigInteger t = ByteUtils.decodeCompactBits(bits);
        if (negative || t.signum() <= 0 || size > 34 || t.bitLength() > 256) {
            return null;
        }
        return t;
    }
}
