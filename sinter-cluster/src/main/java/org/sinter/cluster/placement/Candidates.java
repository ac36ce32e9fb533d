package org.sinter.cluster.placement;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;
import org.sinter.cluster.Job;

/**
 * Placement by looking at every node, for what the GPU counts alone cannot answer: nodes whose CPU
 * cores and memory are limited (a node list), and jobs that use a share of one GPU. A whole-GPU job
 * that fits in a node goes to one node with its GPUs, CPUs and memory free; a larger one gathers
 * GPUs node by node, each node holding its part of the CPUs and memory (split by GPUs, as the
 * cluster accounts them). A share goes to one GPU with that many milli-GPUs free (a shared GPU's
 * remainder or a free GPU) on a node with the job's CPUs and memory. The {@link Preference} picks
 * among the candidates. Costs O(nodes x GPUs per node); the whole-GPU path of a cluster without
 * CPU and memory limits never comes here.
 */
final class Candidates {
    private Candidates() {}

    /** Where {@code j} goes among nodes [lo, hi), or null; {@code random} is drawn from only for {@link Preference#RANDOM}. */
    static Allocation place(Cluster c, Job j, int lo, int hi, Preference p, SplittableRandom random) {
        if (j.sharesGpu()) return share(c, j, lo, hi, p, random);
        if (j.gpus() > c.gpusPerNode()) return gather(c, j, lo, hi, p, random);
        return oneNode(c, j, lo, hi, p, random);
    }

    private static Allocation oneNode(Cluster c, Job j, int lo, int hi, Preference p, SplittableRandom random) {
        int g = j.gpus();
        if (!c.someNodeFits(g)) return null;
        int best = -1, seen = 0;
        for (int n = lo; n < hi; n++) {
            if (c.freeOn(n) < g || !c.hostFits(n, j.cpus(), j.memoryGib())) continue;
            boolean better = switch (p) {
                case FIRST_FIT -> best < 0;
                case BEST_FIT_NODE, BEST_FIT_GPU -> best < 0 || c.freeOn(n) < c.freeOn(best);
                case WORST_FIT_NODE -> best < 0 || c.freeOn(n) > c.freeOn(best);
                case RANDOM -> random.nextInt(++seen) == 0; // reservoir sampling: uniform over the nodes that hold it
            };
            if (better) best = n;
            if (p == Preference.FIRST_FIT) break;
        }
        return best < 0 ? null : Allocation.onOneNode(best, g);
    }

    /** A job larger than the largest node: free GPUs node by node (emptiest first, or in node order, or shuffled), each node holding its share of CPUs and memory. */
    private static Allocation gather(Cluster c, Job j, int lo, int hi, Preference p, SplittableRandom random) {
        List<Integer> order = new ArrayList<>();
        for (int n = lo; n < hi; n++) if (c.freeOn(n) > 0) order.add(n);
        if (p == Preference.RANDOM) Collections.shuffle(order, new java.util.Random(random.nextLong()));
        else if (p != Preference.FIRST_FIT) order.sort((a, b) -> c.freeOn(b) != c.freeOn(a) ? Integer.compare(c.freeOn(b), c.freeOn(a)) : Integer.compare(a, b));
        int[] ns = new int[order.size()], gs = new int[order.size()];
        int k = 0, need = j.gpus();
        for (int n : order) {
            if (need == 0) break;
            int g = Math.min(need, c.freeOn(n));
            double part = (double) g / j.gpus();
            if (!c.hostFits(n, j.cpus() * part, j.memoryGib() * part)) continue;
            ns[k] = n;
            gs[k++] = g;
            need -= g;
        }
        return need > 0 ? null : new Allocation(java.util.Arrays.copyOf(ns, k), java.util.Arrays.copyOf(gs, k));
    }

    private static Allocation share(Cluster c, Job j, int lo, int hi, Preference p, SplittableRandom random) {
        int m = j.gpuMilli();
        if (!c.someGpuHolds(m)) return null;
        int bestNode = -1, bestGpu = -1, bestFree = 0;
        long bestNodeFree = 0, seen = 0;
        for (int n = lo; n < hi; n++) {
            if (!c.hostFits(n, j.cpus(), j.memoryGib())) continue;
            long nodeFree = -1; // computed when a preference needs it
            int freeGpu = c.freeUnsharedGpu(n); // one free GPU stands for all of the node's
            for (int g = 0; g < c.capacityOf(n); g++) {
                boolean shared = c.isShared(n, g);
                int f = shared ? c.freeMilli(n, g) : Job.WHOLE_GPU;
                if (f < m || (!shared && g != freeGpu)) continue;
                if (nodeFree < 0) nodeFree = c.freeMilliOn(n);
                boolean better = switch (p) {
                    case FIRST_FIT -> bestNode < 0;
                    case BEST_FIT_NODE -> bestNode < 0 || nodeFree < bestNodeFree;
                    case WORST_FIT_NODE -> bestNode < 0 || nodeFree > bestNodeFree || (n == bestNode && f > bestFree);
                    case BEST_FIT_GPU -> bestNode < 0 || f < bestFree || (f == bestFree && nodeFree < bestNodeFree);
                    case RANDOM -> {
                        long weight = shared ? 1 : c.freeOn(n); // every free GPU of the node counts once
                        seen += weight;
                        yield random.nextLong(seen) < weight;
                    }
                };
                if (better) {
                    bestNode = n;
                    bestGpu = g;
                    bestFree = f;
                    bestNodeFree = nodeFree;
                }
                if (p == Preference.FIRST_FIT) return Allocation.share(bestNode, bestGpu, m);
            }
        }
        return bestNode < 0 ? null : Allocation.share(bestNode, bestGpu, m);
    }
}
