package org.sinter.cluster.hetero;

import java.util.Map;

/**
 * A job of a heterogeneous workload: its length in training steps and how fast its gang runs on each
 * GPU type (Gavel's measured steps/s for its job type and GPU count), not one duration. Which type it
 * gets decides how long it runs: what a heterogeneity-aware policy exploits.
 *
 * @param throughput steps per second of the whole gang on each type, in the {@link GpuMix}'s type order
 * @param colocated  for space sharing: the gang's steps/s on each type while a job of the keyed job type
 *                   (and the same GPU count) shares its GPUs; types or partners Gavel did not measure
 *                   are 0 or absent (never packed)
 */
public record HeteroJob(int id, String type, double arrival, int gpus, double steps, double[] throughput, String vc, String origin,
                        Map<String, double[]> colocated) {
    /** A job that is never packed with another. */
    public HeteroJob(int id, String type, double arrival, int gpus, double steps, double[] throughput, String vc, String origin) {
        this(id, type, arrival, gpus, steps, throughput, vc, origin, Map.of());
    }

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
        for (Map.Entry<String, double[]> e : colocated.entrySet()) {
            if (e.getValue().length != throughput.length) throw new IllegalArgumentException(origin + ": " + e.getValue().length + " co-located throughputs beside '" + e.getKey() + "' for " + throughput.length + " GPU types");
            for (double t : e.getValue()) if (!(t >= 0) || Double.isInfinite(t)) throw new IllegalArgumentException(origin + ": co-located throughputs must be finite and >= 0, got " + t);
        }
        colocated = Map.copyOf(colocated); // shared by the jobs of one kind: read-only
    }

    /** Steps/s of the gang on type {@code m} while a job of {@code otherType} shares its GPUs (0: not measured, never packed). */
    public double colocatedThroughput(String otherType, int m) {
        double[] r = colocated.get(otherType);
        return r == null ? 0 : r[m];
    }

    /** Seconds the job would run alone on its GPUs of type {@code m}. */
    public double secondsOn(int m) {
        return steps / throughput[m];
    }
}
