package org.sinter.cluster;

import java.util.Arrays;

/**
 * The machines and which of their GPUs are free. Nodes hold the same number of GPUs and sit in
 * racks (the topology a placement may keep a job inside). Nodes may be of several GPU types
 * (Gavel's V100, P100, K80): each type is a contiguous block of node indices, and a job's gang lies
 * within one type (it runs at that type's speed). Mutable: the simulator allocates and releases as
 * jobs start and stop; a {@link ClusterSpec} makes a fresh one per run.
 */
public final class Cluster {
    private final int gpusPerNode;
    private final int nodesPerRack;
    private final int[] free;
    /** How many nodes have exactly k free GPUs: answers "does any node fit g?" without a scan. */
    private final int[] nodesWithFree;
    private int freeTotal;
    /** Type t's nodes are {@code typeStart[t]} up to {@code typeStart[t + 1]}. */
    private final int[] typeStart;
    private final int[] nodeType;
    /** Per type: nodes with exactly k free GPUs, and free GPUs. */
    private final int[][] typeNodesWithFree;
    private final int[] typeFree;

    public Cluster(int nodes, int gpusPerNode, int nodesPerRack) {
        this(new int[] {nodes}, gpusPerNode, nodesPerRack);
    }

    /** A cluster of several GPU types: {@code nodesPerType[t]} nodes of type t, in that order. */
    public Cluster(int[] nodesPerType, int gpusPerNode, int nodesPerRack) {
        int nodes = 0;
        for (int n : nodesPerType) {
            if (n < 0) throw new IllegalArgumentException("a GPU type needs a node count >= 0, got " + n);
            nodes += n;
        }
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
        int types = nodesPerType.length;
        this.typeStart = new int[types + 1];
        this.nodeType = new int[nodes];
        this.typeNodesWithFree = new int[types][gpusPerNode + 1];
        this.typeFree = new int[types];
        for (int t = 0; t < types; t++) {
            typeStart[t + 1] = typeStart[t] + nodesPerType[t];
            Arrays.fill(nodeType, typeStart[t], typeStart[t + 1], t);
            typeNodesWithFree[t][gpusPerNode] = nodesPerType[t];
            typeFree[t] = nodesPerType[t] * gpusPerNode;
        }
    }

    /** GPU types (1 for a homogeneous cluster). */
    public int types() {
        return typeFree.length;
    }

    public int typeOf(int node) {
        return nodeType[node];
    }

    /** The first node of type t; its nodes run to {@link #endOfType}. */
    public int startOfType(int type) {
        return typeStart[type];
    }

    public int endOfType(int type) {
        return typeStart[type + 1];
    }

    /** GPUs of type t, free or not. */
    public int gpusOfType(int type) {
        return (typeStart[type + 1] - typeStart[type]) * gpusPerNode;
    }

    public int freeGpus(int type) {
        return typeFree[type];
    }

    public int idleNodes(int type) {
        return typeNodesWithFree[type][gpusPerNode];
    }

    /** Whether some node of type t has at least {@code gpus} free. */
    public boolean someNodeFits(int type, int gpus) {
        int[] counts = typeNodesWithFree[type];
        for (int k = Math.max(gpus, 0); k <= gpusPerNode; k++) {
            if (counts[k] > 0) return true;
        }
        return false;
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
        int[] counts = typeNodesWithFree[nodeType[node]];
        nodesWithFree[free[node]]--;
        counts[free[node]]--;
        typeFree[nodeType[node]] += gpus - free[node];
        free[node] = gpus;
        nodesWithFree[gpus]++;
        counts[gpus]++;
    }
}
