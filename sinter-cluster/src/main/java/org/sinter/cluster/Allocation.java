package org.sinter.cluster;

/** Where a running job's GPUs are: {@code gpus[i]} GPUs on node {@code nodes[i]}. */
public record Allocation(int[] nodes, int[] gpus) {
    public Allocation {
        if (nodes.length != gpus.length || nodes.length == 0) throw new IllegalArgumentException("an allocation needs one GPU count per node");
    }

    public int total() {
        int t = 0;
        for (int g : gpus) t += g;
        return t;
    }

    public static Allocation onOneNode(int node, int gpus) {
        return new Allocation(new int[] {node}, new int[] {gpus});
    }
}
