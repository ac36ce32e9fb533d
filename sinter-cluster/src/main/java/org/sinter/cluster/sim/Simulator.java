package org.sinter.cluster.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.TreeSet;
import org.sinter.cluster.Allocation;
import org.sinter.cluster.Cluster;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.Job;
import org.sinter.cluster.VirtualClusters;
import org.sinter.cluster.placement.Placement;
import org.sinter.cluster.policy.Policy;

/**
 * The discrete-event simulator: an event queue ordered by simulated time, jobs arriving, starting,
 * being preempted and completing on a {@link Cluster}, and a {@link Policy} consulted after each
 * batch of simultaneous events. Time is simulated (never slept); with the same jobs, policy and
 * placement seed a run is identical. Work per event is a heap operation plus the policy's pass,
 * which looks only at the head of the queue until the cluster is full (see {@link SchedulerContext}).
 */
public final class Simulator implements SchedulerContext {
    /** Called every so many completions, for long replays. */
    public interface Progress {
        void update(int finished, int total, double simulatedSeconds);
    }

    private final Cluster cluster;
    private final Policy policy;
    private final Placement placement;
    private final double restartPenalty;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final WaitQueue waiting = new WaitQueue();
    private final LinkedHashSet<JobState> running = new LinkedHashSet<>();
    /** The same jobs by expected end (fixed while a job runs): sorting them per pass would cost O(R log R). */
    private final TreeSet<JobState> runningByEnd = new TreeSet<>(Simulator::byExpectedEnd);
    /** Running jobs on each node, in start order (a node holds a few): Gandiva's migration asks for one node's. */
    private final List<List<JobState>> onNode;
    private final List<JobState> finished = new ArrayList<>();
    private final Timeline timeline = new Timeline();
    private double now;
    /** Bumped on every start and stop (see SchedulerContext#allocationVersion). */
    private long allocationVersion;
    private long seq;
    private double busyGpuSeconds, fragmentedGpuSeconds, queuedSeconds, queuedBusyGpuSeconds;
    private double fragmentedNow;
    /** Waiting jobs that use a share of a GPU, by their milli-GPUs (count of each): the smallest share decides which pieces are too small. */
    private final java.util.TreeMap<Integer, Integer> waitingShares = new java.util.TreeMap<>();
    private double pendingWake = Double.NaN;
    /** Guarantee violations of virtual clusters, when the run has any (else null). */
    private final GuaranteeMonitor monitor;
    /** Seconds per GPU type, on a cluster of several types (else null: one speed). */
    private GpuSpeeds speeds;
    private final ClusterSpec spec;
    private boolean mixedPriorities;
    /** The nodes' CPU cores and memory summed (+Infinity when not limited). */
    private final double totalCpus, totalMemoryGib;

    private Simulator(ClusterSpec spec, Policy policy, Placement placement, double restartPenalty, VirtualClusters vcs) {
        this.spec = spec;
        this.totalCpus = spec.limitsHost() ? java.util.Arrays.stream(spec.nodeList().cpus()).sum() : Double.POSITIVE_INFINITY;
        this.totalMemoryGib = spec.limitsHost() ? java.util.Arrays.stream(spec.nodeList().memoryGib()).sum() : Double.POSITIVE_INFINITY;
        this.monitor = vcs == null ? null : new GuaranteeMonitor(vcs, spec);
        this.cluster = spec.newCluster();
        this.onNode = new ArrayList<>(cluster.nodes());
        for (int n = 0; n < cluster.nodes(); n++) onNode.add(new ArrayList<>(2));
        this.policy = policy;
        this.placement = placement;
        this.restartPenalty = restartPenalty;
    }

    /**
     * Replays {@code jobs} to completion.
     *
     * @param restartPenalty seconds a preempted job loses when it resumes (checkpoint restore, warm-up)
     * @throws IllegalArgumentException if a job needs more GPUs than the cluster has (naming its line)
     */
    public static SimulationResult run(List<Job> jobs, ClusterSpec spec, Policy policy, Placement placement,
                                       double restartPenalty, Progress progress) {
        return run(jobs, spec, policy, placement, restartPenalty, progress, null);
    }

    /**
     * As {@link #run(List, ClusterSpec, Policy, Placement, double, Progress)}, also measuring how often
     * the virtual clusters {@code vcs} are denied their guarantees (see {@link GuaranteeMonitor}).
     */
    public static SimulationResult run(List<Job> jobs, ClusterSpec spec, Policy policy, Placement placement,
                                       double restartPenalty, Progress progress, VirtualClusters vcs) {
        return run(jobs, spec, null, policy, placement, restartPenalty, progress, vcs);
    }

    /**
     * As {@link #run(List, ClusterSpec, Policy, Placement, double, Progress, VirtualClusters)} on a
     * cluster of several GPU types, where a job runs {@code speeds.duration(job, type)} seconds on
     * type {@code type} ({@code speeds} null: the same everywhere).
     */
    public static SimulationResult run(List<Job> jobs, ClusterSpec spec, GpuSpeeds speeds, Policy policy, Placement placement,
                                       double restartPenalty, Progress progress, VirtualClusters vcs) {
        spec = policy.clusterFor(spec);
        if (vcs != null && !spec.uniformNodes()) {
            throw new IllegalArgumentException("virtual clusters are guaranteed whole nodes of one size; the cluster (" + spec + ") has nodes of different sizes");
        }
        if (!spec.uniformNodes() && !policy.schedulesNodesOfDifferentSizes()) {
            throw new IllegalArgumentException(policy.name() + ": schedules nodes of one size only; the cluster (" + spec + ") has nodes of different sizes");
        }
        NodeFit nodeFit = spec.limitsHost() ? new NodeFit(spec) : null;
        for (Job j : jobs) {
            if (j.sharesGpu() && !policy.schedulesGpuShares()) {
                throw new IllegalArgumentException(j.origin() + ": the job uses " + j.gpuMilli() + " milli-GPUs of one GPU; policy " + policy.name()
                        + " places whole GPUs only (GPU sharing works with fifo, sjf, srtf, tiresias, easy, drf, capacity)");
            }
            if (j.gpus() > spec.largestTypeGpus()) {
                throw new IllegalArgumentException(j.origin() + ": job needs " + j.gpus() + " GPUs, the cluster (" + spec + ") has "
                        + (spec.types() == 1 ? spec.totalGpus() + "" : spec.largestTypeGpus() + " of one type (a job runs on one GPU type)"));
            }
            if (speeds != null) {
                boolean runs = false;
                for (int t = 0; t < spec.types(); t++) {
                    double d = speeds.duration(j, t);
                    if (!(d > 0)) throw new IllegalArgumentException(j.origin() + ": duration on " + spec.typeNames().get(t) + " must be > 0 (+Infinity: cannot run there), got " + d);
                    runs |= !Double.isInfinite(d) && j.gpus() <= spec.gpusOfType(t);
                }
                if (!runs) throw new IllegalArgumentException(j.origin() + ": job of " + j.gpus() + " GPUs fits no GPU type of the cluster (" + spec + ") it can run on");
            }
            if (nodeFit != null) nodeFit.check(j, spec, t -> speeds == null || !Double.isInfinite(speeds.duration(j, t)));
        }
        if (!(restartPenalty >= 0)) throw new IllegalArgumentException("restart penalty must be >= 0 seconds, got " + restartPenalty);
        Simulator s = new Simulator(spec, policy, placement, restartPenalty, vcs);
        s.speeds = speeds;
        return s.replay(jobs, progress);
    }

    private SimulationResult replay(List<Job> jobs, Progress progress) {
        List<Job> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparingDouble(Job::arrival).thenComparingInt(Job::id));
        for (Job j : sorted) {
            events.add(new Event(j.arrival(), Event.Kind.ARRIVE, seq++, new JobState(j), 0));
            mixedPriorities |= j.priority() != sorted.getFirst().priority();
        }
        double first = sorted.isEmpty() ? 0 : sorted.getFirst().arrival();
        now = first;
        long processed = 0;
        int reportEvery = Math.max(1, jobs.size() / 100);
        while (!events.isEmpty()) {
            double t = events.peek().time();
            advanceTo(t);
            while (!events.isEmpty() && events.peek().time() == t) {
                Event e = events.poll();
                processed++;
                switch (e.kind()) {
                    case COMPLETE -> {
                        if (e.epoch() == e.job().epoch && e.job().running()) {
                            complete(e.job());
                            if (progress != null && finished.size() % reportEvery == 0) progress.update(finished.size(), jobs.size(), now);
                        }
                    }
                    case ARRIVE -> enqueue(e.job());
                    case WAKE -> pendingWake = Double.NaN;
                }
            }
            policy.schedule(this);
            if (monitor != null) monitor.afterPass();
            fragmentedNow = fragmentedGpus();
            timeline.add(now, cluster.allocatedMilli() / (double) Job.WHOLE_GPU, waiting.size());
            double wake = policy.nextWakeup(this);
            if (wake < Double.POSITIVE_INFINITY && wake > now && !(wake >= pendingWake)) {
                pendingWake = wake;
                events.add(new Event(wake, Event.Kind.WAKE, seq++, null, 0));
            }
        }
        if (!waiting.isEmpty()) throw new IllegalStateException(policy.name() + " left " + waiting.size() + " jobs waiting with nothing running");
        if (progress != null) progress.update(finished.size(), jobs.size(), now);
        // The run ends at the last completion: a stopped or resized job's stale completion event may lie later
        // (a job grown to more GPUs ends before its old end), and the clock walks to it doing nothing.
        double end = finished.isEmpty() ? now : finished.getLast().finish;
        return new SimulationResult(policy.name(), placement.name(), cluster.totalGpus(), Collections.unmodifiableList(finished),
                busyGpuSeconds, fragmentedGpuSeconds, first, end, processed, timeline,
                monitor == null ? 0 : monitor.violationVcSeconds(), monitor == null ? 0 : monitor.violationPasses(), queuedSeconds, queuedBusyGpuSeconds);
    }

    /** Expected end, then id, written out: a comparator chain of lambdas showed in profiles (every start and stop). */
    private static int byExpectedEnd(JobState a, JobState b) {
        int c = Double.compare(a.expectedEnd(), b.expectedEnd());
        return c != 0 ? c : Integer.compare(a.job.id(), b.job.id());
    }

    private void advanceTo(double t) {
        double dt = t - now;
        double busy = dt * (cluster.allocatedMilli() / (double) Job.WHOLE_GPU);
        busyGpuSeconds += busy;
        if (!waiting.isEmpty()) {
            queuedSeconds += dt;
            queuedBusyGpuSeconds += busy;
        }
        fragmentedGpuSeconds += dt * fragmentedNow;
        if (monitor != null) monitor.advance(dt);
        now = t;
    }

    /**
     * Free GPU capacity that no waiting job can use: free GPUs when the smallest waiting whole-GPU job
     * cannot be placed although there are enough of them, plus the free pieces of shared GPUs smaller
     * than the smallest waiting share (all of them when only whole-GPU jobs wait). GPUs only: free GPUs
     * stranded by a node's CPUs or memory are not counted.
     */
    private double fragmentedGpus() {
        if (waiting.isEmpty()) return 0;
        double pieces = cluster.sharedGpus() == 0 ? 0 : cluster.sharedFreeBelow(waitingShares.isEmpty() ? Job.WHOLE_GPU : waitingShares.firstKey()) / (double) Job.WHOLE_GPU;
        int g = waiting.minGpus();
        if (g == 0 || g > cluster.freeGpus()) return pieces;
        return pieces + (placement.fits(cluster, g) ? 0 : cluster.freeGpus());
    }

    private void enqueue(JobState j) {
        j.enqueued = seq++;
        j.queueRank = policy.queueRank(j);
        j.queueOrder = policy.queueOrder(j);
        waiting.add(j);
        if (j.job.sharesGpu()) waitingShares.merge(j.job.gpuMilli(), 1, Integer::sum);
        if (monitor != null) monitor.enqueued(j);
        policy.onEnqueue(j, now);
    }

    private void dequeue(JobState j) {
        if (!waiting.remove(j)) throw new IllegalStateException("job " + j.job.id() + " is not waiting");
        if (j.job.sharesGpu() && waitingShares.merge(j.job.gpuMilli(), -1, Integer::sum) == 0) waitingShares.remove(j.job.gpuMilli());
    }

    private void complete(JobState j) {
        allocationVersion++;
        release(j);
        running.remove(j);
        runningByEnd.remove(j);
        for (int n : j.allocation.nodes()) onNode.get(n).remove(j);
        j.allocation = null;
        j.remaining = 0;
        j.attained += j.width * (now - j.resumedAt);
        j.finish = now;
        finished.add(j);
        if (monitor != null) monitor.stopped(j);
        policy.onStop(j, now);
    }

    @Override
    public boolean tryStart(JobState j) {
        if (j.running()) throw new IllegalStateException("job " + j.job.id() + " is already running");
        if (!j.job.sharesGpu() && j.job.gpus() > cluster.freeGpus()) return false;
        Allocation a = blindPlace(j);
        if (a == null) return false;
        start(j, a);
        return true;
    }

    /**
     * Type-blind placement: the placement's own choice over all nodes; a job that cannot run on some
     * GPU type (a hard constraint) is placed as blindly among the types it can run on, the one with
     * the most free GPUs first.
     */
    private Allocation blindPlace(JobState j) {
        return blindPlace(j, j.job);
    }

    /** As {@link #blindPlace(JobState)} for {@code sized}: the job itself, or an elastic job at another size. */
    private Allocation blindPlace(JobState j, Job sized) {
        if (!constrained(j)) return placement.place(cluster, sized);
        for (int t : allowedByFreeGpus(j)) {
            Allocation a = placement.placeOn(cluster, sized, t);
            if (a != null) return a;
        }
        return null;
    }

    private boolean blindFits(JobState j) {
        if (!constrained(j)) return placement.fits(cluster, j.job);
        for (int t : allowedByFreeGpus(j)) if (placement.fitsOn(cluster, j.job, t)) return true;
        return false;
    }

    /** Whether some GPU type is closed to the job. */
    private boolean constrained(JobState j) {
        if (speeds == null) return false;
        for (int t = 0; t < cluster.types(); t++) if (Double.isInfinite(speeds.duration(j.job, t))) return true;
        return false;
    }

    private int[] allowedByFreeGpus(JobState j) {
        return java.util.stream.IntStream.range(0, cluster.types()).filter(t -> !Double.isInfinite(speeds.duration(j.job, t)))
                .boxed().sorted(Comparator.comparingInt((Integer t) -> -cluster.freeGpus(t)).thenComparingInt(t -> t)).mapToInt(Integer::intValue).toArray();
    }

    @Override
    public boolean tryStart(JobState j, Allocation a) {
        if (j.running()) throw new IllegalStateException("job " + j.job.id() + " is already running");
        if (a.total() != j.job.gpus()) {
            throw new IllegalArgumentException(policy.name() + ": job " + j.job.id() + " needs " + j.job.gpus() + " GPUs, placed on " + a.total());
        }
        if (a.shared() != j.job.sharesGpu() || (a.shared() && a.milli() != j.job.gpuMilli())) {
            throw new IllegalArgumentException(policy.name() + ": job " + j.job.id() + " uses " + j.job.gpuMilli() + " milli-GPUs per GPU, placed on " + a.milli());
        }
        for (int n : a.nodes()) {
            if (cluster.typeOf(n) != cluster.typeOf(a.nodes()[0])) throw new IllegalArgumentException(policy.name() + ": job " + j.job.id() + " placed across GPU types");
        }
        if (!cluster.canAllocate(a, j.job.cpus(), j.job.memoryGib())) return false;
        start(j, a);
        return true;
    }

    @Override
    public boolean tryStartOn(JobState j, int type) {
        if (j.running()) throw new IllegalStateException("job " + j.job.id() + " is already running");
        if (speeds != null && Double.isInfinite(speeds.duration(j.job, type))) return false;
        if (!j.job.sharesGpu() && j.job.gpus() > cluster.freeGpus(type)) return false;
        Allocation a = placement.placeOn(cluster, j.job, type);
        if (a == null) return false;
        start(j, a);
        return true;
    }

    private void start(JobState j, Allocation a) {
        dequeue(j);
        begin(j, a);
    }

    /** Runs a job that is neither waiting nor running on {@code a}. */
    private void begin(JobState j, Allocation a) {
        allocationVersion++;
        cluster.allocate(a, j.job.cpus(), j.job.memoryGib());
        j.allocation = a;
        j.width = a.total();
        j.resumedAt = now;
        j.gpuType = cluster.typeOf(a.nodes()[0]);
        // remaining work, kept in reference seconds (its own type, its own GPU count) while waiting, in
        // seconds of this type and size while running
        if (speeds != null) j.speedScale = speeds.duration(j.job, j.gpuType) / j.job.duration();
        if (j.width != j.job.gpus()) j.speedScale *= j.job.timeScale(j.width);
        j.remaining *= j.speedScale;
        if (Double.isNaN(j.firstStart)) j.firstStart = now;
        running.add(j);
        runningByEnd.add(j);
        for (int n : a.nodes()) onNode.get(n).add(j);
        events.add(new Event(now + j.remaining, Event.Kind.COMPLETE, seq++, j, j.epoch));
        if (monitor != null) monitor.started(j);
        policy.onStart(j, now);
    }

    @Override
    public boolean fitsAfterPreempting(JobState j, List<JobState> victims) {
        // What-if on the real cluster: release the victims' GPUs, ask, and take the same GPUs back.
        for (JobState v : victims) release(v);
        try {
            return blindFits(j);
        } finally {
            for (JobState v : victims) cluster.allocate(v.allocation, v.job.cpus(), v.job.memoryGib());
        }
    }

    /**
     * {@inheritDoc} A checkpointed job keeps its progress and pays the restart penalty (the restore);
     * one that is not checkpointable starts again from zero.
     *
     * @throws IllegalStateException if the job is not preemptible (a policy must not pick it)
     */
    @Override
    public void preempt(JobState j) {
        if (!j.running()) throw new IllegalStateException("job " + j.job.id() + " is not running");
        if (!j.job.preemptible()) throw new IllegalStateException(policy.name() + ": job " + j.job.id() + " (" + j.job.origin() + ") is not preemptible");
        double left = j.job.checkpointable() ? j.remainingAt(now) / j.speedScale + restartPenalty : j.job.duration();
        stop(j, left);
        j.preemptions++;
        enqueue(j);
    }

    /** Takes a running job off its GPUs with {@code left} reference seconds of work to go. */
    private void stop(JobState j, double left) {
        runningByEnd.remove(j); // before its expected end changes
        j.attained = j.attainedAt(now);
        j.remaining = left;
        j.speedScale = 1;
        allocationVersion++;
        release(j);
        for (int n : j.allocation.nodes()) onNode.get(n).remove(j);
        j.allocation = null;
        j.epoch++;
        running.remove(j);
        if (monitor != null) monitor.stopped(j);
        policy.onStop(j, now);
    }

    @Override
    public boolean tryStart(JobState j, int gpus) {
        if (gpus == j.job.gpus()) return tryStart(j);
        if (j.running()) throw new IllegalStateException("job " + j.job.id() + " is already running");
        Job sized = j.job.withGpus(gpus); // checks the job is elastic and the size in its range
        if (gpus > cluster.freeGpus()) return false;
        Allocation a = blindPlace(j, sized);
        if (a == null) return false;
        start(j, a);
        return true;
    }

    /**
     * {@inheritDoc} A resize is a checkpoint and restart at the new size (as elastic frameworks do it):
     * the job keeps its progress and pays the restart penalty; it is not counted as a preemption.
     */
    @Override
    public boolean tryResize(JobState j, int gpus) {
        if (!j.running()) throw new IllegalStateException("job " + j.job.id() + " is not running");
        Job sized = j.job.withGpus(gpus);
        if (gpus == j.width) return true;
        Allocation old = j.allocation;
        release(j); // what-if: its own GPUs count as free for its new size
        Allocation a = blindPlace(j, sized);
        cluster.allocate(old, j.job.cpus(), j.job.memoryGib());
        if (a == null) return false;
        stop(j, j.remainingAt(now) / j.speedScale + restartPenalty);
        begin(j, a);
        j.resizes++;
        return true;
    }

    private void release(JobState j) {
        cluster.release(j.allocation, j.job.cpus(), j.job.memoryGib());
    }

    @Override
    public void rerank(JobState j, double rank) {
        dequeue(j);
        j.queueRank = rank;
        j.queueOrder = policy.queueOrder(j);
        waiting.add(j); // keeps its entry order among jobs of the new rank
    }

    @Override
    public boolean mixedPriorities() {
        return mixedPriorities;
    }

    @Override
    public long allocationVersion() {
        return allocationVersion;
    }

    @Override
    public double now() {
        return now;
    }

    @Override
    public int freeGpus() {
        return cluster.freeGpus();
    }

    @Override
    public int totalGpus() {
        return cluster.totalGpus();
    }

    @Override
    public int nodes() {
        return cluster.nodes();
    }

    @Override
    public int gpusPerNode() {
        return cluster.gpusPerNode();
    }

    @Override
    public int gpuTypes() {
        return cluster.types();
    }

    @Override
    public String gpuTypeName(int type) {
        return spec.typeNames().get(type);
    }

    @Override
    public int freeGpus(int type) {
        return cluster.freeGpus(type);
    }

    @Override
    public boolean fitsOn(int type, int gpus) {
        return placement.fitsOn(cluster, gpus, type);
    }

    @Override
    public boolean runsEverywhere(JobState j) {
        return !constrained(j);
    }

    @Override
    public boolean runsOn(JobState j, int type) {
        return speeds == null || !Double.isInfinite(speeds.duration(j.job, type));
    }

    @Override
    public double durationOn(JobState j, int type) {
        return speeds == null ? j.job.duration() : speeds.duration(j.job, type);
    }

    @Override
    public int freeOn(int node) {
        return cluster.freeOn(node);
    }

    @Override
    public boolean someNodeFits(int gpus) {
        return cluster.someNodeFits(gpus);
    }

    @Override
    public JobState firstWaiting() {
        return waiting.next(null, Integer.MAX_VALUE);
    }

    @Override
    public JobState nextWaiting(JobState after, int maxGpus) {
        return waiting.next(after, maxGpus);
    }

    @Override
    public int waitingCount() {
        return waiting.size();
    }

    @Override
    public boolean failureBoundsLarger(JobState j) {
        return !cluster.limitsHost() && !constrained(j);
    }

    @Override
    public boolean limitsHost() {
        return cluster.limitsHost();
    }

    @Override
    public double totalCpus() {
        return totalCpus;
    }

    @Override
    public double totalMemoryGib() {
        return totalMemoryGib;
    }

    @Override
    public int minWaitingGpus() {
        return waiting.minGpus();
    }

    @Override
    public NavigableSet<JobState> runningByExpectedEnd() {
        return Collections.unmodifiableNavigableSet(runningByEnd);
    }

    @Override
    public List<JobState> runningOn(int node) {
        return Collections.unmodifiableList(onNode.get(node));
    }

    @Override
    public Collection<JobState> running() {
        return Collections.unmodifiableCollection(running);
    }
}
