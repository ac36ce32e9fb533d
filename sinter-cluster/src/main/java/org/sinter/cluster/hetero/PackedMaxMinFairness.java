package org.sinter.cluster.hetero;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gavel's heterogeneity-aware max-min fairness with space sharing ({@code max_min_fairness_packed},
 * Narayanan et al., OSDI'20, section 4.2): besides a job running alone on a type, two jobs with the
 * same GPU count may share the same GPUs, each at its measured co-located rate. The allocation gives
 * time to <em>combinations</em> (a job alone, or a pair) on each type; a job's effective throughput
 * sums over the combinations it is in, normalised as in {@link MaxMinFairness}; a job's combinations
 * take at most all of its time; a type's GPUs hold the combinations placed on it, a pair counting its
 * GPUs once.
 *
 * <p>As in {@link MaxMinFairness} the program is written over classes of interchangeable jobs (same job
 * type and GPU count, so the same rates alone and beside any partner): {@code A[k][m]} is the total
 * time class k's jobs spend alone on type m, {@code W[p][m]} the total time pairs of classes p = (k, l)
 * run on m. It is exact for the same reason (averaging an optimum over a class's jobs keeps it optimal).
 *
 * <p>Only pairs that help are offered: a pair whose two normalised rates on a type sum to at most 1
 * (each job's co-located rate over its rate alone there) is dominated by time-slicing the same two
 * jobs on those GPUs (the same progress for each, no more of either job's time, no more GPU time),
 * so leaving it out loses nothing; that keeps the program to the pairs that interfere little.
 */
public final class PackedMaxMinFairness {
    /** A pair's normalised rates must sum above 1 by this much for the pair to be offered. */
    private static final double HELPS = 1e-9;

    /**
     * The allocation per class: {@code alone[k][m]} the share of a class-k job's time alone on m, and
     * {@code with.get(k)}: partner class to the share of a class-k job's time beside a job of that class
     * on each type. {@code classOf[j]} is job j's class; {@code minShare} the smallest normalised share.
     */
    public record Result(int[] classOf, double[][] alone, List<Map<Integer, double[]>> with, double minShare, int pivots, int pairsOffered) {}

    private record Kind(String type, int gpus) {}

    public Result allocate(List<HeteroJob> jobs, GpuMix mix) {
        int n = jobs.size(), types = mix.typeCount();
        Map<Kind, Integer> classOf = new LinkedHashMap<>();
        int[] jobClass = new int[n];
        List<Integer> sizeList = new ArrayList<>();
        List<HeteroJob> reps = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            HeteroJob job = jobs.get(j);
            Integer k = classOf.get(new Kind(job.type(), job.gpus()));
            if (k == null) {
                k = classOf.size();
                classOf.put(new Kind(job.type(), job.gpus()), k);
                sizeList.add(0);
                reps.add(job);
            }
            sizeList.set(k, sizeList.get(k) + 1);
            jobClass[j] = k;
        }
        int classes = reps.size();
        int[] size = sizeList.stream().mapToInt(Integer::intValue).toArray();
        double[][] c = new MaxMinFairness(true).coefficients(reps, mix);
        double[] equal = new double[classes];
        for (int k = 0; k < classes; k++) {
            for (int m = 0; m < types; m++) equal[k] += reps.get(k).throughput()[m] * mix.counts()[m] / mix.total();
        }
        // variables: A[k][m] where the class can run on m, W[p][m] for the pairs that help, then t
        List<int[]> vars = new ArrayList<>(); // {k, l, m}: l = -1 alone
        List<double[]> gains = new ArrayList<>(); // {normalised rate of k, of l}
        for (int k = 0; k < classes; k++) {
            for (int m = 0; m < types; m++) {
                if (c[k][m] > 0) {
                    vars.add(new int[] {k, -1, m});
                    gains.add(new double[] {c[k][m], 0});
                }
            }
        }
        int pairsOffered = 0;
        for (int k = 0; k < classes; k++) {
            for (int l = k; l < classes; l++) {
                HeteroJob a = reps.get(k), b = reps.get(l);
                if (a.gpus() != b.gpus() || (k == l && size[k] < 2)) continue;
                for (int m = 0; m < types; m++) {
                    if (c[k][m] <= 0 || c[l][m] <= 0) continue;
                    double ra = a.colocatedThroughput(b.type(), m), rb = b.colocatedThroughput(a.type(), m);
                    if (ra <= 0 || rb <= 0 || ra / a.throughput()[m] + rb / b.throughput()[m] <= 1 + HELPS) continue;
                    vars.add(new int[] {k, l, m});
                    gains.add(new double[] {a.gpus() * ra / equal[k], b.gpus() * rb / equal[l]});
                    pairsOffered++;
                }
            }
        }
        int v = vars.size() + 1, tIndex = vars.size();
        int rows = 2 * classes + types;
        double[][] a = new double[rows][v];
        double[] b = new double[rows];
        double[] objective = new double[v];
        double epsilon = 1e-3 / n;
        objective[tIndex] = 1;
        for (int k = 0; k < classes; k++) {
            a[k][tIndex] = size[k]; // n_k·t <= the class's total normalised throughput
            b[classes + k] = size[k]; // the class's jobs have n_k job-lifetimes of time
        }
        for (int i = 0; i < vars.size(); i++) {
            int[] var = vars.get(i);
            int k = var[0], l = var[1], m = var[2];
            double[] g = gains.get(i);
            a[k][i] -= g[0];
            a[classes + k][i] += 1;
            objective[i] += epsilon * g[0];
            if (l >= 0) { // the partner class's job in the pair (the same class for a pair within a class)
                a[l][i] -= g[1];
                a[classes + l][i] += 1;
                objective[i] += epsilon * g[1];
            }
            a[2 * classes + m][i] = reps.get(k).gpus();
        }
        for (int m = 0; m < types; m++) b[2 * classes + m] = mix.counts()[m];
        LinearProgram.Solution s = new LinearProgram(a, b, objective).maximize();
        double[][] alone = new double[classes][types];
        List<Map<Integer, double[]>> with = new ArrayList<>();
        for (int k = 0; k < classes; k++) with.add(new LinkedHashMap<>());
        for (int i = 0; i < vars.size(); i++) {
            double x = Math.max(0, s.x()[i]);
            if (x <= 0) continue;
            int[] var = vars.get(i);
            int k = var[0], l = var[1], m = var[2];
            if (l < 0) {
                alone[k][m] = Math.min(1, x / size[k]);
            } else if (k == l) {
                with.get(k).computeIfAbsent(k, z -> new double[types])[m] += 2 * x / size[k];
            } else {
                with.get(k).computeIfAbsent(l, z -> new double[types])[m] += x / size[k];
                with.get(l).computeIfAbsent(k, z -> new double[types])[m] += x / size[l];
            }
        }
        return new Result(jobClass, alone, with, s.x()[tIndex], s.pivots(), pairsOffered);
    }
}
