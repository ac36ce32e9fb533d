package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Job;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * Dominant Resource Fairness over GPUs, CPU cores and host memory, with each node's three capacities
 * enforced. Users are the jobs' virtual clusters. Each pass is progressive filling over the waiting
 * jobs: the user with the smallest dominant share (of the cluster's GPUs, CPUs or memory, whichever
 * it holds most of) starts its earliest job that fits somewhere, and is asked again with its new
 * share; a user none of whose next {@value #LOOKAHEAD} jobs fit is done for the pass. Never preempts
 * (Mesos' DRF allocator offers free resources; it does not take them back). A job's CPU and memory
 * are split over its nodes in proportion to its GPUs there. Other policies look only at GPUs;
 * this one also keeps a ledger of each node's free CPUs and memory.
 */
public final class Drf implements Policy {
    static final int LOOKAHEAD = 32;

    private final double nodeCpus;
    private final double nodeMemoryGib;
    private double[] freeCpus;
    private double[] freeMemory;
    private final Map<String, double[]> held = new HashMap<>();
    /** Where each running job is (the simulator clears a job's allocation before telling a policy it stopped). */
    private final Map<JobState, Allocation> placed = new HashMap<>();
    /** Each user's waiting jobs in arrival order, kept as jobs enter and leave the queue (a pass never walks the whole queue). */
    private final Map<String, TreeSet<JobState>> waitingByUser = new TreeMap<>();
    private static final java.util.Comparator<JobState> BY_ARRIVAL = java.util.Comparator.<JobState>comparingDouble(j -> j.job.arrival()).thenComparingInt(j -> j.job.id());
    private int gpusPerNode = -1;

    /** @param nodeCpus CPU cores per node; {@code nodeMemoryGib} host memory per node */
    public Drf(double nodeCpus, double nodeMemoryGib) {
        if (!(nodeCpus > 0) || !(nodeMemoryGib > 0)) throw new IllegalArgumentException("DRF: a node needs CPUs and memory > 0, got " + nodeCpus + " cores, " + nodeMemoryGib + " GiB");
        this.nodeCpus = nodeCpus;
        this.nodeMemoryGib = nodeMemoryGib;
    }

    /** Nodes of {@code gpusPerNode} GPUs with DGX-1 ratios of CPU and memory ({@link Job#DEFAULT_CPUS_PER_GPU} cores, {@link Job#DEFAULT_MEMORY_GIB_PER_GPU} GiB per GPU). */
    public static Drf withDefaultNodes(int gpusPerNode) {
        return new Drf(gpusPerNode * Job.DEFAULT_CPUS_PER_GPU, gpusPerNode * Job.DEFAULT_MEMORY_GIB_PER_GPU);
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
        if (gpusPerNode > 0) checkCouldEverFit(job.job);
        waitingByUser.computeIfAbsent(job.job.vc(), k -> new TreeSet<>(BY_ARRIVAL)).add(job);
    }

    @Override
    public void onStart(JobState job, double now) {
        TreeSet<JobState> queue = waitingByUser.get(job.job.vc());
        if (queue != null && queue.remove(job) && queue.isEmpty()) waitingByUser.remove(job.job.vc());
        Allocation a = job.allocation();
        placed.put(job, a);
        for (int i = 0; i < a.nodes().length; i++) {
            double part = (double) a.gpus()[i] / job.job.gpus();
            freeCpus[a.nodes()[i]] -= job.job.cpus() * part;
            freeMemory[a.nodes()[i]] -= job.job.memoryGib() * part;
        }
        add(job.job, 1);
    }

    @Override
    public void onStop(JobState job, double now) {
        Allocation a = placed.remove(job);
        for (int i = 0; i < a.nodes().length; i++) {
            double part = (double) a.gpus()[i] / job.job.gpus();
            freeCpus[a.nodes()[i]] += job.job.cpus() * part;
            freeMemory[a.nodes()[i]] += job.job.memoryGib() * part;
        }
        add(job.job, -1);
    }

    private void add(Job j, int sign) {
        double[] h = held.computeIfAbsent(j.vc(), k -> new double[3]);
        h[0] += sign * j.gpus();
        h[1] += sign * j.cpus();
        h[2] += sign * j.memoryGib();
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        if (freeCpus == null) {
            freeCpus = new double[ctx.nodes()];
            freeMemory = new double[ctx.nodes()];
            java.util.Arrays.fill(freeCpus, nodeCpus);
            java.util.Arrays.fill(freeMemory, nodeMemoryGib);
        }
        double[] capacity = {ctx.totalGpus(), ctx.nodes() * nodeCpus, ctx.nodes() * nodeMemoryGib};
        if (gpusPerNode < 0) {
            gpusPerNode = ctx.gpusPerNode();
            for (TreeSet<JobState> q : waitingByUser.values()) for (JobState j : q) checkCouldEverFit(j.job);
        }
        record Turn(String user, double share, int order) {}
        PriorityQueue<Turn> turns = new PriorityQueue<>((a, b) -> a.share() != b.share() ? Double.compare(a.share(), b.share()) : Integer.compare(a.order(), b.order()));
        int order = 0;
        Map<String, Integer> orderOf = new HashMap<>();
        for (String user : waitingByUser.keySet()) { // by name: ties in share go the same way every run
            orderOf.put(user, order);
            turns.add(new Turn(user, share(user, capacity), order++));
        }
        while (!turns.isEmpty() && ctx.freeGpus() > 0) {
            Turn t = turns.poll();
            TreeSet<JobState> queue = waitingByUser.get(t.user());
            if (queue == null) continue;
            JobState started = null;
            int looked = 0;
            for (JobState j : queue) {
                if (looked++ >= LOOKAHEAD) break;
                if (j.job.gpus() > ctx.freeGpus()) continue;
                Allocation a = place(j.job, ctx);
                if (a != null && ctx.tryStart(j, a)) { started = j; break; } // onStart takes it out of the queue
            }
            if (started == null) continue; // this user is done for the pass
            if (waitingByUser.containsKey(t.user())) turns.add(new Turn(t.user(), share(t.user(), capacity), orderOf.get(t.user())));
        }
    }

    private double share(String user, double[] capacity) {
        double[] h = held.get(user);
        return h == null ? 0 : DominantResourceFairness.dominantShare(h, capacity);
    }

    private void checkCouldEverFit(Job j) {
        int nodesSpanned = (j.gpus() + gpusPerNode - 1) / gpusPerNode;
        if (j.cpus() > nodesSpanned * nodeCpus + 1e-9 || j.memoryGib() > nodesSpanned * nodeMemoryGib + 1e-9) {
            throw new IllegalArgumentException(j.origin() + ": the job needs " + j.cpus() + " CPU cores and " + j.memoryGib() + " GiB on " + nodesSpanned
                    + " node(s) of " + nodeCpus + " cores and " + nodeMemoryGib + " GiB: it can never run");
        }
    }

    /**
     * GPUs on nodes that also have the job's CPU and memory share free: a job that fits in a node goes
     * to the fullest node (by free GPUs) that holds all three; a larger one takes whole free nodes
     * (and the remainder on the fullest node that holds it), lowest-numbered first. Null if none.
     */
    private Allocation place(Job j, SchedulerContext ctx) {
        int perNode = ctx.gpusPerNode();
        if (j.gpus() > ctx.freeGpus()) return null;
        int whole = j.gpus() <= perNode ? 0 : j.gpus() / perNode;
        int rest = j.gpus() <= perNode ? j.gpus() : j.gpus() % perNode;
        List<Integer> nodes = new ArrayList<>();
        for (int n = 0; n < ctx.nodes() && nodes.size() < whole; n++) {
            if (ctx.freeOn(n) == perNode && holds(n, j, perNode)) nodes.add(n);
        }
        if (nodes.size() < whole) return null;
        int restNode = -1;
        if (rest > 0) {
            for (int n = 0; n < ctx.nodes(); n++) {
                int f = ctx.freeOn(n);
                if (f >= rest && !nodes.contains(n) && holds(n, j, rest) && (restNode < 0 || f < ctx.freeOn(restNode))) restNode = n;
            }
            if (restNode < 0) return null;
        }
        int k = nodes.size() + (rest > 0 ? 1 : 0);
        int[] ns = new int[k], gs = new int[k];
        for (int i = 0; i < nodes.size(); i++) { ns[i] = nodes.get(i); gs[i] = perNode; }
        if (rest > 0) { ns[k - 1] = restNode; gs[k - 1] = rest; }
        return new Allocation(ns, gs);
    }

    private boolean holds(int node, Job j, int gpusThere) {
        double part = (double) gpusThere / j.gpus();
        return freeCpus[node] + 1e-9 >= j.cpus() * part && freeMemory[node] + 1e-9 >= j.memoryGib() * part;
    }
}
