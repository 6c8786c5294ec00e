package io.chaintrace.core.cluster;

import java.util.Arrays;

/**
 * Disjoint sets over dense owner ids (union by size, path halving), growing as ids appear. Each
 * set also knows its smallest id: the entity's name, the same whatever order the unions came in.
 */
public final class UnionFind {
    private int[] parent;
    private int[] size;
    private int[] min;

    public UnionFind(int capacity) {
        parent = new int[Math.max(16, capacity)];
        size = new int[parent.length];
        min = new int[parent.length];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
            size[i] = 1;
            min[i] = i;
        }
    }

    private void ensure(int id) {
        if (id < parent.length) {
            return;
        }
        int old = parent.length;
        int cap = Math.max(id + 1, old * 2);
        parent = Arrays.copyOf(parent, cap);
        size = Arrays.copyOf(size, cap);
        min = Arrays.copyOf(min, cap);
        for (int i = old; i < cap; i++) {
            parent[i] = i;
            size[i] = 1;
            min[i] = i;
        }
    }

    public int find(int id) {
        ensure(id);
        int x = id;
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    /** Joins the sets of {@code a} and {@code b}; returns the new root (or the common one). */
    public int union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra == rb) {
            return ra;
        }
        if (size[ra] < size[rb]) {
            int t = ra;
            ra = rb;
            rb = t;
        }
        parent[rb] = ra;
        size[ra] += size[rb];
        min[ra] = Math.min(min[ra], min[rb]);
        return ra;
    }

    /** Sets a parent directly (loading a stored forest). */
    public void link(int child, int parentId) {
        ensure(Math.max(child, parentId));
        parent[child] = parentId;
    }

    /**
     * After {@link #link} loads: every id points straight at its root, and set sizes are counted
     * again (union by size needs them; loaded links carry none).
     */
    public void normalize() {
        for (int i = 0; i < parent.length; i++) {
            parent[i] = find(i);
        }
        Arrays.fill(size, 0);
        for (int i = 0; i < parent.length; i++) {
            min[i] = i;
        }
        for (int i = 0; i < parent.length; i++) {
            size[parent[i]]++;
            min[parent[i]] = Math.min(min[parent[i]], i);
        }
    }

    /** The smallest id in the set of {@code id}: a name for the set that does not depend on how it was built. */
    public int smallest(int id) {
        return min[find(id)];
    }

    /** Ids below which the forest is defined (ids beyond are singletons). */
    public int capacity() {
        return parent.length;
    }
}
