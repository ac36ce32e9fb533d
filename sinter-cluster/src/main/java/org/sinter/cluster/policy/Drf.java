package org.sinter.cluster.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
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
    public void onStart(JobState job, double now) {
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
        Map<String, ArrayDeque<JobState>> waiting = new TreeMap<>(); // by VC name: ties in share go the same way every run
        for (JobState j = ctx.nextWaiting(null, Integer.MAX_VALUE); j != null; j = ctx.nextWaiting(j, Integer.MAX_VALUE)) {
            checkCouldEverFit(j.job, ctx);
            waiting.computeIfAbsent(j.job.vc(), k -> new ArrayDeque<>()).add(j);
        }
        record Turn(String user, double share, int order) {}
        PriorityQueue<Turn> turns = new PriorityQueue<>((a, b) -> a.share() != b.share() ? Double.compare(a.share(), b.share()) : Integer.compare(a.order(), b.order()));
        int order = 0;
        Map<String, Integer> orderOf = new HashMap<>();
        for (String user : waiting.keySet()) {
            orderOf.put(user, order);
            turns.add(new Turn(user, share(user, capacity), order++));
        }
        while (!turns.isEmpty() && ctx.freeGpus() > 0) {
            Turn t = turns.poll();
            ArrayDeque<JobState> queue = waiting.get(t.user());
            JobState started = null;
            int looked = 0;
            for (JobState j : queue) {
                if (looked++ >= LOOKAHEAD) break;
                Allocation a = place(j.job, ctx);
                if (a != null && ctx.tryStart(j, a)) { started = j; break; }
            }
            if (started == null) continue; // this user is done for the pass
            queue.remove(started);
            if (!queue.isEmpty()) turns.add(new Turn(t.user(), share(t.user(), capacity), orderOf.get(t.user())));
        }
    }

    private double share(String user, double[] capacity) {
        double[] h = held.get(user);
        return h == null ? 0 : DominantResourceFairness.dominantShare(h, capacity);
    }

    private void checkCouldEverFit(Job j, SchedulerContext ctx) {
        int nodesSpanned = (j.gpus() + ctx.gpusPerNode() - 1) / ctx.gpusPerNode();
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
