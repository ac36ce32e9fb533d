package org.sinter.cluster.hetero;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The comparison row of one heterogeneous replay: JCT statistics, makespan, finish-time fairness, costs. */
public record HeteroSummary(String policy, int jobs, double avgJctHours, double medianJctHours, double p95JctHours, double makespanHours,
                            double utilization, double avgRho, double maxRho, double shareRhoAboveOne, long typeChanges, int solves,
                            double sharedShare, double wallSeconds) {
    public static HeteroSummary of(HeteroResult r, double wallSeconds) {
        int n = r.jobs().size();
        double[] jct = new double[n];
        double[] rho = new double[n];
        double sum = 0, rhoSum = 0, rhoMax = 0;
        int above = 0;
        for (int i = 0; i < n; i++) {
            RoundJob j = r.jobs().get(i);
            jct[i] = r.jct(j);
            rho[i] = r.finishTimeFairness(j);
            sum += jct[i];
            rhoSum += rho[i];
            rhoMax = Math.max(rhoMax, rho[i]);
            if (rho[i] > 1) above++;
        }
        Arrays.sort(jct);
        double span = r.end() - r.start();
        return new HeteroSummary(r.policy(), n, n == 0 ? 0 : sum / n / 3600, quantile(jct, 0.5) / 3600, quantile(jct, 0.95) / 3600,
                span / 3600, span > 0 ? r.busyGpuSeconds() / (span * r.mix().total()) : 0, n == 0 ? 0 : rhoSum / n, rhoMax,
                n == 0 ? 0 : (double) above / n, r.typeChanges(), r.solves(), r.sharedShare(), wallSeconds);
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1 < 0 ? 0 : (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** A Markdown table of the rows, as docs/cluster.md records it. */
    public static String table(List<HeteroSummary> rows) {
        StringBuilder sb = new StringBuilder("| policy | jobs | avg JCT h | median h | p95 h | makespan h | util | avg ρ | max ρ | ρ > 1 | type changes | LPs | shared | wall s |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (HeteroSummary s : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.3f | %.2f | %.2f | %.3f | %d | %d | %.3f | %.2f |%n", s.policy, s.jobs,
                    s.avgJctHours, s.medianJctHours, s.p95JctHours, s.makespanHours, s.utilization, s.avgRho, s.maxRho, s.shareRhoAboveOne,
                    s.typeChanges, s.solves, s.sharedShare, s.wallSeconds));
        }
        return sb.toString();
    }
}
