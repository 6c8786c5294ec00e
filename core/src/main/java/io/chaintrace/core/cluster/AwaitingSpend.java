package io.chaintrace.core.cluster;

import java.util.Arrays;

/**
 * The owners of outputs read whose spender is still to come, by output id, for {@link PageClustering}: an output's
 * owner is remembered when its page is read and taken back when its spender is fed. Output ids are dense and met in
 * order, so they index arrays directly, a chunk of {@value #CHUNK} ids each, made when an owner is first remembered in
 * it and dropped when its last is taken: remembering writes in order, taking reads one slot. A hash map of the same
 * (fastutil's, in its place before) spent a quarter of the clustering at 10^7 Bitcoin transactions finding, removing
 * and shifting keys (issue 19, benchmarks/README). At most four bytes an output id of the chunks still holding an owner.
 */
final class AwaitingSpend {
    /** What {@link #take} answers for an output not remembered. */
    static final int NONE = Integer.MIN_VALUE;
    private static final int SHIFT = 16;
    private static final int CHUNK = 1 << SHIFT;

    private int[][] chunks = new int[16][];
    private int[] held = new int[16];

    /** Remembers the owner of output {@code outputId} (a non-negative id). */
    void remember(int outputId, int owner) {
        int c = outputId >>> SHIFT;
        if (c >= chunks.length) {
            int n = Math.max(c + 1, chunks.length * 2);
            chunks = Arrays.copyOf(chunks, n);
            held = Arrays.copyOf(held, n);
        }
        int[] chunk = chunks[c];
        if (chunk == null) {
            chunk = new int[CHUNK];
            Arrays.fill(chunk, NONE);
            chunks[c] = chunk;
        }
        int i = outputId & (CHUNK - 1);
        if (chunk[i] == NONE) {
            held[c]++;
        }
        chunk[i] = owner;
    }

    /** The owner remembered for output {@code outputId}, forgotten now; {@link #NONE} if none is. */
    int take(int outputId) {
        int c = outputId >>> SHIFT;
        int[] chunk = c < chunks.length ? chunks[c] : null;
        if (chunk == null) {
            return NONE;
        }
        int i = outputId & (CHUNK - 1);
        int owner = chunk[i];
        if (owner != NONE) {
            chunk[i] = NONE;
            if (--held[c] == 0) {
                chunks[c] = null;
            }
        }
        return owner;
    }

    /** Chunks held now (what the memory bound counts). */
    int chunksHeld() {
        int n = 0;
        for (int[] chunk : chunks) {
            n += chunk == null ? 0 : 1;
        }
        return n;
    }
}
