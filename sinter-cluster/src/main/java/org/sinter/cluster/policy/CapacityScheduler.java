package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.Job;
import org.sinter.cluster.VirtualClusters;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;
import org.sinter.cluster.sim.WaitQueue;

/**
 * Capacity scheduling across queues (YARN's CapacityScheduler, which Philly ran, as the HiveD paper
 * describes): each virtual cluster is guaranteed a number of GPUs (its nodes × GPUs per node),
 * counted, not placed. A pass first serves the VCs furthest below their guarantee: each starts, in
 * arrival order, the jobs that keep it within its guarantee, and when the GPUs for one are held by
 * other VCs' borrowed jobs (jobs beyond their own guarantee) it preempts the most recently started
 * of those, just enough, and only if the job would then really fit. Then idle GPUs are lent: any
 * waiting job that fits starts, in arrival order, even beyond its VC's guarantee. Because the
 * guarantee is a count, a VC within its quota can still wait for GPUs that are free but scattered
 * over nodes by others' jobs: the guarantee violations that HiveD's cells remove. Use is counted in
 * milli-GPUs, so a job that uses a share of a GPU takes that share of its VC's guarantee.
 */
public final class CapacityScheduler implements Policy {
    private final VirtualClusters vcs;
    private final int gpusPerNode;
    /** Per VC, its waiting jobs (in the simulator's queue order: arrival, for this policy). */
    private final Map<String, WaitQueue> waiting = new TreeMap<>();
    private final Map<String, LinkedHashSet<JobState>> running = new HashMap<>();
    /** Milli-GPUs each VC holds. */
    private final Map<String, Long> used = new HashMap<>();

    public CapacityScheduler(VirtualClusters vcs, ClusterSpec spec) {
        vcs.checkFits(spec);
        this.vcs = vcs;
        this.gpusPerNode = spec.gpusPerNode();
    }

    @Override public String name() { return "capacity"; }

    @Override public double queueRank(JobState waiting) { return waiting.job.arrival(); }

    /** A VC's guarantee in milli-GPUs. */
    private long quota(String vc) {
        return (long) vcs.nodesOf(vc) * gpusPerNode * Job.WHOLE_GPU;
    }

    private long used(String vc) {
        return used.getOrDefault(vc, 0L);
    }

    @Override
    public boolean schedulesNodesOfDifferentSizes() {
        return false; // guarantees are whole nodes of one size
    }

    @Override
    public void onEnqueue(JobState job, double now) {
        waiting.computeIfAbsent(job.job.vc(), k -> new WaitQueue()).add(job);
    }

    @Override
    public void onStart(JobState job, double now) {
        waiting.get(job.job.vc()).remove(job);
        running.computeIfAbsent(job.job.vc(), k -> new LinkedHashSet<>()).add(job);
        used.merge(job.job.vc(), job.job.milliGpus(), Long::sum);
    }

    @Override
    public void onStop(JobState job, double now) {
        running.get(job.job.vc()).remove(job);
        used.merge(job.job.vc(), -job.job.milliGpus(), Long::sum);
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        // Guarantees first, the VC furthest below its own first (then by name: deterministic).
        List<String> order = new ArrayList<>();
        waiting.forEach((vc, q) -> {
            if (!q.isEmpty() && quota(vc) > used(vc)) order.add(vc);
        });
        order.sort(Comparator.comparingDouble((String vc) -> (double) used(vc) / quota(vc)));
        for (String vc : order) {
            WaitQueue q = waiting.get(vc);
            // Only jobs within what is left of the guarantee, and below a size that could not get room.
            int bound = wholeGpusLeft(vc);
            for (JobState j = q.next(null, bound); j != null; j = q.next(j, bound)) {
                if (j.job.milliGpus() > quota(vc) - used(vc)) continue; // a share beyond what is left
                if (!ctx.tryStart(j) && !reclaimFor(ctx, j) && ctx.failureBoundsLarger(j)) bound = j.job.gpus() - 1;
                bound = Math.min(bound, wholeGpusLeft(vc));
                if (bound < 0) break;
            }
        }
        // Then lend what is idle, in arrival order.
        QueueWalk.startAllThatFit(ctx);
    }

    /** Whole GPUs left of a VC's guarantee (-1 when even a share would exceed it): the largest job it may still start. */
    private int wholeGpusLeft(String vc) {
        long left = quota(vc) - used(vc);
        return left <= 0 ? -1 : (int) (left / Job.WHOLE_GPU);
    }

    /**
     * Preempts other VCs' borrowed jobs, latest first, if that makes room for {@code j}, and starts it;
     * false if it cannot. Room is counted in milli-GPUs before the what-if on the cluster decides.
     */
    private boolean reclaimFor(SchedulerContext ctx, JobState j) {
        List<JobState> victims = new ArrayList<>();
        long need = j.job.milliGpus(), room = (long) ctx.freeGpus() * Job.WHOLE_GPU;
        for (var e : running.entrySet()) {
            if (e.getKey().equals(j.job.vc())) continue;
            long over = used(e.getKey()) - quota(e.getKey());
            for (JobState r : e.getValue().reversed()) {
                if (over <= 0) break;
                if (r.job.milliGpus() > over || !r.job.preemptible()) continue; // preempting it would take the VC below its guarantee, or may not be
                victims.add(r);
                over -= r.job.milliGpus();
            }
        }
        // Latest started first across VCs; just enough of them.
        victims.sort(Comparator.comparingDouble(JobState::resumedAt).reversed().thenComparingInt(r -> r.job.id()));
        int k = 0;
        while (k < victims.size() && room < need) room += victims.get(k++).job.milliGpus();
        for (; k <= victims.size(); k++) {
            List<JobState> chosen = victims.subList(0, k);
            if (room >= need && ctx.fitsAfterPreempting(j, chosen)) {
                for (JobState v : List.copyOf(chosen)) ctx.preempt(v);
                return ctx.tryStart(j);
            }
            if (k < victims.size()) room += victims.get(k).job.milliGpus();
        }
        return false;
    }
}
