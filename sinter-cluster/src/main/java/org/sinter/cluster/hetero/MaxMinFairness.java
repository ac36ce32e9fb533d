package org.sinter.cluster.hetero;

import java.util.List;

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

    /** The allocation and what solving it cost. */
    public record Result(double[][] x, double minShare, int pivots) {}

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

    public Result allocate(List<HeteroJob> jobs, GpuMix mix) {
        int n = jobs.size(), types = mix.typeCount();
        if (n == 0) return new Result(new double[0][types], 0, 0);
        double[][] c = coefficients(jobs, mix);
        int vars = n * types + 1; // X[j][m] at j*types+m, then the minimum share t
        int tIndex = n * types;
        int rows = n + n + types;
        double[][] a = new double[rows][vars];
        double[] b = new double[rows];
        double epsilon = 1e-3 / n;
        double[] objective = new double[vars];
        objective[tIndex] = 1;
        for (int j = 0; j < n; j++) {
            // t - Σ_m c[j][m] X[j][m] <= 0: every job's share is at least t
            a[j][tIndex] = 1;
            for (int m = 0; m < types; m++) {
                a[j][j * types + m] = -c[j][m];
                objective[j * types + m] = epsilon * c[j][m];
            }
            // Σ_m X[j][m] <= 1, and no time on a type the job cannot use
            for (int m = 0; m < types; m++) a[n + j][j * types + m] = c[j][m] > 0 ? 1 : 0;
            b[n + j] = 1;
        }
        for (int m = 0; m < types; m++) {
            for (int j = 0; j < n; j++) a[2 * n + m][j * types + m] = c[j][m] > 0 ? jobs.get(j).gpus() : 0;
            b[2 * n + m] = mix.counts()[m];
        }
        LinearProgram.Solution s = new LinearProgram(a, b, objective).maximize();
        double[][] x = new double[n][types];
        for (int j = 0; j < n; j++) {
            for (int m = 0; m < types; m++) x[j][m] = c[j][m] > 0 ? Math.min(1, Math.max(0, s.x()[j * types + m])) : 0;
        }
        return new Result(x, s.x()[tIndex], s.pivots());
    }
}
