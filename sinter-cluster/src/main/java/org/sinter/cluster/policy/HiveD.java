package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.VirtualClusters;
import org.sinter.cluster.sim.BuddyCells;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;
import org.sinter.cluster.sim.WaitQueue;

/**
 * HiveD (Zhao et al., OSDI'20): a virtual cluster is guaranteed <i>cells</i> (here nodes, split
 * buddy-wise into halves down to single GPUs), not a GPU count. Each VC allocates its jobs in its
 * own virtual cluster of that many nodes ({@link BuddyCells}: a job takes the smallest aligned
 * cell that holds it, best fit); a virtual node is bound to a physical node when it gets its first
 * job and unbound when it empties, and a virtual cell maps to the same GPUs of its physical node.
 * Because the guarantees fit in the cluster together, an unbound node is always there to bind (VC
 * safety): a job that fits in its VC's virtual cluster starts at once, preempting the
 * <i>opportunistic</i> jobs on the GPUs it needs. Opportunistic jobs are those their VC's cells
 * cannot hold right now (or of VCs with no guarantee): they run on any idle cells, best fit, and
 * are the first to go; a job that is not preemptible never runs opportunistically (it waits for its
 * VC's cells, and must fit in them). Within each VC jobs start in arrival order, skipping those that do not fit.
 */
public final class HiveD implements WholeGpusOnNodesOfOneSize {
    /** Where a running job is: its virtual cell (null if opportunistic) and its physical cell. */
    private record Placed(BuddyCells.Cell virtual, BuddyCells.Cell physical) {}

    private final int gpusPerNode;
    /** Every physical node, a bit per busy GPU (guaranteed and opportunistic jobs alike). */
    private final BuddyCells physical;
    private final Map<String, BuddyCells> virtualClusters = new TreeMap<>();
    /** Per VC, each virtual node's physical node, or -1. */
    private final Map<String, int[]> binding = new HashMap<>();
    /** Per physical node: its VC (null: unbound) and the opportunistic jobs on it. */
    private final String[] owner;
    private final List<List<JobState>> opportunisticOn = new ArrayList<>();
    private final Map<JobState, Placed> placed = new HashMap<>();
    /** Per VC, its waiting jobs in arrival order. */
    private final Map<String, WaitQueue> waiting = new TreeMap<>();
    private long bindings, reclaims;

    public HiveD(VirtualClusters vcs, ClusterSpec spec) {
        vcs.checkFits(spec);
        this.gpusPerNode = spec.gpusPerNode();
        this.physical = new BuddyCells(spec.nodes(), gpusPerNode);
        this.owner = new String[spec.nodes()];
        for (int n = 0; n < spec.nodes(); n++) opportunisticOn.add(new ArrayList<>());
        vcs.guaranteedNodes().forEach((vc, nodes) -> {
            if (nodes == 0) return;
            virtualClusters.put(vc, new BuddyCells(nodes, gpusPerNode));
            int[] b = new int[nodes];
            Arrays.fill(b, -1);
            binding.put(vc, b);
        });
    }

    @Override public String name() { return "hived"; }

    @Override public double queueRank(JobState waiting) { return waiting.job.arrival(); }

    /** Virtual nodes bound to physical ones so far, and opportunistic jobs preempted to make room for guaranteed ones. */
    public long bindings() { return bindings; }

    public long reclaims() { return reclaims; }

    @Override
    public void onEnqueue(JobState job, double now) {
        BuddyCells own = virtualClusters.get(job.job.vc());
        if (!job.job.preemptible() && (own == null || job.job.gpus() > own.nodes() * gpusPerNode)) {
            // it could run only opportunistically, where it must yield to guaranteed jobs (VC safety)
            throw new IllegalArgumentException("hived: job " + job.job.id() + " (" + job.job.origin() + ") is not preemptible and needs "
                    + job.job.gpus() + " GPUs, more than VC '" + job.job.vc() + "' is guaranteed (" + (own == null ? 0 : own.nodes() * gpusPerNode) + ")");
        }
        waiting.computeIfAbsent(job.job.vc(), k -> new WaitQueue()).add(job);
    }

    @Override
    public void onStart(JobState job, double now) {
        waiting.get(job.job.vc()).remove(job);
    }

    @Override
    public void onStop(JobState job, double now) {
        Placed p = placed.remove(job);
        physical.release(p.physical());
        if (p.virtual() == null) {
            for (int n : p.physical().nodes()) opportunisticOn.get(n).remove(job);
            return;
        }
        String vc = job.job.vc();
        BuddyCells v = virtualClusters.get(vc);
        v.release(p.virtual());
        int[] b = binding.get(vc);
        for (int vn : p.virtual().nodes()) {
            if (v.empty(vn)) {
                owner[b[vn]] = null;
                b[vn] = -1;
            }
        }
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        // Guaranteed jobs: whatever fits in its VC's own cells starts now. A preempted opportunistic job
        // re-enters its queue behind the cursor, so walk again until a walk preempts nothing.
        long before;
        do {
            before = reclaims;
            for (var e : waiting.entrySet()) {
                BuddyCells v = virtualClusters.get(e.getKey());
                if (v == null) continue;
                WaitQueue q = e.getValue();
                // Cells are monotone in size: once a size does not fit, no larger one does.
                int bound = Integer.MAX_VALUE;
                for (JobState j = q.next(null, bound); j != null; j = q.next(j, bound)) {
                    if (v.fits(j.job.gpus())) startGuaranteed(ctx, j, e.getKey(), v);
                    else bound = j.job.gpus() - 1;
                }
            }
        } while (reclaims != before);
        // Opportunistic jobs on idle cells, in arrival order: those their VC cannot hold now.
        int fits = ctx.freeGpus();
        for (JobState j = ctx.nextWaiting(null, fits); j != null; j = ctx.nextWaiting(j, fits)) {
            BuddyCells v = virtualClusters.get(j.job.vc());
            if (v != null && v.fits(j.job.gpus())) continue; // it waits for nothing: the pass above was for it
            if (!j.job.preemptible()) continue; // opportunistic jobs are reclaimed: one that cannot be waits for its VC's cells
            BuddyCells.Cell c = physical.allocate(j.job.gpus());
            if (c == null) {
                fits = j.job.gpus() - 1; // cells are monotone: no larger job fits either
                continue;
            }
            if (!ctx.tryStart(j, allocation(c, j.job.gpus()))) throw new IllegalStateException("hived: idle cell " + c + " refused for job " + j.job.id());
            placed.put(j, new Placed(null, c));
            for (int n : c.nodes()) opportunisticOn.get(n).add(j);
            fits = Math.min(fits, ctx.freeGpus());
        }
    }

    private void startGuaranteed(SchedulerContext ctx, JobState j, String vc, BuddyCells v) {
        BuddyCells.Cell cell = v.allocate(j.job.gpus());
        int[] b = binding.get(vc);
        int[] nodes = new int[cell.nodes().length];
        for (int i = 0; i < nodes.length; i++) {
            int vn = cell.nodes()[i];
            if (b[vn] < 0) {
                b[vn] = unboundNode();
                owner[b[vn]] = vc;
                bindings++;
            }
            nodes[i] = b[vn];
        }
        BuddyCells.Cell image = new BuddyCells.Cell(nodes, cell.mask());
        for (int n : nodes) {
            for (JobState o : List.copyOf(opportunisticOn.get(n))) {
                if ((placed.get(o).physical().mask() & cell.mask()) != 0) {
                    ctx.preempt(o); // onStop frees its cell
                    reclaims++;
                }
            }
        }
        physical.take(image);
        if (!ctx.tryStart(j, allocation(image, j.job.gpus()))) throw new IllegalStateException("hived: cell " + image + " refused for job " + j.job.id());
        placed.put(j, new Placed(cell, image));
    }

    /** The unbound node with the fewest opportunistic GPUs (fewest jobs to preempt), lowest first. */
    private int unboundNode() {
        int best = -1, bestBusy = Integer.MAX_VALUE;
        for (int n = 0; n < owner.length; n++) {
            if (owner[n] != null) continue;
            int busy = Integer.bitCount(physical.busy(n));
            if (busy < bestBusy) {
                best = n;
                bestBusy = busy;
                if (busy == 0) break;
            }
        }
        if (best < 0) throw new IllegalStateException("hived: no unbound node left (guarantees exceed the cluster)");
        return best;
    }

    /** The GPU counts a job of {@code gpus} uses of cell {@code c}: a whole node each, the remainder on the last. */
    private Allocation allocation(BuddyCells.Cell c, int gpus) {
        int[] counts = new int[c.nodes().length];
        int left = gpus;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.min(left, Integer.bitCount(c.mask()));
            left -= counts[i];
        }
        return new Allocation(c.nodes().clone(), counts);
    }
}
