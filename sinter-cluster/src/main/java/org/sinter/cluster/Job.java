package org.sinter.cluster;

/**
 * One job of a trace, as submitted: when it arrives, how many GPUs it needs (all at once: a gang),
 * and how long it runs on them. The duration is what the oracle policies (SJF, SRTF, EASY's
 * reservations) may read; the others must not.
 *
 * @param id       position in the trace, unique; ties in time are broken by it, so runs are deterministic
 * @param type     the model or job kind (Gavel's job type), for reports
 * @param arrival  submission time in simulated seconds
 * @param gpus     GPUs the job needs, all placed together or not at all
 * @param duration seconds of running on those GPUs until it completes
 * @param vc       virtual cluster or queue it was submitted to
 * @param origin   where it came from ("file:line"), so a job the cluster cannot hold names its line
 */
public record Job(int id, String type, double arrival, int gpus, double duration, String vc, String origin) {
    public Job {
        if (gpus < 1) throw new IllegalArgumentException(origin + ": a job needs at least one GPU, got " + gpus);
        if (!(arrival >= 0) || Double.isInfinite(arrival)) throw new IllegalArgumentException(origin + ": arrival time must be a finite number >= 0, got " + arrival);
        if (!(duration > 0) || Double.isInfinite(duration)) throw new IllegalArgumentException(origin + ": duration must be a finite number > 0, got " + duration);
    }

    /** GPU-seconds of work: what a job costs the cluster. */
    public double gpuSeconds() {
        return gpus * duration;
    }
}
