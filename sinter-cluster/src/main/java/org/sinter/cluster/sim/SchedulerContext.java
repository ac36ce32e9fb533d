package org.sinter.cluster.sim;

import java.util.Collection;
import java.util.List;
import java.util.NavigableSet;

/**
 * What a policy sees and does during one scheduling pass: the clock, the wait queue in the policy's
 * order, the running jobs, and the two actions, start (gang: all GPUs or none) and preempt.
 */
public interface SchedulerContext {
    double now();

    /** GPUs free whole (a GPU some jobs share is not free). */
    int freeGpus();

    int totalGpus();

    /** Nodes of the cluster, GPUs per node, and the free GPUs of one node (for policies that reason about placement). */
    int nodes();

    int gpusPerNode();

    int freeOn(int node);

    /** Whether some single node has at least {@code gpus} free (O(GPUs per node), not a walk over the nodes). */
    boolean someNodeFits(int gpus);

    /** GPU types of the cluster (1 unless heterogeneous), a type's name, and its free GPUs. */
    int gpuTypes();

    String gpuTypeName(int type);

    int freeGpus(int type);

    /** Whether a job of {@code gpus} could be placed on GPUs of {@code type} now. */
    boolean fitsOn(int type, int gpus);

    /** Whether {@code j} can run on GPUs of {@code type} at all (a model too large for a K80 cannot). */
    boolean runsOn(JobState j, int type);

    /** Whether {@code j} can run on every GPU type (always, on a cluster of one type or one speed). */
    boolean runsEverywhere(JobState j);

    /** Seconds {@code j} runs, start to end, on GPUs of {@code type} (its duration on a cluster of one speed): the type oracle. */
    double durationOn(JobState j, int type);

    /** As {@link #tryStart(JobState)}, on GPUs of one type only: a heterogeneity-aware policy's choice. */
    boolean tryStartOn(JobState j, int type);

    /** Bumped whenever a job starts or stops: equal values mean the same GPUs are held by the same jobs. */
    long allocationVersion();

    /** The highest-priority waiting job, or null. */
    JobState firstWaiting();

    /**
     * The next waiting job after {@code after} (null: from the head; it need not still be waiting)
     * in queue order among those needing at most {@code maxGpus}, or null: a cursor that survives
     * starts and preemptions, and skips jobs too large to matter without visiting them.
     */
    JobState nextWaiting(JobState after, int maxGpus);

    int waitingCount();

    /** The smallest GPU count among waiting whole-GPU jobs (0 when none wait): below it, no waiting whole-GPU job can start. */
    int minWaitingGpus();

    /**
     * Whether {@code j} failing to start means no waiting job of more GPUs can start now either (so a
     * pass may skip them): true when only GPUs decide, false where CPUs and memory are limited or the
     * job is barred from some GPU type.
     */
    boolean failureBoundsLarger(JobState j);

    /** Whether nodes' CPUs and memory are limited (a node list); then {@link #totalCpus()} and {@link #totalMemoryGib()} are finite. */
    boolean limitsHost();

    double totalCpus();

    double totalMemoryGib();

    /** Running jobs with GPUs on {@code node}, in the order they started; do not modify. */
    List<JobState> runningOn(int node);

    /** Running jobs, in the order they started (deterministic); do not modify. */
    Collection<JobState> running();

    /**
     * Whether {@code j} could be placed if {@code victims} (running) were preempted: asked before
     * preempting, so that no job is stopped for GPUs that turn out to be in the wrong places.
     */
    boolean fitsAfterPreempting(JobState j, List<JobState> victims);

    /** Running jobs by when they end if left running, soonest first (EASY's reservation walk); do not modify. */
    NavigableSet<JobState> runningByExpectedEnd();

    /** Places and starts a waiting job if its gang fits now; false (nothing changes) if not. */
    boolean tryStart(JobState j);

    /**
     * Starts a waiting job on GPUs the policy chose itself ({@code a}: as many as the job needs), if
     * they are free; false (nothing changes) if not. For policies that place by their own rules (HiveD's cells).
     */
    boolean tryStart(JobState j, org.sinter.cluster.Allocation a);

    /**
     * Starts a waiting elastic job on {@code gpus} GPUs (within its {@code minGpus..maxGpus}) if they can be
     * placed now; false (nothing changes) if not. Its speed follows its scaling curve.
     */
    boolean tryStart(JobState j, int gpus);

    /**
     * Moves a running elastic job to {@code gpus} GPUs (within its range), anywhere its new size can be
     * placed counting its own GPUs as free; false (nothing changes) if it cannot be placed.
     */
    boolean tryResize(JobState j, int gpus);

    /**
     * Stops a running job and returns it to the wait queue: a checkpointable job keeps its progress, one
     * that is not starts again from zero. Only preemptible jobs may be preempted.
     */
    void preempt(JobState j);

    /** Whether the jobs of this run differ in {@link org.sinter.cluster.Job#priority()} (if not, priority never decides). */
    boolean mixedPriorities();

    /** Moves a waiting job to another rank in the queue (a promotion: Tiresias' starvation guard). */
    void rerank(JobState j, double rank);
}
