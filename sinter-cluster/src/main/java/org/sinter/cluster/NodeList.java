package org.sinter.cluster;

import java.util.Arrays;
import java.util.List;

/**
 * Nodes that differ: each its own GPU count, GPU model, CPU cores and host memory (a production
 * cluster's machine list, such as Alibaba's {@code openb_node_list_*.csv}). A cluster built on one
 * places every job where its GPUs, CPUs and memory all fit. Node {@code i} of every array is the
 * same machine.
 *
 * @param names     each node's name, for messages
 * @param gpus      GPUs per node (at least one)
 * @param cpus      CPU cores per node
 * @param memoryGib host memory per node in GiB
 * @param models    GPU model per node (what a {@link ClusterSpec} groups into GPU types)
 */
public record NodeList(List<String> names, int[] gpus, double[] cpus, double[] memoryGib, List<String> models) {
    public NodeList {
        names = List.copyOf(names);
        models = List.copyOf(models);
        gpus = gpus.clone();
        cpus = cpus.clone();
        memoryGib = memoryGib.clone();
        int n = names.size();
        if (n == 0) throw new IllegalArgumentException("a node list needs at least one node");
        if (gpus.length != n || cpus.length != n || memoryGib.length != n || models.size() != n) {
            throw new IllegalArgumentException("a node list needs one GPU count, CPU count, memory size and model per node (" + n + " names)");
        }
        for (int i = 0; i < n; i++) {
            if (gpus[i] < 1) throw new IllegalArgumentException("node " + names.get(i) + ": needs at least one GPU, got " + gpus[i]);
            if (!(cpus[i] > 0) || !(memoryGib[i] > 0) || Double.isInfinite(cpus[i]) || Double.isInfinite(memoryGib[i])) {
                throw new IllegalArgumentException("node " + names.get(i) + ": CPU cores and memory must be finite and > 0, got " + cpus[i] + " cores, " + memoryGib[i] + " GiB");
            }
        }
    }

    /** {@code nodes} alike: {@code gpusPerNode} GPUs of {@code model}, {@code cpus} cores and {@code memoryGib} GiB each. */
    public static NodeList uniform(int nodes, int gpusPerNode, double cpus, double memoryGib, String model) {
        String[] names = new String[nodes];
        for (int i = 0; i < nodes; i++) names[i] = "node-" + i;
        int[] g = new int[nodes];
        double[] c = new double[nodes], m = new double[nodes];
        Arrays.fill(g, gpusPerNode);
        Arrays.fill(c, cpus);
        Arrays.fill(m, memoryGib);
        return new NodeList(List.of(names), g, c, m, java.util.Collections.nCopies(nodes, model));
    }

    public int size() {
        return names.size();
    }

    public int maxGpus() {
        return Arrays.stream(gpus).max().orElseThrow();
    }

    public int totalGpus() {
        return Arrays.stream(gpus).sum();
    }

    /** Whether every node has the same GPUs, CPUs and memory. */
    public boolean uniformSizes() {
        for (int i = 1; i < size(); i++) {
            if (gpus[i] != gpus[0] || cpus[i] != cpus[0] || memoryGib[i] != memoryGib[0]) return false;
        }
        return true;
    }

    /** The same nodes in the order {@code order[k]} (old index of new node k). */
    NodeList reordered(Integer[] order) {
        int n = size();
        String[] nm = new String[n], md = new String[n];
        int[] g = new int[n];
        double[] c = new double[n], m = new double[n];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            nm[k] = names.get(i);
            md[k] = models.get(i);
            g[k] = gpus[i];
            c[k] = cpus[i];
            m[k] = memoryGib[i];
        }
        return new NodeList(List.of(nm), g, c, m, List.of(md));
    }
}
