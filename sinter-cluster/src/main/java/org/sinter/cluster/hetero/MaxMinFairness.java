package org.sinter.cluster.hetero;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gavel's max-min fairness allocation (Narayanan et al., OSDI'20, section 4.1) as a linear program:
 * {@code X[j][m]} is the share of time job j should run on GPU type m; maximize the smallest
 * {@code w_j · Σ_m c[j][m]·X[j][m]} subject to {@code Σ_m X[j][m] <= 1} (a job runs on one type at a
 * time) and {@code Σ_j g_j·X[j][m] <= n_m} (a type's GPUs). Two forms, as in Gavel's code:
 * <ul>
 *   <li>heterogeneity-aware ({@code MaxMinFairnessPolicyWithPerf}): {@code c[j][m] = g_j·T[j][m] /
 *       T^equal_j}, effective throughput normalised by what the job would get from an equal time share
 *       of every type ({@code X^equal[j][m] = n_m / Σ n}, Gavel's {@code ProportionalPolicy}), so
 *       jobs whose speed differs by type are comparable;</li>
 *   <li>heterogeneity-agnostic ({@code MaxMinFairnessPolicy}, the LAS baseline): every throughput
 *       read as 1, so only GPU-time is shared fairly and the type is an accident.</li>
 * </ul>
 * The max-min program is degenerate (only the smallest share is maximized; leftover capacity may be
 * left unallocated), so the objective carries a small second term, {@code ε·Σ_j share_j} with
 * {@code ε = 1e-3 / N}, that hands leftover capacity out by effective throughput without lowering the
 * minimum by more than that margin (Gavel's water-filling variant solves a sequence of programs instead).
 */
public final class MaxMinFairness {
    private final boolean heterogeneityAware;

    public MaxMinFairness(boolean heterogeneityAware) {
        this.heterogeneityAware = heterogeneityAware;
    }

    /** The allocation (one row per job), and what solving it cost: simplex pivots, job classes in the program. */
    public record Result(double[][] x, double minShare, int pivots, int classes) {}

    /** Per-job coefficients {@code c[j][m]} of the objective. */
    double[][] coefficients(List<HeteroJob> jobs, GpuMix mix) {
        int n = jobs.size(), types = mix.typeCount();
        double total = mix.total();
        double[][] c = new double[n][types];
        for (int j = 0; j < n; j++) {
            HeteroJob job = jobs.get(j);
            double equal = 0;
            for (int m = 0; m < types; m++) equal += job.throughput()[m] * mix.counts()[m] / total;
            for (int m = 0; m < types; m++) {
                if (mix.counts()[m] < job.gpus() || job.throughput()[m] <= 0) continue; // cannot run there: no share
                c[j][m] = heterogeneityAware ? job.gpus() * job.throughput()[m] / equal : job.gpus();
            }
        }
        return c;
    }

    /**
     * Solves the program over <em>classes</em> of interchangeable jobs (same GPU count, same
     * coefficients), one variable per class and type, capacity counted as the class size times its
     * gang. That is exact, not an approximation: for any optimal allocation, giving every job of a
     * class the class's average is feasible (the constraints are linear and the same for each of
     * them) and keeps both the smallest share and the sum of shares, so an optimum exists in which
     * a class's jobs are treated alike (which is also what an interior-point solver, Gavel's cvxpy,
     * returns). A trace's classes are bounded by its job types times its gang sizes, not by the
     * number of active jobs: the msr traces have 170, so the program stays small however many
     * hundreds of jobs are active.
     */
    public Result allocate(List<HeteroJob> jobs, GpuMix mix) {
        int n = jobs.size(), types = mix.typeCount();
        if (n == 0) return new Result(new double[0][types], 0, 0, 0);
        double[][] cJob = coefficients(jobs, mix);
        Map<ClassKey, Integer> classOf = new LinkedHashMap<>();
        int[] jobClass = new int[n];
        List<Integer> size = new ArrayList<>();
        List<Integer> representative = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            ClassKey key = new ClassKey(jobs.get(j).gpus(), cJob[j]);
            Integer k = classOf.get(key);
            if (k == null) {
                k = classOf.size();
                classOf.put(key, k);
                size.add(0);
                representative.add(j);
            }
            size.set(k, size.get(k) + 1);
            jobClass[j] = k;
        }
        int classes = classOf.size();
        int vars = classes * types + 1; // X[k][m] at k*types+m, then the minimum share t
        int tIndex = classes * types;
        int rows = classes + classes + types;
        double[][] a = new double[rows][vars];
        double[] b = new double[rows];
        double epsilon = 1e-3 / n;
        double[] objective = new double[vars];
        objective[tIndex] = 1;
        for (int k = 0; k < classes; k++) {
            double[] c = cJob[representative.get(k)];
            // t - Σ_m c[k][m] X[k][m] <= 0: every job's share is at least t
            a[k][tIndex] = 1;
            for (int m = 0; m < types; m++) {
                a[k][k * types + m] = -c[m];
                objective[k * types + m] = epsilon * size.get(k) * c[m];
            }
            // Σ_m X[k][m] <= 1, and no time on a type the job cannot use
            for (int m = 0; m < types; m++) a[classes + k][k * types + m] = c[m] > 0 ? 1 : 0;
            b[classes + k] = 1;
        }
        for (int m = 0; m < types; m++) {
            for (int k = 0; k < classes; k++) {
                a[2 * classes + m][k * types + m] = cJob[representative.get(k)][m] > 0 ? (double) size.get(k) * jobs.get(representative.get(k)).gpus() : 0;
            }
            b[2 * classes + m] = mix.counts()[m];
        }
        LinearProgram.Solution s = new LinearProgram(a, b, objective).maximize();
        double[][] x = new double[n][types];
        for (int j = 0; j < n; j++) {
            int k = jobClass[j];
            for (int m = 0; m < types; m++) x[j][m] = cJob[j][m] > 0 ? Math.min(1, Math.max(0, s.x()[k * types + m])) : 0;
        }
        return new Result(x, s.x()[tIndex], s.pivots(), classes);
    }

    /** Jobs with the same gang and the same objective coefficients are interchangeable in the program. */
    private record ClassKey(int gpus, double[] c) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ClassKey k && k.gpus == gpus && Arrays.equals(k.c, c);
        }

        @Override
        public int hashCode() {
            return 31 * gpus + Arrays.hashCode(c);
        }
    }
}
