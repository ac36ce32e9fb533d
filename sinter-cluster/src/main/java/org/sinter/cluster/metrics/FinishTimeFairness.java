package org.sinter.cluster.metrics;

import java.util.Arrays;
import java.util.List;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SimulationResult;

/**
 * Finish-time fairness (Themis, Mahajan et al., NSDI'20): a job's ρ = T_shared / T_independent,
 * its completion time in the shared cluster over the time it would take on its own 1/N of the
 * cluster, N being the average number of jobs contending (arrived, not finished, itself included)
 * during its life. On G/N GPUs a job needing g runs a fraction min(1, G/(N·g)) of the time, so
 * T_independent = duration × max(1, g·N/G). ρ ≤ 1 means sharing did not hurt the job; the policy
 * is fair in Themis' sense when every ρ is at most 1, so the report is the largest ρ and the share
 * of jobs above 1.
 */
public record FinishTimeFairness(double[] rho, double max, double median, double fractionAboveOne) {

    public static FinishTimeFairness of(SimulationResult r) {
        List<JobState> jobs = r.jobs();
        int n = jobs.size();
        if (n == 0) return new FinishTimeFairness(new double[0], 0, 0, 0);
        Contention contention = new Contention(jobs);
        double[] rho = new double[n];
        int above = 0;
        for (int i = 0; i < n; i++) {
            JobState j = jobs.get(i);
            double start = j.job.arrival(), end = j.finish();
            double avgJobs = end > start ? contention.integral(start, end) / (end - start) : 1;
            double independent = j.job.duration() * Math.max(1, j.job.gpus() * avgJobs / r.totalGpus());
            rho[i] = independent > 0 ? (end - start) / independent : 1;
            if (rho[i] > 1 + 1e-9) above++;
        }
        double max = Arrays.stream(rho).max().orElse(0);
        return new FinishTimeFairness(rho, max, Summary.percentile(rho, 50), (double) above / n);
    }

    /** The number of jobs in the system as a step function of time, with its running integral. */
    private static final class Contention {
        final double[] times;   // change points, sorted
        final double[] prefix;  // ∫ count dt from times[0] to times[k]
        final int[] count;      // jobs in the system on [times[k], times[k+1])

        Contention(List<JobState> jobs) {
            int n = jobs.size();
            double[] t = new double[2 * n];
            int[] delta = new int[2 * n];
            Integer[] order = new Integer[2 * n];
            for (int i = 0; i < n; i++) {
                t[2 * i] = jobs.get(i).job.arrival();
                delta[2 * i] = 1;
                t[2 * i + 1] = jobs.get(i).finish();
                delta[2 * i + 1] = -1;
            }
            for (int k = 0; k < 2 * n; k++) order[k] = k;
            Arrays.sort(order, (a, b) -> Double.compare(t[a], t[b]));
            times = new double[2 * n];
            prefix = new double[2 * n];
            count = new int[2 * n];
            int c = 0;
            for (int k = 0; k < 2 * n; k++) {
                times[k] = t[order[k]];
                if (k > 0) prefix[k] = prefix[k - 1] + count[k - 1] * (times[k] - times[k - 1]);
                c += delta[order[k]];
                count[k] = c;
            }
        }

        /** ∫ count dt from 0 to {@code x} (relative to the first change point). */
        double at(double x) {
            int k = Arrays.binarySearch(times, x);
            if (k < 0) k = -k - 2;
            else while (k + 1 < times.length && times[k + 1] == x) k++; // the last change at x
            if (k < 0) return 0;
            return prefix[k] + count[k] * (x - times[k]);
        }

        double integral(double from, double to) {
            return at(to) - at(from);
        }
    }
}
