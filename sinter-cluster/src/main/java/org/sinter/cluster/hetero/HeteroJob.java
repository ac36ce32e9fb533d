package org.sinter.cluster.hetero;

/**
 * A job of a heterogeneous workload: its length in training steps and how fast its gang runs on each
 * GPU type (Gavel's measured steps/s for its job type and GPU count), not one duration. Which type it
 * gets decides how long it runs: what a heterogeneity-aware policy exploits.
 *
 * @param throughput steps per second of the whole gang on each type, in the {@link GpuMix}'s type order
 */
public record HeteroJob(int id, String type, double arrival, int gpus, double steps, double[] throughput, String vc, String origin) {
    public HeteroJob {
        if (gpus < 1) throw new IllegalArgumentException(origin + ": a job needs at least one GPU, got " + gpus);
        if (!(arrival >= 0) || Double.isInfinite(arrival)) throw new IllegalArgumentException(origin + ": arrival time must be finite and >= 0, got " + arrival);
        if (!(steps > 0) || Double.isInfinite(steps)) throw new IllegalArgumentException(origin + ": steps must be finite and > 0, got " + steps);
        boolean any = false;
        for (double t : throughput) {
            if (!(t >= 0) || Double.isInfinite(t)) throw new IllegalArgumentException(origin + ": throughputs must be finite and >= 0, got " + t);
            any |= t > 0;
        }
        if (!any) throw new IllegalArgumentException(origin + ": the job runs on no GPU type (all throughputs are zero)");
        throughput = throughput.clone();
    }

    /** Seconds the job would run alone on its GPUs of type {@code m}. */
    public double secondsOn(int m) {
        return steps / throughput[m];
    }
}
