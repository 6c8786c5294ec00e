package io.chaintrace.core.cluster;

import io.chaintrace.core.compact.PagedChain;
import io.chaintrace.core.model.ScriptKind;
import io.chaintrace.core.model.UtxoTransaction;
import io.chaintrace.core.pattern.CoinJoinClassifier;
import io.chaintrace.core.pattern.PeelChainDetector;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;
import it.unimi.dsi.fastutil.ints.IntArrayList;
import it.unimi.dsi.fastutil.longs.LongArrayList;

/**
 * Feeds a {@link Clusterer} from the compact rows, page after page in chain order, and makes the same entities
 * {@link TransactionClustering} makes from whole transactions, without reading a transaction back or turning an owner's
 * id into its address: an input's owner is the owner of the output it spends, remembered from that output's page (an
 * output is remembered only when its page says it is spent, and forgotten when it is); a script kind comes from the
 * owner's id. Two questions need more than the rows:
 * <ul>
 * <li>A CoinJoin: the transaction is read whole and classified only when {@link CoinJoinClassifier#couldMatch} says a
 * standard rule could match it (two inputs or more and a repeated output value: few transactions).</li>
 * <li>The peel continuation of a peel step: whether the spender of its remainder is a peel step too, which is known
 * only when the spender is read. When the answer changes the step's change output, its change link waits for the
 * spender (its inputs are joined at once). The partition does not depend on the order of the unions; the split of
 * the links by reason may, by the few that wait.</li>
 * </ul>
 * A run may stop at any point and resume from {@link #resumeSeq()} with {@link #resumeMaxSeen()}: the transactions
 * from there are fed again, which joins nothing twice.
 */
public final class PageClustering {
    /** What the rows do not hold. */
    public interface Source {
        /** An owner's script kind. */
        ScriptKind kind(int owner);

        /** A page read on its own: the funding outputs of a run that starts after them. */
        PagedChain.Page page(int page);

        /** Transaction {@code seq} whole (a CoinJoin candidate). */
        UtxoTransaction transaction(long seq);
    }

    /** Transactions a resume bucket spans: a waiting change link holds back the resume point to its bucket's start. */
    private static final int BUCKET_SHIFT = 10;
    private static final int CACHED_PAGES = 1 << 12;

    private final Clusterer clusterer;
    private final Source source;
    private final int shift;
    private final long fromSeq;
    private final CoinJoinClassifier coinjoins = CoinJoinClassifier.standard();
    private final PeelChainDetector peel = PeelChainDetector.DEFAULT;
    /** Output id -> owner of outputs read whose spender is still to come. */
    private final AwaitingSpend owners = new AwaitingSpend();
    /** Spender seq -> waiting change links, four ints each: first input's owner, change owner if the chain stops, if it goes on, bucket. */
    private final Int2ObjectOpenHashMap<IntArrayList> waiting = new Int2ObjectOpenHashMap<>();
    /** Per bucket from the first: waiting links, and where its feeding started with the highest owner id before. */
    private final IntArrayList bucketWaiting = new IntArrayList();
    private final IntArrayList bucketMaxSeen = new IntArrayList();
    private final LongArrayList bucketStart = new LongArrayList();
    private final long firstBucket;
    private int oldestWaiting;
    private final PagedChain.Page[] cache = new PagedChain.Page[CACHED_PAGES];
    private int maxSeen;
    private long nextSeq;
    private long fed;

    /**
     * Feeding starts at {@code fromSeq}; {@code maxSeen}: the highest owner id met before it (-1 for none); pages of the
     * {@code 1 << pageShift} transactions each.
     */
    public PageClustering(Clusterer clusterer, Source source, int pageShift, long fromSeq, int maxSeen) {
        this.clusterer = clusterer;
        this.source = source;
        this.shift = pageShift;
        this.fromSeq = fromSeq;
        this.maxSeen = maxSeen;
        this.nextSeq = fromSeq;
        this.firstBucket = fromSeq >>> BUCKET_SHIFT;
    }

    /**
     * One page, decoded whole, holding {@code count} transactions; pages come in order, from the one holding the first
     * transaction fed (its transactions before that are only remembered).
     */
    public void accept(PagedChain.Page p, int count) {
        for (int j = 0; j < count; j++) {
            if (p.bodies() != null) {
                p.bodies().decode(p, j);
            }
            int[] outStart = p.outStart();
            for (int o = outStart[j]; o < outStart[j + 1]; o++) {
                if (p.spender()[o] >= 0) {
                    owners.remember(p.firstOutput()[j] + o - outStart[j], p.outOwner()[o]);
                }
            }
            long seq = (long) p.firstTx() + j;
            if (seq >= fromSeq) {
                feed(p, j, seq);
            }
        }
    }

    private void feed(PagedChain.Page p, int j, long seq) {
        int bucket = (int) ((seq >>> BUCKET_SHIFT) - firstBucket);
        if (bucket == bucketStart.size()) {
            bucketStart.add(seq);
            bucketMaxSeen.add(maxSeen);
            bucketWaiting.add(0);
        }
        int[] inStart = p.inStart();
        int n = inStart[j + 1] - inStart[j];
        int[] inOwner = new int[n];
        ScriptKind[] inKind = new ScriptKind[n];
        long[] inValue = new long[n];
        boolean resolved = true;
        for (int i = 0; i < n; i++) {
            int k = inStart[j] + i;
            inValue[i] = p.inValue()[k];
            if (p.inTx()[k] < 0) {
                inOwner[i] = -1;
                resolved = false; // a coinbase, or a funding transaction the store lacks
                continue;
            }
            int owner = owners.take(p.inSource()[k]);
            if (owner == AwaitingSpend.NONE) {
                owner = fundingOwner(p.inTx()[k], p.inSource()[k]);
            }
            inOwner[i] = owner;
            inKind[i] = owner >= 0 ? source.kind(owner) : null;
        }
        int[] outStart = p.outStart();
        int m = outStart[j + 1] - outStart[j];
        int[] outOwner = new int[m];
        ScriptKind[] outKind = new ScriptKind[m];
        long[] outValue = new long[m];
        boolean[] fresh = new boolean[m];
        int seenBefore = maxSeen;
        for (int o = 0; o < m; o++) {
            int owner = p.outOwner()[outStart[j] + o];
            outOwner[o] = owner;
            // Only a data carrier has no owner; an owner's kind is its output's.
            outKind[o] = owner >= 0 ? source.kind(owner) : ScriptKind.OP_RETURN;
            outValue[o] = p.outValue()[outStart[j] + o];
            fresh[o] = owner > seenBefore;
            maxSeen = Math.max(maxSeen, owner);
        }
        fed++;
        nextSeq = seq + 1;
        int remainder = peel.remainder(inOwner, inValue, resolved, outOwner, outValue);
        IntArrayList waitingHere = waiting.remove((int) seq);
        if (waitingHere != null) {
            // Peel steps whose remainder this transaction spends: their chain goes on if this is a peel step too.
            for (int w = 0; w < waitingHere.size(); w += 4) {
                clusterer.joinChange(waitingHere.getInt(w), waitingHere.getInt(w + (remainder >= 0 ? 2 : 1)), null);
                bucketWaiting.set(waitingHere.getInt(w + 3), bucketWaiting.getInt(waitingHere.getInt(w + 3)) - 1);
            }
        }
        if (CoinJoinClassifier.couldMatch(n, outValue) && coinjoins.match(source.transaction(seq)).isPresent()) {
            clusterer.skipCoinJoin();
            return;
        }
        ClusterTx stops = new ClusterTx(inOwner, inKind, inValue, outOwner, outKind, outValue, fresh, false, false);
        int first = clusterer.joinInputs(stops, null);
        if (first < 0) {
            return;
        }
        int change = clusterer.change(stops).orElse(-1);
        int spender = remainder < 0 ? -1 : p.spender()[outStart[j] + remainder];
        if (spender >= 0) {
            int goesOn = clusterer.change(new ClusterTx(inOwner, inKind, inValue, outOwner, outKind, outValue, fresh, false, true)).orElse(-1);
            if (goesOn != change) {
                IntArrayList list = waiting.computeIfAbsent(spender, s -> new IntArrayList(4));
                list.addElements(list.size(), new int[] {first,
                        change < 0 ? -1 : outOwner[change], goesOn < 0 ? -1 : outOwner[goesOn], bucket});
                bucketWaiting.set(bucket, bucketWaiting.getInt(bucket) + 1);
                return;
            }
        }
        if (change >= 0) {
            clusterer.joinChange(first, outOwner[change], null);
        }
    }

    /** The owner of output {@code outputId} of transaction {@code fundingSeq}, from its page (a run that starts after it). */
    private int fundingOwner(int fundingSeq, int outputId) {
        int page = fundingSeq >>> shift;
        PagedChain.Page p = cache[page & (CACHED_PAGES - 1)];
        if (p == null || p.firstTx() != page << shift) {
            p = source.page(page);
            cache[page & (CACHED_PAGES - 1)] = p;
        }
        int j = fundingSeq - p.firstTx();
        if (p.bodies() != null) {
            p.bodies().decode(p, j);
        }
        return p.outOwner()[p.outStart()[j] + outputId - p.firstOutput()[j]];
    }

    /** Where a run resumes so that no waiting change link is lost: the start of the oldest bucket with one waiting. */
    public long resumeSeq() {
        return oldest() < 0 ? nextSeq : bucketStart.getLong(oldest());
    }

    /** The highest owner id met before {@link #resumeSeq()}. */
    public int resumeMaxSeen() {
        return oldest() < 0 ? maxSeen : bucketMaxSeen.getInt(oldest());
    }

    private int oldest() {
        // Never past the bucket being fed: it may have links to wait yet.
        while (oldestWaiting < bucketWaiting.size() - 1 && bucketWaiting.getInt(oldestWaiting) == 0) {
            oldestWaiting++;
        }
        return oldestWaiting < bucketWaiting.size() && bucketWaiting.getInt(oldestWaiting) > 0 ? oldestWaiting : -1;
    }

    /** Transactions fed. */
    public long fed() {
        return fed;
    }

    /** Change links still waiting for their remainder's spender (none once every page to the last is fed). */
    public int waitingLinks() {
        int n = 0;
        for (IntArrayList w : waiting.values()) {
            n += w.size() / 4;
        }
        return n;
    }
}
