package org.sinter.learned.index.update;

import java.util.function.LongConsumer;
import org.sinter.learned.index.Search;

/**
 * The updatable baseline: a classic B+-tree with sorted key arrays in every node (cache-conscious
 * node sizes: 64-key leaves, 32-way inner nodes), leaves chained for in-order scans, node splits on
 * overflow. Bulk loading fills leaves to 80%, about where random inserts leave them, so a workload
 * starting from a bulk load sees a steady-state tree.
 */
public final class BPlusTree implements UpdatableLongIndex {
    static final int LEAF_CAPACITY = 64, INNER_CAPACITY = 32;

    private abstract static sealed class Node permits Leaf, Inner {}

    private static final class Leaf extends Node {
        final long[] keys = new long[LEAF_CAPACITY];
        int count;
        Leaf next;
    }

    private static final class Inner extends Node {
        /** separators[i] is the smallest key of children[i + 1]. */
        final long[] separators = new long[INNER_CAPACITY - 1];
        final Node[] children = new Node[INNER_CAPACITY];
        int count; // children
    }

    /** What a child hands up after splitting: the new right sibling and its smallest key. */
    private record Split(long separator, Node right) {}

    private Node root = new Leaf();
    private long size;
    private long leaves = 1, inners;

    public BPlusTree() {}

    /** Bulk-loads sorted keys. */
    public static BPlusTree of(long[] sorted) {
        Search.requireSorted(sorted, "BPlusTree");
        BPlusTree t = new BPlusTree();
        if (sorted.length == 0) return t;
        int perLeaf = LEAF_CAPACITY * 4 / 5, perInner = INNER_CAPACITY * 4 / 5;
        int leafCount = (sorted.length + perLeaf - 1) / perLeaf;
        Node[] level = new Node[leafCount];
        long[] mins = new long[leafCount];
        Leaf prev = null;
        for (int j = 0; j < leafCount; j++) {
            Leaf leaf = new Leaf();
            int from = j * perLeaf, to = Math.min(sorted.length, from + perLeaf);
            System.arraycopy(sorted, from, leaf.keys, 0, to - from);
            leaf.count = to - from;
            if (prev != null) prev.next = leaf;
            prev = leaf;
            level[j] = leaf;
            mins[j] = sorted[from];
        }
        t.leaves = leafCount;
        t.inners = 0;
        while (level.length > 1) {
            int parents = (level.length + perInner - 1) / perInner;
            Node[] up = new Node[parents];
            long[] upMins = new long[parents];
            for (int p = 0; p < parents; p++) {
                Inner in = new Inner();
                int from = p * perInner, to = Math.min(level.length, from + perInner);
                for (int c = from; c < to; c++) {
                    in.children[c - from] = level[c];
                    if (c > from) in.separators[c - from - 1] = mins[c];
                }
                in.count = to - from;
                up[p] = in;
                upMins[p] = mins[from];
            }
            t.inners += parents;
            level = up;
            mins = upMins;
        }
        t.root = level[0];
        t.size = sorted.length;
        return t;
    }

    @Override public String name() { return "B+-tree"; }
    @Override public long size() { return size; }

    /** Index of the child to follow: the last whose smallest key is {@code <= q}. */
    private static int childFor(Inner in, long q) {
        int c = 0, seps = in.count - 1;
        for (int i = 0; i < seps; i++) c += in.separators[i] <= q ? 1 : 0;
        return c;
    }

    @Override
    public boolean contains(long q) {
        Node node = root;
        while (node instanceof Inner in) node = in.children[childFor(in, q)];
        Leaf leaf = (Leaf) node;
        int i = Search.lowerBound(leaf.keys, q, 0, leaf.count);
        return i < leaf.count && leaf.keys[i] == q;
    }

    @Override
    public void insert(long key) {
        Split s = insert(root, key);
        if (s != null) {
            Inner r = new Inner();
            r.children[0] = root;
            r.children[1] = s.right;
            r.separators[0] = s.separator;
            r.count = 2;
            root = r;
            inners++;
        }
        size++;
    }

    private Split insert(Node node, long key) {
        if (node instanceof Leaf leaf) return insertIntoLeaf(leaf, key);
        Inner in = (Inner) node;
        int c = childFor(in, key);
        Split s = insert(in.children[c], key);
        if (s == null) return null;
        if (in.count < INNER_CAPACITY) {
            System.arraycopy(in.children, c + 1, in.children, c + 2, in.count - c - 1);
            System.arraycopy(in.separators, c, in.separators, c + 1, in.count - 1 - c);
            in.children[c + 1] = s.right;
            in.separators[c] = s.separator;
            in.count++;
            return null;
        }
        // Full: lay out the count + 1 children and count separators, then cut in half.
        Node[] kids = new Node[INNER_CAPACITY + 1];
        long[] seps = new long[INNER_CAPACITY];
        System.arraycopy(in.children, 0, kids, 0, c + 1);
        kids[c + 1] = s.right;
        System.arraycopy(in.children, c + 1, kids, c + 2, in.count - c - 1);
        System.arraycopy(in.separators, 0, seps, 0, c);
        seps[c] = s.separator;
        System.arraycopy(in.separators, c, seps, c + 1, in.count - 1 - c);
        int total = INNER_CAPACITY + 1, leftCount = total / 2;
        Inner right = new Inner();
        in.count = leftCount;
        System.arraycopy(kids, 0, in.children, 0, leftCount);
        System.arraycopy(seps, 0, in.separators, 0, leftCount - 1);
        java.util.Arrays.fill(in.children, leftCount, INNER_CAPACITY, null);
        right.count = total - leftCount;
        System.arraycopy(kids, leftCount, right.children, 0, right.count);
        System.arraycopy(seps, leftCount, right.separators, 0, right.count - 1);
        inners++;
        return new Split(seps[leftCount - 1], right);
    }

    private Split insertIntoLeaf(Leaf leaf, long key) {
        int i = key == Long.MAX_VALUE ? leaf.count : Search.lowerBound(leaf.keys, key + 1, 0, leaf.count); // after equal keys
        if (leaf.count < LEAF_CAPACITY) {
            System.arraycopy(leaf.keys, i, leaf.keys, i + 1, leaf.count - i);
            leaf.keys[i] = key;
            leaf.count++;
            return null;
        }
        Leaf right = new Leaf();
        int half = LEAF_CAPACITY / 2;
        System.arraycopy(leaf.keys, half, right.keys, 0, LEAF_CAPACITY - half);
        right.count = LEAF_CAPACITY - half;
        leaf.count = half;
        right.next = leaf.next;
        leaf.next = right;
        leaves++;
        if (i <= half) insertIntoLeaf(leaf, key); else insertIntoLeaf(right, key);
        return new Split(right.keys[0], right);
    }

    /** Every key in ascending order. */
    public void forEach(LongConsumer action) {
        Node node = root;
        while (node instanceof Inner in) node = in.children[0];
        for (Leaf leaf = (Leaf) node; leaf != null; leaf = leaf.next) {
            for (int i = 0; i < leaf.count; i++) action.accept(leaf.keys[i]);
        }
    }

    /** Leaf: header 16 + array 16 + 8 per key slot + count and next; inner: header + two arrays. */
    @Override
    public long bytes() {
        return leaves * (16 + 16 + 8L * LEAF_CAPACITY + 8) + inners * (16 + 16 + 8L * (INNER_CAPACITY - 1) + 16 + 4L * INNER_CAPACITY + 8);
    }
}
