package org.sinter.cluster.sim;

import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.Job;
import org.sinter.cluster.NodeList;

/**
 * Refuses, before a replay, a job that no node of a node list could ever hold: a job that fits in
 * the largest node needs one node, of a GPU type it may run on, with its GPUs, CPU cores and memory;
 * a larger one needs the cluster's. Without this it would wait forever.
 */
final class NodeFit {
    private final NodeList nodes;
    private final int[] typeOf;

    NodeFit(ClusterSpec spec) {
        this.nodes = spec.nodeList();
        this.typeOf = new int[nodes.size()];
        for (int t = 0, n = 0; t < spec.types(); t++) for (int k = 0; k < spec.typeNodes()[t]; k++) typeOf[n++] = t;
    }

    /** @param allowed which GPU types the job may run on */
    void check(Job j, ClusterSpec spec, java.util.function.IntPredicate allowed) {
        if (j.gpus() > nodes.maxGpus()) {
            double cpus = java.util.Arrays.stream(nodes.cpus()).sum(), memory = java.util.Arrays.stream(nodes.memoryGib()).sum();
            if (j.cpus() > cpus + 1e-9 || j.memoryGib() > memory + 1e-9) throw never(j, spec, "the whole cluster has " + cpus + " cores and " + memory + " GiB");
            return;
        }
        for (int n = 0; n < nodes.size(); n++) {
            if (allowed.test(typeOf[n]) && nodes.gpus()[n] >= j.gpus() && nodes.cpus()[n] + 1e-9 >= j.cpus() && nodes.memoryGib()[n] + 1e-9 >= j.memoryGib()) return;
        }
        throw never(j, spec, "no node of a GPU model it may use has that many GPUs, cores and GiB together");
    }

    private static IllegalArgumentException never(Job j, ClusterSpec spec, String why) {
        return new IllegalArgumentException(j.origin() + ": the job needs " + (j.sharesGpu() ? j.gpuMilli() + " milli-GPUs" : j.gpus() + " GPUs") + ", "
                + j.cpus() + " CPU cores and " + j.memoryGib() + " GiB; " + why + " (" + spec + "): it can never run");
    }
}
