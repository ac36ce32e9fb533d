package org.sinter.cluster.hetero;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Gavel's round-based mechanism (section 5): turns a time-share allocation {@code X} into concrete
 * rounds. A (job, type) pair's priority is {@code X[j][m]} divided by the share of its time in the
 * system the job has so far run on type m (never run there: first); pairs are taken in priority
 * order and a job is placed on the type if it is not placed yet and the type has room for its whole
 * gang. Over many rounds each job's time on each type tracks {@code X}. Pairs with {@code X = 0} come
 * last and only fill GPUs nobody else asked for (the mechanism stays work-conserving).
 */
final class RoundBasedMechanism {
    private RoundBasedMechanism() {}

    static int[] assign(List<RoundJob> active, double[][] x, GpuMix mix, double now) {
        int types = mix.typeCount();
        record Pair(int job, int type, double priority, double share) {}
        List<Pair> pairs = new ArrayList<>();
        for (int j = 0; j < active.size(); j++) {
            RoundJob r = active.get(j);
            double elapsed = now - r.admitted();
            for (int m = 0; m < types; m++) {
                if (mix.counts()[m] < r.job().gpus() || r.job().throughput()[m] <= 0) continue;
                double received = elapsed > 0 ? r.secondsOn(m) / elapsed : 0;
                double priority = x[j][m] <= 0 ? 0 : received <= 0 ? Double.POSITIVE_INFINITY : x[j][m] / received;
                pairs.add(new Pair(j, m, priority, x[j][m]));
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::priority).reversed()
                .thenComparing(Comparator.comparingDouble(Pair::share).reversed())
                .thenComparingInt(p -> active.get(p.job()).job().id())
                .thenComparingInt(Pair::type));
        int[] free = mix.counts().clone();
        int[] placed = new int[active.size()];
        java.util.Arrays.fill(placed, -1);
        for (Pair p : pairs) {
            int g = active.get(p.job()).job().gpus();
            if (placed[p.job()] >= 0 || free[p.type()] < g) continue;
            placed[p.job()] = p.type();
            free[p.type()] -= g;
        }
        return placed;
    }
}
