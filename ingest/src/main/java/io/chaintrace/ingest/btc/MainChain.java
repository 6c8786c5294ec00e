package io.chaintrace.ingest.btc;

import io.chaintrace.core.model.BlockRef;
import io.chaintrace.core.model.Hash256;
import io.chaintrace.graph.BlockSink;
import io.chaintrace.graph.StoredBlock;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.bitcoinj.base.internal.ByteUtils;

/**
 * Chooses which blocks are main chain, from headers alone.
 *
 * <p>Blocks are linked by their previous-block hash. Each connected group of blocks (a
 * <em>segment</em>) is rooted at a block whose parent is neither among the input nor in the store,
 * or whose parent is stored. Within a segment the tip with the most cumulative work wins (ties: the
 * tip seen first) and the path from the root to it is main chain; every other block of the segment
 * is stale and is not ingested.
 *
 * <p>Input that does not connect (such as {@code multiblock.blk}: genesis and two 2016 blocks) gives
 * several segments; every segment is ingested, in order of its root's height. A root's height is,
 * in this order: its stored parent's height + 1; 0 for a block with no parent (genesis); 1 for the
 * child of the network's genesis block; the BIP34 height in its coinbase (block version >= 2); else
 * unknown. Heights then count up along the segment.
 */
final class MainChain {
    /** One block to ingest, with what the chain says about it. */
    record Planned(BlockRecord record, int height, BigInteger chainWork) {
    }

    /**
     * Main-chain blocks in ingest order, the stale ones left out, and the first header that breaks a rule
     * ({@link HeaderRules}): when there is one, the plan holds only blocks of the input files before its file.
     */
    record Plan(List<Planned> blocks, List<BlockRecord> stale, Optional<BlockFileException> fault) {
    }

    private MainChain() {
    }

    /**
     * @param bip34Height reads the BIP34 height of a block from its coinbase (-1 when absent)
     */
    static Plan plan(List<BlockRecord> input, BlockSink store, Hash256 genesis, ToIntFunction<BlockRecord> bip34Height, HeaderRules rules) {
        Built first = build(input, store, genesis, bip34Height, rules);
        if (first.bad() == null) {
            return new Plan(first.blocks(), first.stale(), Optional.empty());
        }
        // Nothing of the input that holds the first bad header, nor of those after it: plan again without them.
        BlockRecord bad = first.bad();
        Built again = build(BlockFileSource.before(input, bad.file()), store, genesis, bip34Height, null);
        long where = bad.raw() ? bad.offset() : bad.offset() - 8; // where its record starts, as every block fault is named
        return new Plan(again.blocks(), again.stale(), Optional.of(new BlockFileException(bad.file(), where, first.why())));
    }

    /** A plan, and the first record (in input order) whose header breaks a rule, with why; null when none does. */
    private record Built(List<Planned> blocks, List<BlockRecord> stale, BlockRecord bad, String why) {
    }

    /** Links, orders and (with {@code rules}) checks the headers; {@code rules} null checks nothing. */
    private static Built build(List<BlockRecord> input, BlockSink store, Hash256 genesis, ToIntFunction<BlockRecord> bip34Height,
                               HeaderRules rules) {
        Map<Hash256, BlockRecord> byHash = new LinkedHashMap<>();
        for (BlockRecord r : input) {
            byHash.putIfAbsent(r.hash(), r); // a block written twice counts once
        }
        Map<Hash256, List<BlockRecord>> children = new HashMap<>();
        List<BlockRecord> roots = new ArrayList<>();
        for (BlockRecord r : byHash.values()) {
            if (byHash.containsKey(r.prev())) {
                children.computeIfAbsent(r.prev(), k -> new ArrayList<>()).add(r);
            } else {
                roots.add(r);
            }
        }
        record Segment(BlockRecord root, int rootHeight, List<Planned> branch) {
        }
        List<Segment> segments = new ArrayList<>();
        List<BlockRecord> stale = new ArrayList<>();
        Map<Hash256, Integer> heights = new HashMap<>();
        HeaderRules.Headers headers = hash -> {
            BlockRecord r = byHash.get(hash);
            if (r != null) {
                return Optional.of(new HeaderRules.Header(r.hash(), r.prev(), heights.getOrDefault(hash, BlockRef.UNKNOWN_HEIGHT), r.time(),
                        r.bits()));
            }
            return store.block(hash).map(b -> new HeaderRules.Header(hash, b.prev(), b.ref().height(), b.ref().time(), b.bits()));
        };
        BlockRecord bad = null;
        String why = null;
        for (BlockRecord root : roots) {
            Optional<StoredBlock> parent = root.prev().isZero() ? Optional.empty() : store.block(root.prev());
            int rootHeight;
            BigInteger baseWork;
            if (parent.isPresent()) {
                rootHeight = parent.get().ref().heightKnown() ? parent.get().ref().height() + 1 : BlockRef.UNKNOWN_HEIGHT;
                baseWork = parent.get().chainWork();
            } else {
                baseWork = BigInteger.ZERO;
                if (root.prev().isZero()) {
                    rootHeight = 0;
                } else if (root.prev().equals(genesis)) {
                    rootHeight = 1;
                } else {
                    int h = root.version() >= 2 ? bip34Height.applyAsInt(root) : -1;
                    rootHeight = h >= 0 ? h : BlockRef.UNKNOWN_HEIGHT;
                }
            }
            // Cumulative work over the segment, iteratively: chains are long.
            Map<Hash256, BigInteger> work = new HashMap<>();
            Map<Hash256, Integer> depth = new HashMap<>();
            BlockRecord bestTip = null;
            ArrayDeque<BlockRecord> todo = new ArrayDeque<>();
            work.put(root.hash(), baseWork.add(work(root)));
            depth.put(root.hash(), 0);
            todo.add(root);
            List<BlockRecord> members = new ArrayList<>();
            while (!todo.isEmpty()) {
                BlockRecord b = todo.poll();
                members.add(b);
                int height = rootHeight == BlockRef.UNKNOWN_HEIGHT ? BlockRef.UNKNOWN_HEIGHT : rootHeight + depth.get(b.hash());
                heights.put(b.hash(), height);
                if (rules != null && (bad == null || b.order() < bad.order())) {
                    Optional<String> broken = rules.violation(b, height, headers);
                    if (broken.isPresent()) {
                        bad = b;
                        why = broken.get();
                    }
                }
                List<BlockRecord> kids = children.getOrDefault(b.hash(), List.of());
                if (kids.isEmpty()) {
                    int c = bestTip == null ? 1 : work.get(b.hash()).compareTo(work.get(bestTip.hash()));
                    if (c > 0 || (c == 0 && b.order() < bestTip.order())) {
                        bestTip = b;
                    }
                }
                for (BlockRecord k : kids) {
                    work.put(k.hash(), work.get(b.hash()).add(work(k)));
                    depth.put(k.hash(), depth.get(b.hash()) + 1);
                    todo.add(k);
                }
            }
            List<Planned> branch = new ArrayList<>();
            java.util.Set<Hash256> onBranch = new java.util.HashSet<>();
            for (BlockRecord b = bestTip; b != null; b = b == root ? null : byHash.get(b.prev())) {
                int d = depth.get(b.hash());
                branch.add(new Planned(b, rootHeight == BlockRef.UNKNOWN_HEIGHT ? BlockRef.UNKNOWN_HEIGHT : rootHeight + d,
                        work.get(b.hash())));
                onBranch.add(b.hash());
            }
            java.util.Collections.reverse(branch);
            for (BlockRecord m : members) {
                if (!onBranch.contains(m.hash())) {
                    stale.add(m);
                }
            }
            segments.add(new Segment(root, rootHeight, branch));
        }
        segments.sort(Comparator.<Segment>comparingInt(s -> s.rootHeight() == BlockRef.UNKNOWN_HEIGHT ? Integer.MAX_VALUE : s.rootHeight())
                .thenComparingInt(s -> s.root().order()));
        List<Planned> blocks = new ArrayList<>();
        segments.forEach(s -> blocks.addAll(s.branch()));
        stale.sort(Comparator.comparingInt(BlockRecord::order));
        return new Built(blocks, stale, bad, why);
    }

    /** Expected number of hashes to find a block at this target: 2^256 / (target + 1). */
    static BigInteger work(BlockRecord r) {
        return work(r.bits());
    }

    /** Expected number of hashes to find a block at the target nBits states. */
    static BigInteger work(long bits) {
        BigInteger target = ByteUtils.decodeCompactBits(bits);
        if (target.signum() <= 0) {
            return BigInteger.ZERO;
        }
        return BigInteger.ONE.shiftLeft(256).divide(target.add(BigInteger.ONE));
    }
}
