package org.sinter.cluster;

/**
 * The shape of a cluster, from the command line: {@code NODESxGPUS} (e.g. {@code 64x8}: 64 nodes of
 * 8 GPUs), optionally {@code /R} nodes per rack ({@code 64x8/16}); without it a rack is 16 nodes.
 * Gavel's spec form {@code V100:P100:K80} counts ({@code 500:0:0}, {@code 36:36:36}) is read as that
 * many GPUs of each type in nodes of 4, Gavel's own server size; with several types the nodes of
 * each type form one block ({@code typeNodes}, in Gavel's order v100, p100, k80), and jobs run at
 * their type's speed (see {@code Simulator}'s GPU speeds). One type unless the spec names several.
 *
 * A cluster may instead come from a {@link NodeList} (nodes of different sizes, each with its CPUs
 * and memory, grouped into one type per GPU model): then {@code gpusPerNode} is the largest node's.
 *
 * @param typeNames GPU type of each block of nodes
 * @param typeNodes nodes of each type, summing to {@code nodes}
 * @param nodeList  each node's GPUs, CPUs and memory, in the order of the types' blocks; null when every
 *                  node has {@code gpusPerNode} GPUs and CPU and memory are not limited
 */
public record ClusterSpec(int nodes, int gpusPerNode, int nodesPerRack, java.util.List<String> typeNames, int[] typeNodes, NodeList nodeList) {
    /** Gavel's GPU types, in the order of its {@code V100:P100:K80} spec. */
    public static final java.util.List<String> GAVEL_TYPES = java.util.List.of("v100", "p100", "k80");

    /** A cluster of one GPU type. */
    public ClusterSpec(int nodes, int gpusPerNode, int nodesPerRack) {
        this(nodes, gpusPerNode, nodesPerRack, java.util.List.of("gpu"), new int[] {nodes});
    }

    /** Nodes of {@code gpusPerNode} GPUs in blocks of GPU types, CPU and memory not limited. */
    public ClusterSpec(int nodes, int gpusPerNode, int nodesPerRack, java.util.List<String> typeNames, int[] typeNodes) {
        this(nodes, gpusPerNode, nodesPerRack, typeNames, typeNodes, null);
    }

    /**
     * The cluster of a node list: one GPU type per model (types by name, nodes of a type in list order),
     * racks of {@code nodesPerRack} nodes.
     */
    public static ClusterSpec of(NodeList list, int nodesPerRack) {
        java.util.List<String> models = list.models().stream().distinct().sorted().toList();
        Integer[] order = new Integer[list.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, java.util.Comparator.comparing((Integer i) -> list.models().get(i))); // stable: list order within a model
        int[] typeNodes = new int[models.size()];
        for (String m : list.models()) typeNodes[models.indexOf(m)]++;
        return new ClusterSpec(list.size(), list.maxGpus(), nodesPerRack, models, typeNodes, list.reordered(order));
    }

    /** This cluster with each node's CPUs and memory limited to {@code cpusPerNode} cores and {@code memoryGibPerNode} GiB. */
    public ClusterSpec withHostResources(double cpusPerNode, double memoryGibPerNode) {
        if (nodeList != null) return this;
        NodeList list = NodeList.uniform(nodes, gpusPerNode, cpusPerNode, memoryGibPerNode, "gpu");
        return new ClusterSpec(nodes, gpusPerNode, nodesPerRack, typeNames, typeNodes, list);
    }

    /** Whether nodes' CPUs and memory are limited (a node list). */
    public boolean limitsHost() {
        return nodeList != null;
    }

    /** Whether every node has the same number of GPUs. */
    public boolean uniformNodes() {
        return nodeList == null || java.util.Arrays.stream(nodeList.gpus()).allMatch(g -> g == gpusPerNode);
    }
    static final int DEFAULT_NODES_PER_RACK = 16;
    static final int GAVEL_GPUS_PER_SERVER = 4;

    public ClusterSpec {
        if (nodes < 1 || gpusPerNode < 1 || nodesPerRack < 1) {
            throw new IllegalArgumentException("cluster spec: nodes, GPUs per node and nodes per rack must be positive");
        }
        typeNames = java.util.List.copyOf(typeNames);
        typeNodes = typeNodes.clone();
        if (typeNames.size() != typeNodes.length || java.util.Arrays.stream(typeNodes).sum() != nodes || java.util.Arrays.stream(typeNodes).anyMatch(n -> n < 0)) {
            throw new IllegalArgumentException("cluster spec: node counts per type " + java.util.Arrays.toString(typeNodes) + " must be >= 0, one per type " + typeNames + ", and sum to " + nodes);
        }
        if (nodeList != null && (nodeList.size() != nodes || nodeList.maxGpus() != gpusPerNode)) {
            throw new IllegalArgumentException("cluster spec: a node list of " + nodeList.size() + " nodes (largest " + nodeList.maxGpus() + " GPUs) for " + nodes + " nodes of up to " + gpusPerNode);
        }
    }

    public Cluster newCluster() {
        return nodeList == null ? new Cluster(typeNodes, gpusPerNode, nodesPerRack) : new Cluster(typeNodes, nodeList, nodesPerRack);
    }

    /** GPUs of the nodes of type {@code type}. */
    public int gpusOfType(int type) {
        if (nodeList == null) return typeNodes[type] * gpusPerNode;
        int start = 0;
        for (int t = 0; t < type; t++) start += typeNodes[t];
        int g = 0;
        for (int n = start; n < start + typeNodes[type]; n++) g += nodeList.gpus()[n];
        return g;
    }

    /** GPU types (1 unless the spec names several). */
    public int types() {
        return typeNodes.length;
    }

    /** The most GPUs one job can get: a gang lies within one GPU type. */
    public int largestTypeGpus() {
        int m = 0;
        for (int t = 0; t < typeNodes.length; t++) m = Math.max(m, gpusOfType(t));
        return m;
    }

    public int totalGpus() {
        return nodeList == null ? nodes * gpusPerNode : nodeList.totalGpus();
    }

    public static ClusterSpec parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.contains(":")) return parseGavel(s);
            int rack = DEFAULT_NODES_PER_RACK;
            int slash = s.indexOf('/');
            if (slash >= 0) {
                rack = Integer.parseInt(s.substring(slash + 1));
                s = s.substring(0, slash);
            }
            int x = s.indexOf('x');
            if (x < 0) throw new IllegalArgumentException("cluster spec '" + spec + "': expected NODESxGPUS[/NODES_PER_RACK], e.g. 64x8 or 64x8/16");
            return new ClusterSpec(Integer.parseInt(s.substring(0, x)), Integer.parseInt(s.substring(x + 1)), rack);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cluster spec '" + spec + "': not a number (" + e.getMessage() + "); expected e.g. 64x8 or 500:0:0");
        }
    }

    private static ClusterSpec parseGavel(String s) {
        String[] counts = s.split(":");
        if (counts.length > GAVEL_TYPES.size()) throw new IllegalArgumentException("cluster spec '" + s + "': Gavel's form has at most " + GAVEL_TYPES.size() + " counts (V100:P100:K80)");
        int nonZero = 0, gpus = 0;
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<Integer> nodes = new java.util.ArrayList<>();
        for (int t = 0; t < counts.length; t++) {
            int n = Integer.parseInt(counts[t]);
            if (n < 0) throw new IllegalArgumentException("cluster spec '" + s + "': GPU counts must be >= 0");
            if (n % GAVEL_GPUS_PER_SERVER != 0) throw new IllegalArgumentException("cluster spec '" + s + "': " + n + " " + GAVEL_TYPES.get(t) + " GPUs do not fill servers of " + GAVEL_GPUS_PER_SERVER);
            if (n > 0) {
                nonZero++;
                gpus = n;
                names.add(GAVEL_TYPES.get(t));
                nodes.add(n / GAVEL_GPUS_PER_SERVER);
            }
        }
        if (nonZero == 0) throw new IllegalArgumentException("cluster spec '" + s + "': no GPUs");
        if (nonZero == 1) return new ClusterSpec(gpus / GAVEL_GPUS_PER_SERVER, GAVEL_GPUS_PER_SERVER, DEFAULT_NODES_PER_RACK); // one type: the GPU type comes from --gpu-type
        int[] typeNodes = nodes.stream().mapToInt(Integer::intValue).toArray();
        return new ClusterSpec(java.util.Arrays.stream(typeNodes).sum(), GAVEL_GPUS_PER_SERVER, DEFAULT_NODES_PER_RACK, names, typeNodes);
    }

    @Override
    public String toString() {
        if (nodeList != null) {
            StringBuilder b = new StringBuilder(nodes + " nodes (" + totalGpus() + " GPUs:");
            for (int t = 0; t < types(); t++) b.append(' ').append(typeNames.get(t)).append('=').append(gpusOfType(t));
            return b.append(")").toString();
        }
        if (types() == 1) return nodes + "x" + gpusPerNode + "/" + nodesPerRack;
        StringBuilder b = new StringBuilder();
        for (int t = 0; t < types(); t++) b.append(t == 0 ? "" : ",").append(typeNames.get(t)).append('=').append(typeNodes[t]).append('x').append(gpusPerNode);
        return b.append('/').append(nodesPerRack).toString();
    }
}
