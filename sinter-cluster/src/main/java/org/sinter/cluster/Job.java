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
 * @param traits    user, priority, and whether it may be preempted, checkpointed, migrated or scaled ({@link JobTraits#DEFAULT} unless the trace says);
 *                  an elastic job's {@code gpus} is what a rigid policy gives it, inside its range, and {@code duration} is on that many
 */
public record Job(int id, String type, double arrival, int gpus, double duration, String vc, String origin, double cpus, double memoryGib, int gpuMilli,
                  JobTraits traits) {
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

    /** A job with the default traits (see {@link JobTraits#DEFAULT}). */
    public Job(int id, String type, double arrival, int gpus, double duration, String vc, String origin, double cpus, double memoryGib, int gpuMilli) {
        this(id, type, arrival, gpus, duration, vc, origin, cpus, memoryGib, gpuMilli, JobTraits.DEFAULT);
    }

    public Job {
        if (traits == null) throw new IllegalArgumentException(origin + ": traits must not be null");
        if (traits.elastic() && (gpus < traits.minGpus() || gpus > traits.maxGpus())) {
            throw new IllegalArgumentException(origin + ": an elastic job's GPU count " + gpus + " must lie in its range min_gpus..max_gpus = " + traits.minGpus() + ".." + traits.maxGpus());
        }
        if (traits.elastic() && gpuMilli < WHOLE_GPU) throw new IllegalArgumentException(origin + ": a job sharing one GPU (" + gpuMilli + " milli) cannot be elastic");
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
        return new Job(id, type, arrival, gpus, duration, vc, origin, cpus, memoryGib, gpuMilli, traits);
    }

    /** The same job with other traits. */
    public Job withTraits(JobTraits traits) {
        return new Job(id, type, arrival, gpus, duration, vc, origin, cpus, memoryGib, gpuMilli, traits);
    }

    /**
     * The same elastic job sized to {@code gpus} (within its range), its duration what it would take on
     * that many by its scaling curve: what the simulator places when a policy resizes it.
     */
    public Job withGpus(int gpus) {
        if (gpus < minGpus() || gpus > maxGpus()) throw new IllegalArgumentException(origin + ": " + gpus + " GPUs is outside the job's range " + minGpus() + ".." + maxGpus());
        return new Job(id, type, arrival, gpus, duration * timeScale(gpus), vc, origin, cpus, memoryGib, gpuMilli, traits);
    }

    /** Its running time on {@code gpus} GPUs over its running time on its own {@link #gpus()}, by its scaling curve. */
    public double timeScale(int gpus) {
        return gpus == this.gpus ? 1 : traits.throughput(this.gpus) / traits.throughput(gpus);
    }

    /** The same job as the {@code id}-th of a trace (readers number jobs after sorting them by arrival). */
    public Job withId(int id) {
        return new Job(id, type, arrival, gpus, duration, vc, origin, cpus, memoryGib, gpuMilli, traits);
    }

    /** Who submitted it ("" when the trace does not say). */
    public String user() {
        return traits.user();
    }

    public int priority() {
        return traits.priority();
    }

    public boolean preemptible() {
        return traits.preemptible();
    }

    public boolean checkpointable() {
        return traits.checkpointable();
    }

    public boolean migratable() {
        return traits.migratable();
    }

    /** Whether it can run on a different GPU count than {@link #gpus()} (within {@link #minGpus()}..{@link #maxGpus()}). */
    public boolean elastic() {
        return traits.elastic();
    }

    /** The fewest GPUs it runs on: its own count for a rigid job. */
    public int minGpus() {
        return traits.elastic() ? traits.minGpus() : gpus;
    }

    /** The most GPUs it can use: its own count for a rigid job. */
    public int maxGpus() {
        return traits.elastic() ? traits.maxGpus() : gpus;
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
