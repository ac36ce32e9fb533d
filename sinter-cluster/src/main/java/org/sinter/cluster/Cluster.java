package org.sinter.cluster;

import java.util.Arrays;

/**
 * The machines and which of their GPUs are free. Nodes sit in racks (the topology a placement may
 * keep a job inside) and hold the same number of GPUs, or, built from a {@link NodeList}, each its
 * own number of GPUs, CPU cores and memory, all three then enforced. Nodes may be of several GPU
 * types (Gavel's V100, P100, K80; a node list's models): each type is a contiguous block of node
 * indices, and a job's gang lies within one type (it runs at that type's speed). A GPU is free, held
 * whole by one job, or shared by jobs that each use a fraction of it (milli-GPUs, {@link GpuShares});
 * {@link #freeGpus()} and {@link #freeOn} count the free ones, what a whole-GPU job can take.
 * Mutable: the simulator allocates and releases as jobs start and stop; a {@link ClusterSpec} makes a
 * fresh one per run.
 */
public final class Cluster {
    /** The largest node's GPUs. */
    private final int gpusPerNode;
    /** GPUs of each node. */
    private final int[] capacity;
    private final boolean uniform;
    private final int totalGpus;
    /** Free CPU cores and memory per node, null when they are not limited. */
    private final double[] freeCpus, freeMemory;
    /** Milli-GPUs held, whole GPUs and shares together. */
    private long allocatedMilli;
    /** Shared GPUs, created at the first share. */
    private GpuShares shares;
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
        this(nodesPerType, uniformCapacity(nodesPerType, gpusPerNode, nodesPerRack), null, null, nodesPerRack);
    }

    /** The nodes of a node list, in blocks of {@code nodesPerType[t]} nodes per GPU type, their CPUs and memory enforced. */
    public Cluster(int[] nodesPerType, NodeList list, int nodesPerRack) {
        this(nodesPerType, list.gpus(), list.cpus(), list.memoryGib(), nodesPerRack);
        if (Arrays.stream(nodesPerType).sum() != list.size()) throw new IllegalArgumentException("node counts per type " + Arrays.toString(nodesPerType) + " do not sum to the " + list.size() + " nodes listed");
    }

    private static int[] uniformCapacity(int[] nodesPerType, int gpusPerNode, int nodesPerRack) {
        int nodes = 0;
        for (int n : nodesPerType) {
            if (n < 0) throw new IllegalArgumentException("a GPU type needs a node count >= 0, got " + n);
            nodes += n;
        }
        if (nodes < 1 || gpusPerNode < 1 || nodesPerRack < 1) {
            throw new IllegalArgumentException("a cluster needs at least one node, GPU per node and node per rack, got "
                    + nodes + " nodes x " + gpusPerNode + " GPUs, " + nodesPerRack + " nodes per rack");
        }
        int[] capacity = new int[nodes];
        Arrays.fill(capacity, gpusPerNode);
        return capacity;
    }

    /** Nodes of {@code capacity[n]} GPUs in type blocks; {@code cpus} and {@code memoryGib} per node, or null when not limited. */
    private Cluster(int[] nodesPerType, int[] capacity, double[] cpus, double[] memoryGib, int nodesPerRack) {
        if (nodesPerRack < 1) throw new IllegalArgumentException("a cluster needs at least one node per rack, got " + nodesPerRack);
        int nodes = capacity.length;
        this.capacity = capacity.clone();
        this.gpusPerNode = Arrays.stream(capacity).max().orElseThrow();
        this.uniform = Arrays.stream(capacity).allMatch(g -> g == gpusPerNode);
        this.totalGpus = Arrays.stream(capacity).sum();
        this.nodesPerRack = nodesPerRack;
        this.freeCpus = cpus == null ? null : cpus.clone();
        this.freeMemory = memoryGib == null ? null : memoryGib.clone();
        this.free = capacity.clone();
        this.nodesWithFree = new int[gpusPerNode + 1];
        int types = nodesPerType.length;
        this.typeStart = new int[types + 1];
        this.nodeType = new int[nodes];
        this.typeNodesWithFree = new int[types][gpusPerNode + 1];
        this.typeFree = new int[types];
        for (int t = 0; t < types; t++) {
            typeStart[t + 1] = typeStart[t] + nodesPerType[t];
            for (int n = typeStart[t]; n < typeStart[t + 1]; n++) {
                nodeType[n] = t;
                nodesWithFree[capacity[n]]++;
                typeNodesWithFree[t][capacity[n]]++;
                typeFree[t] += capacity[n];
                freeTotal += capacity[n];
            }
        }
    }

    /** Whether every node has the same number of GPUs. */
    public boolean uniform() {
        return uniform;
    }

    /** GPUs of one node. */
    public int capacityOf(int node) {
        return capacity[node];
    }

    /** Whether nodes' CPU cores and memory are limited (a node list): placements must check {@link #hostFits}. */
    public boolean limitsHost() {
        return freeCpus != null;
    }

    /** Whether the node has {@code cpus} cores and {@code memoryGib} GiB free (always, when they are not limited). */
    public boolean hostFits(int node, double cpus, double memoryGib) {
        return freeCpus == null || (freeCpus[node] + 1e-9 >= cpus && freeMemory[node] + 1e-9 >= memoryGib);
    }

    public double freeCpusOn(int node) {
        return freeCpus == null ? Double.POSITIVE_INFINITY : freeCpus[node];
    }

    public double freeMemoryOn(int node) {
        return freeMemory == null ? Double.POSITIVE_INFINITY : freeMemory[node];
    }

    /** Milli-GPUs held by running jobs (whole GPUs count 1000 each). */
    public long allocatedMilli() {
        return allocatedMilli;
    }

    /** GPUs in use by jobs sharing them. */
    public int sharedGpus() {
        return shares == null ? 0 : shares.sharedGpus();
    }

    /** Milli-GPUs free on GPU {@code gpu} of a node for a sharer: its unshared part, 1000 if nobody shares it (it may still be held whole). */
    public int freeMilli(int node, int gpu) {
        return shares == null ? Job.WHOLE_GPU : shares.freeMilli(node, gpu);
    }

    /** Whether sharers use GPU {@code gpu} of the node. */
    public boolean isShared(int node, int gpu) {
        return shares != null && shares.isShared(node, gpu);
    }

    /** The lowest-numbered GPU of the node that nobody shares, if the node has a free one; else -1. */
    public int freeUnsharedGpu(int node) {
        if (free[node] == 0) return -1;
        for (int g = 0; g < capacity[node]; g++) if (!isShared(node, g)) return g;
        throw new IllegalStateException("node " + node + " counts " + free[node] + " free GPUs but every GPU is shared");
    }

    /** Milli-GPUs a sharer could still find on the node: its free GPUs and the free parts of its shared ones. */
    public long freeMilliOn(int node) {
        long m = (long) free[node] * Job.WHOLE_GPU;
        if (shares != null) for (int g = 0; g < capacity[node]; g++) if (shares.isShared(node, g)) m += shares.freeMilli(node, g);
        return m;
    }

    /** Whether some GPU could take a share of {@code milli} (GPUs only; CPUs and memory not asked). */
    public boolean someGpuHolds(int milli) {
        return freeTotal > 0 || (shares != null && shares.someSharedFits(milli));
    }

    /** Free milli-GPUs on shared GPUs in pieces below {@code milli}: too small for a request of that size. */
    public long sharedFreeBelow(int milli) {
        return shares == null ? 0 : shares.freeBelow(milli);
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
        if (uniform) return typeNodesWithFree[type][gpusPerNode];
        int k = 0;
        for (int n = typeStart[type]; n < typeStart[type + 1]; n++) if (free[n] == capacity[n]) k++;
        return k;
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
        if (uniform) return nodesWithFree[gpusPerNode];
        int k = 0;
        for (int n = 0; n < free.length; n++) if (free[n] == capacity[n]) k++;
        return k;
    }

    public int nodes() {
        return free.length;
    }

    public int gpusPerNode() {
        return gpusPerNode;
    }

    public int totalGpus() {
        return totalGpus;
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

    /** Takes whole GPUs, CPUs and memory not counted (a cluster that does not limit them). */
    public void allocate(Allocation a) {
        allocate(a, 0, 0);
    }

    public void release(Allocation a) {
        release(a, 0, 0);
    }

    /** Whether {@code a} is free now with {@code cpus} cores and {@code memoryGib} GiB beside it (split over its nodes by their GPUs). */
    public boolean canAllocate(Allocation a, double cpus, double memoryGib) {
        int total = a.total();
        for (int i = 0; i < a.nodes().length; i++) {
            int n = a.nodes()[i], g = a.gpus()[i];
            if (a.shared()) {
                if (a.sharedGpu() >= capacity[n] || (isShared(n, a.sharedGpu()) ? freeMilli(n, a.sharedGpu()) < a.milli() : free[n] < 1)) return false;
            } else if (g < 1 || g > free[n]) {
                return false;
            }
            double part = (double) g / total;
            if (!hostFits(n, cpus * part, memoryGib * part)) return false;
        }
        return true;
    }

    /** Takes the GPUs (or share) of {@code a} and, when the cluster limits them, {@code cpus} cores and {@code memoryGib} GiB. */
    public void allocate(Allocation a, double cpus, double memoryGib) {
        if (!canAllocate(a, cpus, memoryGib)) throw new IllegalStateException("allocation " + describe(a) + " with " + cpus + " cores, " + memoryGib + " GiB does not fit now");
        if (a.shared()) {
            share(a.nodes()[0], a.sharedGpu(), a.milli());
        } else {
            for (int i = 0; i < a.nodes().length; i++) setFree(a.nodes()[i], free[a.nodes()[i]] - a.gpus()[i]);
            freeTotal -= a.total();
            allocatedMilli += (long) a.total() * Job.WHOLE_GPU;
        }
        host(a, -cpus, -memoryGib);
    }

    public void release(Allocation a, double cpus, double memoryGib) {
        if (a.shared()) {
            share(a.nodes()[0], a.sharedGpu(), -a.milli());
        } else {
            for (int i = 0; i < a.nodes().length; i++) {
                int n = a.nodes()[i];
                if (free[n] + a.gpus()[i] > capacity[n]) throw new IllegalStateException("node " + n + " released more GPUs than it has");
                setFree(n, free[n] + a.gpus()[i]);
            }
            freeTotal += a.total();
            allocatedMilli -= (long) a.total() * Job.WHOLE_GPU;
        }
        host(a, cpus, memoryGib);
    }

    /** A GPU that starts being shared stops being free, and is free again when its last sharer leaves. */
    private void share(int node, int gpu, int milli) {
        if (shares == null) shares = new GpuShares(capacity);
        int change = shares.add(node, gpu, milli);
        if (change != 0) {
            setFree(node, free[node] - change);
            freeTotal -= change;
        }
        allocatedMilli += milli;
    }

    private void host(Allocation a, double cpus, double memoryGib) {
        if (freeCpus == null || (cpus == 0 && memoryGib == 0)) return;
        int total = a.total();
        for (int i = 0; i < a.nodes().length; i++) {
            double part = (double) a.gpus()[i] / total;
            freeCpus[a.nodes()[i]] += cpus * part;
            freeMemory[a.nodes()[i]] += memoryGib * part;
        }
    }

    private static String describe(Allocation a) {
        return a.shared() ? a.milli() + " milli-GPUs of GPU " + a.sharedGpu() + " on node " + a.nodes()[0]
                : java.util.Arrays.toString(a.gpus()) + " GPUs on nodes " + java.util.Arrays.toString(a.nodes());
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
