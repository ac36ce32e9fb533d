package org.sinter.cluster.sim;

import java.util.Arrays;

/**
 * HiveD's cells over a set of nodes (Zhao et al., OSDI'20): a node of {@code g} GPUs is a cell that
 * splits into aligned halves down to single GPUs (when {@code g} is a power of two; otherwise a
 * node's cells are runs of GPUs), and a job takes the smallest cell that holds it: a job of 3 GPUs
 * a cell of 4, a job larger than a node whole nodes. Allocation is the buddy system's best fit: the
 * free cell whose enclosing free block is smallest (split the least), so partly used nodes fill
 * before empty ones and big free blocks stay whole. Deterministic: ties go to the lower node, then
 * the lower offset. Used both by HiveD for each virtual cluster and by the guarantee monitor, which
 * replays every virtual cluster's starts and stops through the same rules.
 */
public final class BuddyCells {
    /** Where a job sits: {@code nodes} (indices into this set), and within a node the GPU {@code mask} (single-node jobs). */
    public record Cell(int[] nodes, int mask) {}

    private final int gpusPerNode;
    private final boolean buddy;
    /** Per node, a bit per busy GPU. */
    private final int[] busy;
    private final int full;

    public BuddyCells(int nodes, int gpusPerNode) {
        if (gpusPerNode < 1 || gpusPerNode > 30) throw new IllegalArgumentException("cells: 1 to 30 GPUs per node, got " + gpusPerNode);
        if (nodes < 0) throw new IllegalArgumentException("cells: a negative node count " + nodes);
        this.gpusPerNode = gpusPerNode;
        this.buddy = Integer.bitCount(gpusPerNode) == 1;
        this.busy = new int[nodes];
        this.full = (1 << gpusPerNode) - 1;
    }

    public int nodes() {
        return busy.length;
    }

    /** GPUs a job of {@code gpus} takes in cells: its cell's size within a node, whole nodes beyond. */
    public int cellGpus(int gpus) {
        if (gpus > gpusPerNode) return nodesFor(gpus) * gpusPerNode;
        if (!buddy) return gpus;
        int pow = Integer.highestOneBit(gpus);
        return Math.min(gpusPerNode, pow == gpus ? gpus : pow << 1);
    }

    private int nodesFor(int gpus) {
        return (gpus + gpusPerNode - 1) / gpusPerNode;
    }

    /** Whether {@link #allocate} would succeed now. */
    public boolean fits(int gpus) {
        return find(gpus) != null;
    }

    /** Takes the best cell for a job of {@code gpus}, or returns null (nothing changes) when none is free. */
    public Cell allocate(int gpus) {
        Cell c = find(gpus);
        if (c != null) for (int n : c.nodes()) busy[n] |= c.mask();
        return c;
    }

    /** Takes exactly {@code c} (a place chosen elsewhere, e.g. a virtual cell's image); its GPUs must be free. */
    public void take(Cell c) {
        for (int n : c.nodes()) if ((busy[n] & c.mask()) != 0) throw new IllegalStateException("cells: node " + n + " is busy under " + Integer.toBinaryString(c.mask()));
        for (int n : c.nodes()) busy[n] |= c.mask();
    }

    /** The busy GPUs of node {@code n}, a bit each. */
    public int busy(int n) {
        return busy[n];
    }

    public int gpusPerNode() {
        return gpusPerNode;
    }

    public void release(Cell c) {
        for (int n : c.nodes()) {
            if ((busy[n] & c.mask()) != c.mask()) throw new IllegalStateException("cells: releasing a free cell on node " + n);
            busy[n] &= ~c.mask();
        }
    }

    /** Whether node {@code n} holds no job. */
    public boolean empty(int n) {
        return busy[n] == 0;
    }

    private Cell find(int gpus) {
        if (gpus < 1) throw new IllegalArgumentException("cells: a job needs at least one GPU, got " + gpus);
        if (gpus > gpusPerNode) {
            int k = nodesFor(gpus);
            int[] picked = new int[k];
            int found = 0;
            for (int n = 0; n < busy.length && found < k; n++) if (busy[n] == 0) picked[found++] = n;
            return found == k ? new Cell(picked, full) : null;
        }
        int size = cellGpus(gpus);
        int cell = (1 << size) - 1;
        int bestNode = -1, bestMask = 0, bestBlock = Integer.MAX_VALUE;
        int step = buddy ? size : 1;
        for (int n = 0; n < busy.length; n++) {
            if (Integer.bitCount(full & ~busy[n]) < size) continue;
            for (int off = 0; off + size <= gpusPerNode; off += step) {
                int m = cell << off;
                if ((busy[n] & m) != 0) continue;
                int block = enclosingFreeBlock(busy[n], off, size);
                if (block < bestBlock) {
                    bestBlock = block;
                    bestNode = n;
                    bestMask = m;
                }
            }
            if (bestBlock == size) break; // an exact fit: nothing splits less
        }
        return bestNode < 0 ? null : new Cell(new int[] {bestNode}, bestMask);
    }

    /** The size of the largest free aligned block containing the free cell at {@code off} (what taking it splits). */
    private int enclosingFreeBlock(int used, int off, int size) {
        if (!buddy) return Integer.bitCount(full & ~used); // runs: prefer the fullest node
        int block = size;
        while (block < gpusPerNode) {
            int parent = block * 2, start = off / parent * parent;
            if ((used & (((1 << parent) - 1) << start)) != 0) break;
            block = parent;
        }
        return block;
    }

    @Override
    public String toString() {
        return "cells" + Arrays.toString(Arrays.stream(busy).mapToObj(Integer::toBinaryString).toArray());
    }
}
