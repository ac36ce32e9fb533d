package org.sinter.cluster.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * Gandiva's two mechanisms (Xiao et al., OSDI'18), no duration knowledge:
 * <ul>
 *   <li><b>Time-slicing.</b> When jobs wait, running jobs that have had a quantum since they last
 *   started are suspended (checkpointed, their progress kept) to let the waiting ones run: the queue
 *   is round-robin, ordered by when a job last stopped (arrival for new jobs), so every job gets
 *   early turns and feedback comes fast, as Gandiva's suspend-resume does. A job is only suspended
 *   for one that was waiting before it last started, and only when the freed GPUs would really hold
 *   that one. A job that is not preemptible is never suspended.</li>
 *   <li><b>Migration.</b> When a waiting job that fits in a node finds enough free GPUs but none on
 *   one node (fragmentation), the small jobs on the node closest to holding it move elsewhere: they
 *   are stopped and restarted at once on other nodes (paying the run's restart penalty), and the
 *   job takes the node. Only jobs that are migratable, preemptible and checkpointable move (a move
 *   that lost the progress would be a restart).</li>
 * </ul>
 * The simulator wakes the policy when the next running job completes its quantum.
 */
public final class Gandiva implements WholeGpusOnNodesOfOneSize {
    public static final double DEFAULT_QUANTUM = 1800;

    private final double quantum;
    /** Jobs stopped to move, which go back ahead of everyone (a migration is not a turn lost). */
    private final Set<JobState> migrating = new HashSet<>();
    /** Jobs suspended in the current pass: they wait their turn, not take one back at once. */
    private final Set<JobState> suspendedNow = new HashSet<>();
    /** A running job keyed by when it last started (fixed while it runs): the key can be probed by time alone. */
    private record Started(double at, int id, JobState job) {
        static final Comparator<Started> ORDER = Comparator.comparingDouble(Started::at).thenComparingInt(Started::id);

        static Started of(JobState j) {
            return new Started(j.resumedAt(), j.job.id(), j);
        }
    }

    /** Running jobs by when they last started: the next to finish a quantum first. */
    private final TreeSet<Started> byStart = new TreeSet<>(Started.ORDER);
    private double now;
    private long migrations, suspensions;

    public Gandiva() {
        this(DEFAULT_QUANTUM);
    }

    /** @param quantum seconds a job runs before it may be suspended for waiting jobs */
    public Gandiva(double quantum) {
        if (!(quantum > 0) || Double.isInfinite(quantum)) throw new IllegalArgumentException("gandiva: the quantum must be a positive number of seconds, got " + quantum);
        this.quantum = quantum;
    }

    @Override public String name() { return "gandiva"; }

    public long migrations() { return migrations; }

    public long suspensions() { return suspensions; }

    /**
     * Round robin: a job queues by when it last stopped (arrival for a new one; preemptions happen in
     * a pass, at the pass's time), so the least recently run goes first; a migrating job keeps its
     * place at the front.
     */
    @Override
    public double queueRank(JobState waiting) {
        if (migrating.contains(waiting)) return Double.NEGATIVE_INFINITY;
        return Double.isNaN(waiting.firstStart()) ? waiting.job.arrival() : now;
    }

    @Override
    public void onStart(JobState job, double now) {
        migrating.remove(job);
        byStart.add(Started.of(job));
    }

    @Override
    public void onStop(JobState job, double now) {
        byStart.remove(Started.of(job));
    }

    @Override
    public double nextWakeup(SchedulerContext ctx) {
        if (ctx.waitingCount() == 0) return Double.POSITIVE_INFINITY;
        // The next quantum to end (those already over had their chance this pass). Jobs past their
        // quantum that were not suspended pile up at the front; skip them by a probe on the start
        // time a little below the bound (then the exact test), not one by one.
        double now = ctx.now();
        Started probe = new Started(now + 1e-9 - quantum - 1e-6 * Math.max(1, Math.abs(now)), Integer.MIN_VALUE, null);
        for (Started r : byStart.tailSet(probe, false)) {
            double t = r.at() + quantum;
            if (t > now + 1e-9) return t;
        }
        return Double.POSITIVE_INFINITY;
    }

    @Override
    public void schedule(SchedulerContext ctx) {
        now = ctx.now();
        suspendedNow.clear();
        QueueWalk.startAllThatFit(ctx);
        migrate(ctx);
        timeSlice(ctx);
        QueueWalk.startAllThatFit(ctx);
    }

    /** Suspends jobs past their quantum, longest-running first, for the waiting jobs in round-robin order. */
    private void timeSlice(SchedulerContext ctx) {
        Due due = new Due();
        if (due.get(0) == null) return;
        int next = 0;
        // A job that cannot get room makes every later one at least as large hopeless too (fewer victims left).
        int hopelessFrom = Integer.MAX_VALUE;
        for (JobState w = ctx.firstWaiting(); w != null && due.get(next) != null; w = ctx.nextWaiting(w, hopelessFrom - 1)) {
            if (suspendedNow.contains(w)) break; // the rest of the queue was just suspended: their turn comes later
            List<JobState> victims = new ArrayList<>();
            int room = ctx.freeGpus();
            int k = next;
            while (room < w.job.gpus() && due.get(k) != null) {
                victims.add(due.get(k));
                room += due.get(k++).job.gpus();
            }
            if (room < w.job.gpus() || !ctx.fitsAfterPreempting(w, victims)) {
                hopelessFrom = w.job.gpus();
                continue;
            }
            for (JobState v : victims) {
                ctx.preempt(v);
                suspendedNow.add(v);
                suspensions++;
            }
            next = k;
            ctx.tryStart(w);
        }
    }

    /**
     * The running jobs past their quantum, longest-running first, read from {@link #byStart} only as
     * far as a pass needs them (thousands may be due while the queue needs a few). Reading on by
     * {@code higher} from the last one read is unaffected by the suspensions the pass makes (they
     * are the ones already read) and by its starts (they start now: never due).
     */
    private final class Due {
        private final List<JobState> read = new ArrayList<>();
        private Started last;
        private boolean exhausted;

        /** The {@code i}-th due job, or null when fewer are due. */
        JobState get(int i) {
            while (read.size() <= i && !exhausted) {
                Started s = last == null ? (byStart.isEmpty() ? null : byStart.first()) : byStart.higher(last);
                if (s == null || now - s.at() < quantum - 1e-9) { // sorted by start: the rest started later
                    exhausted = true;
                } else {
                    if (s.job().job.preemptible()) read.add(s.job()); // one that may not be suspended keeps its GPUs
                    last = s;
                }
            }
            return i < read.size() ? read.get(i) : null;
        }
    }

    /** Moves small jobs off the node nearest to holding a fragmented waiting job. */
    private void migrate(SchedulerContext ctx) {
        JobState w = ctx.firstWaiting();
        int g = w == null ? 0 : w.job.gpus();
        if (w == null || g > ctx.gpusPerNode() || g > ctx.freeGpus()) return;
        if (ctx.someNodeFits(g)) return; // not fragmented: it will start
        // The node with the most free GPUs, and its single-node jobs, smallest first, until it would hold w.
        int best = 0;
        for (int n = 1; n < ctx.nodes(); n++) if (ctx.freeOn(n) > ctx.freeOn(best)) best = n;
        List<JobState> onNode = new ArrayList<>();
        for (JobState r : ctx.runningOn(best)) if (r.allocation().nodes().length == 1 && r.job.migratable() && r.job.preemptible() && r.job.checkpointable()) onNode.add(r);
        onNode.sort(Comparator.comparingInt((JobState r) -> r.job.gpus()).thenComparingInt(r -> r.job.id()));
        List<JobState> moving = new ArrayList<>();
        int free = ctx.freeOn(best), elsewhere = ctx.freeGpus() - free;
        for (JobState r : onNode) {
            if (free >= g) break;
            moving.add(r);
            free += r.job.gpus();
            elsewhere -= r.job.gpus();
        }
        // The movers must land on the other nodes' free GPUs: there must be room for them there.
        if (free < g || elsewhere < 0 || !ctx.fitsAfterPreempting(w, moving)) return;
        for (JobState r : moving) {
            migrating.add(r);
            ctx.preempt(r);
            migrations++;
        }
        ctx.tryStart(w);
        // The movers go first; those that find no node wait at the front.
        for (JobState r : List.copyOf(moving)) if (!r.running()) ctx.tryStart(r);
    }
}
