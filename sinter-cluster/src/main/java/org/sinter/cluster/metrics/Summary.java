package org.sinter.cluster.metrics;

import java.util.Arrays;
import java.util.List;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SimulationResult;

/**
 * The numbers a replay is judged by. JCT (job completion time) is finish minus arrival; queueing
 * delay is the part of it the job did not run (JCT minus duration, so a preempted job's waits
 * after its start count too); utilization is busy GPU-seconds over all GPU-seconds of the
 * makespan; fragmentation the share of GPU-seconds free while the smallest waiting job could not be
 * placed on them; fairness is Jain's index over each job's duration / JCT (1 when every job is slowed
 * down alike). With virtual clusters, the hours of VC time denied a guarantee (see the simulator's
 * guarantee monitor) and the scheduling passes that ended with a VC denied. Utilization and
 * fragmentation count shares of a GPU as their milli-GPUs; their "queued" forms are measured only
 * while some job waits (what a placement achieves when demand exceeds what fits: the GPU allocation
 * rate and fragmentation of the GPU-sharing papers), over the GPU-seconds of those periods.
 */
public record Summary(String policy, String placement, int jobs, double avgJct, double medianJct, double p95Jct,
                      double avgQueueing, double medianQueueing, double p95Queueing, double makespan,
                      double utilization, double fragmentation, double jainFairness, long preemptions,
                      long events, double wallSeconds, double vcViolationHours, long vcViolationPasses,
                      double maxFinishTimeFairness, double unfairFraction, double queuedUtilization, double queuedFragmentation) {

    public static Summary of(SimulationResult r, double wallSeconds) {
        List<JobState> jobs = r.jobs();
        int n = jobs.size();
        double[] jct = new double[n], queueing = new double[n];
        double sumShare = 0, sumShareSq = 0;
        long preemptions = 0;
        for (int i = 0; i < n; i++) {
            JobState j = jobs.get(i);
            jct[i] = j.finish() - j.job.arrival();
            queueing[i] = Math.max(0, jct[i] - j.job.duration());
            double share = j.job.duration() / jct[i];
            sumShare += share;
            sumShareSq += share * share;
            preemptions += j.preemptions();
        }
        double gpuSeconds = r.totalGpus() * r.makespan(), queuedGpuSeconds = r.totalGpus() * r.queuedSeconds();
        FinishTimeFairness ftf = FinishTimeFairness.of(r);
        return new Summary(r.policy(), r.placement(), n, mean(jct), percentile(jct, 50), percentile(jct, 95),
                mean(queueing), percentile(queueing, 50), percentile(queueing, 95), r.makespan(),
                gpuSeconds > 0 ? r.busyGpuSeconds() / gpuSeconds : 0,
                gpuSeconds > 0 ? r.fragmentedGpuSeconds() / gpuSeconds : 0,
                n > 0 ? sumShare * sumShare / (n * sumShareSq) : 1, preemptions, r.events(), wallSeconds,
                r.vcViolationSeconds() / 3600, r.vcViolationPasses(), ftf.max(), ftf.fractionAboveOne(),
                queuedGpuSeconds > 0 ? r.queuedBusyGpuSeconds() / queuedGpuSeconds : 0, queuedGpuSeconds > 0 ? r.fragmentedGpuSeconds() / queuedGpuSeconds : 0);
    }

    static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) s += x;
        return xs.length == 0 ? 0 : s / xs.length;
    }

    /** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
    static double percentile(double[] xs, double p) {
        if (xs.length == 0) return 0;
        double[] sorted = xs.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
