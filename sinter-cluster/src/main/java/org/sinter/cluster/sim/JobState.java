package org.sinter.cluster.sim;

import org.sinter.cluster.Allocation;
import org.sinter.cluster.Job;

/**
 * A job's life in one simulation: waiting or running, the work left, the service it has had.
 * Progress is kept lazily (as of {@link #resumedAt}) so that advancing time costs nothing per
 * running job; {@link #remainingAt} and {@link #attainedAt} give the values at any instant.
 */
public final class JobState {
    public final Job job;
    double remaining;
    double attained;
    double resumedAt = Double.NaN;
    double firstStart = Double.NaN;
    double finish = Double.NaN;
    int preemptions;
    /** Times an elastic job was resized while running. */
    int resizes;
    Allocation allocation;
    /** Bumped on every stop, so a completion event scheduled before it is recognised as stale. */
    long epoch;
    /** The policy's rank while waiting (lower first), fixed on entering the queue. */
    double queueRank;
    /** Order among waiting jobs of the same rank, lower first (the policy's; arrival by default). */
    double queueOrder;
    /** GPU type it runs (or last ran) on, -1 before its first start. */
    int gpuType = -1;
    /** Its duration on that type over its reference duration while it runs (1 while waiting): remaining is in that type's seconds. */
    double speedScale = 1;
    /** GPUs it holds while running (its own count, or an elastic job's current size). */
    int width;
    /** Sequence number of entering the wait queue (arrival or preemption): the FIFO tie-break. */
    long enqueued;

    JobState(Job job) {
        this.job = job;
        this.remaining = job.duration();
    }

    public boolean running() {
        return allocation != null;
    }

    /** Seconds of running still needed, at time {@code t}. */
    public double remainingAt(double t) {
        return running() ? remaining - (t - resumedAt) : remaining;
    }

    /**
     * Work still to do at time {@code t}, in seconds of its reference GPU type (its {@link Job#duration()}'s):
     * on a cluster of several types the one measure comparable between a waiting job and jobs running
     * on different types; on one type the same as {@link #remainingAt}.
     */
    public double remainingWorkAt(double t) {
        return remainingAt(t) / speedScale;
    }

    /** Seconds of running still needed as of the last stop: for a waiting job, its remaining time. */
    public double remaining() {
        return remaining;
    }

    /** GPU-seconds of service as of the last stop: for a waiting job, all it has had. */
    public double attained() {
        return attained;
    }

    /** GPU-seconds of service received so far, at time {@code t}: Tiresias' 2D attained service. */
    public double attainedAt(double t) {
        return running() ? attained + width * (t - resumedAt) : attained;
    }

    /** When it completes if left running: the estimate EASY backfilling reserves with. */
    public double expectedEnd() {
        return resumedAt + remaining;
    }

    /** When it last started or resumed (NaN before its first start). */
    public double resumedAt() {
        return resumedAt;
    }

    /** The GPU type (index) it runs or last ran on, -1 before it started. */
    public int gpuType() {
        return gpuType;
    }

    /** GPUs it holds now: its own count, or an elastic job's current size; 0 while waiting. */
    public int gpusHeld() {
        return running() ? width : 0;
    }

    public int resizes() {
        return resizes;
    }

    public int preemptions() {
        return preemptions;
    }

    public double firstStart() {
        return firstStart;
    }

    public double finish() {
        return finish;
    }

    public Allocation allocation() {
        return allocation;
    }
}
