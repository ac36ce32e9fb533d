package org.sinter.cluster;

import java.util.Arrays;

/**
 * The machines and which of their GPUs are free. Nodes hold the same number of GPUs and sit in
 * racks (the topology a placement may keep a job inside). Mutable: the simulator allocates and
 * releases as jobs start and stop; a {@link ClusterSpec} makes a fresh one per run.
 */
public final class Cluster {
    private final int gpusPerNode;
    private final int nodesPerRack;
    private final int[] free;
    /** How many nodes have exactly k free GPUs: answers "does any node fit g?" without a scan. */
    private final int[] nodesWithFree;
    private int freeTotal;

    public Cluster(int nodes, int gpusPerNode, int nodesPerRack) {
        if (nodes < 1 || gpusPerNode < 1 || nodesPerRack < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, GPU per node and node per rack, got "
                    + nodes + " nodes x " + gpusPerNode + " GPUs, " + nodesPerRack + " nodes per rack");
        }
        this.gpusPerNode = gpusPerNode;
        this.nodesPerRack = nodesPerRack;
        this.free = new int[nodes];
        Arrays.fill(free, gpusPerNode);
        this.freeTotal = nodes * gpusPerNode;
        this.nodesWithFree = new int[gpusPerNode + 1];
        nodesWithFree[gpusPerNode] = nodes;
    }

    /** Whether some single node has at least {@code gpus} free. */
    public boolean someNodeFits(int gpus) {
        for (int k = Math.max(gpus, 0); k <= gpusPerNode; k++) {
            if (nodesWithFree[k] > 0) return true;
        }
        return false;
    }

    /** Nodes with all their GPUs free. */
    public int idleNodes() {
        return nodesWithFree[gpusPerNode];
    }

    public int nodes() {
        return free.length;
    }

    public int gpusPerNode() {
        return gpusPerNode;
    }

    public int totalGpus() {
        return free.length * gpusPerNode;
    }

    public int freeGpus() {
        return freeTotal;
    }

    public int freeOn(int node) {
        return free[node];
    }

    public int rackOf(int node) {
        return node / nodesPerRack;
    }

    public void allocate(Allocation a) {
        for (int i = 0; i < a.nodes().length; i++) {
            int n = a.nodes()[i], g = a.gpus()[i];
            if (g < 1 || g > free[n]) throw new IllegalStateException("node " + n + " has " + free[n] + " free GPUs, asked for " + g);
        }
        for (int i = 0; i < a.nodes().length; i++) {
            setFree(a.nodes()[i], free[a.nodes()[i]] - a.gpus()[i]);
        }
        freeTotal -= a.total();
    }

    public void release(Allocation a) {
        for (int i = 0; i < a.nodes().length; i++) {
            int n = a.nodes()[i];
            if (free[n] + a.gpus()[i] > gpusPerNode) throw new IllegalStateException("node " + n + " released more GPUs than it has");
            setFree(n, free[n] + a.gpus()[i]);
        }
        freeTotal += a.total();
    }

    private void setFree(int node, int gpus) {
        nodesWithFree[free[node]]--;
        free[node] = gpus;
        nodesWithFree[gpus]++;
    }
}
