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
 * @param cpus     CPU cores the job holds while it runs (from the trace when it says, else {@link #DEFAULT_CPUS_PER_GPU} per GPU)
 * @param memoryGib host memory in GiB the job holds while it runs (likewise, {@link #DEFAULT_MEMORY_GIB_PER_GPU} per GPU)
 * @param gpuMilli  thousandths of each GPU it uses: {@value #WHOLE_GPU} for whole GPUs; below that a one-GPU job shares one
 *                  GPU with others (GPU sharing, as in Alibaba's v2023 trace: {@code gpu_milli})
 */
public record Job(int id, String type, double arrival, int gpus, double duration, String vc, String origin, double cpus, double memoryGib, int gpuMilli) {
    /** A whole GPU, in milli-GPUs. */
    public static final int WHOLE_GPU = 1000;

    /**
     * CPU cores per GPU when a trace gives none (Philly, Gavel): a DGX-1's ratio (40 cores for 8 GPUs),
     * so without the trace's own demands every job asks in the same proportions as the node it runs on.
     */
    public static final double DEFAULT_CPUS_PER_GPU = 5;
    /** Host memory per GPU when a trace gives none: a DGX-1's 512 GiB for 8 GPUs. */
    public static final double DEFAULT_MEMORY_GIB_PER_GPU = 64;

    /** A job whose trace names no CPU or memory demand: the DGX-1 shares per GPU. */
    public Job(int id, String type, double arrival, int gpus, double duration, String vc, String origin) {
        this(id, type, arrival, gpus, duration, vc, origin, gpus * DEFAULT_CPUS_PER_GPU, gpus * DEFAULT_MEMORY_GIB_PER_GPU);
    }

    /** A job of whole GPUs with the trace's CPU and memory demands. */
    public Job(int id, String type, double arrival, int gpus, double duration, String vc, String origin, double cpus, double memoryGib) {
        this(id, type, arrival, gpus, duration, vc, origin, cpus, memoryGib, WHOLE_GPU);
    }

    public Job {
        if (!(cpus >= 0) || Double.isInfinite(cpus)) throw new IllegalArgumentException(origin + ": CPU demand must be a finite number >= 0, got " + cpus);
        if (!(memoryGib >= 0) || Double.isInfinite(memoryGib)) throw new IllegalArgumentException(origin + ": memory demand must be a finite number >= 0, got " + memoryGib);
        if (gpus < 1) throw new IllegalArgumentException(origin + ": a job needs at least one GPU, got " + gpus);
        if (gpuMilli < 1 || gpuMilli > WHOLE_GPU) throw new IllegalArgumentException(origin + ": gpu_milli must be in 1.." + WHOLE_GPU + ", got " + gpuMilli);
        if (gpuMilli < WHOLE_GPU && gpus != 1) throw new IllegalArgumentException(origin + ": a fraction of a GPU (" + gpuMilli + " milli) is for one GPU, the job asks " + gpus);
        if (!(arrival >= 0) || Double.isInfinite(arrival)) throw new IllegalArgumentException(origin + ": arrival time must be a finite number >= 0, got " + arrival);
        if (!(duration > 0) || Double.isInfinite(duration)) throw new IllegalArgumentException(origin + ": duration must be a finite number > 0, got " + duration);
    }

    /** GPU-seconds of work: what a job costs the cluster (a shared GPU's fraction counts as that fraction). */
    public double gpuSeconds() {
        return gpus * (gpuMilli / (double) WHOLE_GPU) * duration;
    }

    /** The same job arriving at {@code arrival} instead. */
    public Job withArrival(double arrival) {
        return new Job(id, type, arrival, gpus, duration, vc, origin, cpus, memoryGib, gpuMilli);
    }

    /** Whether it uses a fraction of one GPU, sharing that GPU with other such jobs. */
    public boolean sharesGpu() {
        return gpuMilli < WHOLE_GPU;
    }

    /** Milli-GPUs it holds while running: its fraction, or 1000 per whole GPU. */
    public long milliGpus() {
        return (long) gpus * gpuMilli;
    }
}
