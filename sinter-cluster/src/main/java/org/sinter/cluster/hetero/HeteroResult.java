package org.sinter.cluster.hetero;

import java.util.List;

/**
 * One replay on a heterogeneous cluster: every job's completion, the span, the GPU-seconds used, how
 * many rounds ran, how often a job moved between GPU types, how many allocation LPs were solved, and
 * the share of placed job-rounds spent sharing GPUs with another job (space sharing).
 */
public record HeteroResult(String policy, GpuMix mix, List<RoundJob> jobs, double start, double end, double busyGpuSeconds,
                           int rounds, long typeChanges, int solves, double sharedShare) {
    public double jct(RoundJob r) {
        return r.completion - r.job.arrival();
    }

    /**
     * Finish-time fairness ρ (Themis, Mahajan et al., NSDI'20, as Gavel reports it): JCT over the time
     * the job would take on its own 1/N share of the cluster, N the jobs in the system on average during
     * its life. That share gives its gang a {@code min(1, G / (N·g))} share of time, spread over the
     * types in proportion to their GPU counts (the equal-share throughput Gavel normalises by).
     */
    public double finishTimeFairness(RoundJob r) {
        double jct = jct(r);
        double n = Math.max(1, r.companyIntegral / jct);
        double total = mix.total();
        double equal = 0;
        for (int m = 0; m < mix.typeCount(); m++) equal += r.job.throughput()[m] * mix.counts()[m] / total;
        double share = Math.min(1, total / (n * r.job.gpus()));
        return jct / (r.job.steps() / (equal * share));
    }
}
