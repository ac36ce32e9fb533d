package org.sinter.cluster.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.Job;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * Dominant Resource Fairness over GPUs, CPU cores and host memory, with each node's three capacities
 * enforced. Users are the jobs' virtual clusters. Each pass is progressive filling over the waiting
 * jobs: the user with the smallest dominant share (of the cluster's GPUs, CPUs or memory, whichever
 * it holds most of) starts its earliest job that fits somewhere, and is asked again with its new
 * share; a user none of whose next {@value #LOOKAHEAD} jobs fit is done for the pass. Never preempts
 * (Mesos' DRF allocator offers free resources; it does not take them back). The cluster enforces
 * each node's CPUs and memory ({@link #clusterFor}: a node list's own, else the capacities given
 * here for every node) and the run's placement chooses among the nodes that hold a job; a share of
 * a GPU counts as that share of the GPUs.
 */
public final class Drf implements Policy {
    static final int LOOKAHEAD = 32;

    private final double nodeCpus;
    private final double nodeMemoryGib;
    private final Map<String, double[]> held = new HashMap<>();
    /** Each user's waiting jobs in arrival order, kept as jobs enter and leave the queue (a pass never walks the whole queue). */
    private final Map<String, TreeSet<JobState>> waitingByUser = new TreeMap<>();
    /** Waiting jobs that use a share of a GPU: they may start with no GPU free whole. */
    private int sharesWaiting;
    private static final java.util.Comparator<JobState> BY_ARRIVAL = java.util.Comparator.<JobState>comparingDouble(j -> j.job.arrival()).thenComparingInt(j -> j.job.id());

    /** @param nodeCpus CPU cores per node; {@code nodeMemoryGib} host memory per node, for clusters that do not list their own */
    public Drf(double nodeCpus, double nodeMemoryGib) {
        if (!(nodeCpus > 0) || !(nodeMemoryGib > 0)) throw new IllegalArgumentException("DRF: a node needs CPUs and memory > 0, got " + nodeCpus + " cores, " + nodeMemoryGib + " GiB");
        this.nodeCpus = nodeCpus;
        this.nodeMemoryGib = nodeMemoryGib;
    }

    /** Nodes of {@code gpusPerNode} GPUs with DGX-1 ratios of CPU and memory ({@link Job#DEFAULT_CPUS_PER_GPU} cores, {@link Job#DEFAULT_MEMORY_GIB_PER_GPU} GiB per GPU). */
    public static Drf withDefaultNodes(int gpusPerNode) {
        return new Drf(gpusPerNode * Job.DEFAULT_CPUS_PER_GPU, gpusPerNode * Job.DEFAULT_MEMORY_GIB_PER_GPU);
    }

    /** A node list keeps its own CPUs and memory; other clusters get this policy's per node. */
    @Override
    public ClusterSpec clusterFor(ClusterSpec spec) {
        return spec.withHostResources(nodeCpus, nodeMemoryGib);
    }

    @Override
    public String name() {
        return "drf";
    }

    @Override
    public double queueRank(JobState waiting) {
        return waiting.job.arrival();
    }

    @Override
    public void onEnqueue(JobState job, double now) {
        waitingByUser.computeIfAbsent(job.job.vc(), k -> new TreeSet<>(BY_ARRIVAL)).add(job);
        if (job.job.sharesGpu()) sharesWaiting++;
    }

    @Override
    public void onStart(JobState job, double now) {
        TreeSet<JobState> queue = waitingByUser.get(job.job.vc());
        if (queue != null && queue.remove(job) && queue.isEmpty()) waitingByUser.remove(job.job.vc());
        if (job.job.sharesGpu()) sharesWaiting--;
        add(job.job, 1);
    }

    @Override
    public void onStop(JobState job, double now) {
        add(job.job, -1);
    }

    private void add(Job j, int sign) {
        double[] h = held.computeIfAbsent(j.vc(), k -> new double[3]);
        h[0] += sign * (j.milliGpus() / (double) Job.WHOLE_GPU);
        h[1] += sign * j.cpus();
        h[2] += sign * j.memoryGib();
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        if (!ctx.limitsHost()) throw new IllegalStateException("drf: the cluster must limit CPUs and memory (clusterFor gives it limits)");
        double[] capacity = {ctx.totalGpus(), ctx.totalCpus(), ctx.totalMemoryGib()};
        record Turn(String user, double share, int order) {}
        PriorityQueue<Turn> turns = new PriorityQueue<>((a, b) -> a.share() != b.share() ? Double.compare(a.share(), b.share()) : Integer.compare(a.order(), b.order()));
        int order = 0;
        Map<String, Integer> orderOf = new HashMap<>();
        for (String user : waitingByUser.keySet()) { // by name: ties in share go the same way every run
            orderOf.put(user, order);
            turns.add(new Turn(user, share(user, capacity), order++));
        }
        while (!turns.isEmpty() && (ctx.freeGpus() > 0 || sharesWaiting > 0)) {
            Turn t = turns.poll();
            TreeSet<JobState> queue = waitingByUser.get(t.user());
            if (queue == null) continue;
            JobState started = null;
            int looked = 0;
            for (JobState j : queue) {
                if (looked++ >= LOOKAHEAD) break;
                if (!j.job.sharesGpu() && j.job.gpus() > ctx.freeGpus()) continue;
                if (ctx.tryStart(j)) { started = j; break; } // onStart takes it out of the queue
            }
            if (started == null) continue; // this user is done for the pass
            if (waitingByUser.containsKey(t.user())) turns.add(new Turn(t.user(), share(t.user(), capacity), orderOf.get(t.user())));
        }
    }

    private double share(String user, double[] capacity) {
        double[] h = held.get(user);
        return h == null ? 0 : DominantResourceFairness.dominantShare(h, capacity);
    }
}
