package org.sinter.cluster;

/**
 * The shape of a cluster, from the command line: {@code NODESxGPUS} (e.g. {@code 64x8}: 64 nodes of
 * 8 GPUs), optionally {@code /R} nodes per rack ({@code 64x8/16}); without it a rack is 16 nodes.
 * Gavel's spec form {@code V100:P100:K80} counts ({@code 500:0:0}) is read as that many GPUs in
 * nodes of 4, Gavel's own server size, and is only accepted for one GPU type here: several GPU
 * types are simulated by the round-based {@code hetero} simulator.
 */
public record ClusterSpec(int nodes, int gpusPerNode, int nodesPerRack) {
    static final int DEFAULT_NODES_PER_RACK = 16;
    static final int GAVEL_GPUS_PER_SERVER = 4;

    public ClusterSpec {
        if (nodes < 1 || gpusPerNode < 1 || nodesPerRack < 1) {
            throw new IllegalArgumentException("cluster spec: nodes, GPUs per node and nodes per rack must be positive");
        }
    }

    public Cluster newCluster() {
        return new Cluster(nodes, gpusPerNode, nodesPerRack);
    }

    public int totalGpus() {
        return nodes * gpusPerNode;
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
        int nonZero = 0, gpus = 0;
        for (String c : counts) {
            int n = Integer.parseInt(c);
            if (n < 0) throw new IllegalArgumentException("cluster spec '" + s + "': GPU counts must be >= 0");
            if (n > 0) { nonZero++; gpus = n; }
        }
        if (nonZero != 1) throw new IllegalArgumentException("cluster spec '" + s + "': the event simulator takes one GPU type; several run in the round-based heterogeneous simulator (org.sinter.cluster.hetero, ./sinter simulate with a Gavel .trace)");
        if (gpus % GAVEL_GPUS_PER_SERVER != 0) throw new IllegalArgumentException("cluster spec '" + s + "': " + gpus + " GPUs do not fill servers of " + GAVEL_GPUS_PER_SERVER);
        return new ClusterSpec(gpus / GAVEL_GPUS_PER_SERVER, GAVEL_GPUS_PER_SERVER, DEFAULT_NODES_PER_RACK);
    }

    @Override
    public String toString() {
        return nodes + "x" + gpusPerNode + "/" + nodesPerRack;
    }
}
