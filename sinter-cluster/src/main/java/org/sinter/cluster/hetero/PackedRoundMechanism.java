package org.sinter.cluster.hetero;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gavel's round-based mechanism with space sharing: turns a {@link PackedMaxMinFairness} allocation
 * into the jobs that run this round, alone or in pairs. Each job has a wanted share of its time per
 * combination (alone on a type, or beside a job of a given class on a type); an entry's priority is
 * that share over the share of its time in the system the job has had in that combination (never
 * had it: first). Entries are taken in priority order; a job placed once per round; a pair entry
 * takes the best-placed unplaced job of the partner class that also wants the pair on that type
 * (by its own entry's priority), and their GPUs once. Jobs left over then fill idle GPUs alone, in
 * job order, so the mechanism stays work-conserving.
 */
final class PackedRoundMechanism {
    private PackedRoundMechanism() {}

    /** The round's plan: a type per job (-1: waits) and a partner per job (-1: alone). */
    record Plan(int[] type, int[] partner) {}

    private record Entry(int job, int partnerClass, int type, double wanted, double priority) {}

    static Plan assign(List<RoundJob> active, PackedMaxMinFairness.Result x, GpuMix mix, double now) {
        int n = active.size(), types = mix.typeCount(), classes = x.alone().length;
        String[] classType = new String[classes];
        for (int j = 0; j < n; j++) classType[x.classOf()[j]] = active.get(j).job().type();
        List<Entry> entries = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            RoundJob r = active.get(j);
            int k = x.classOf()[j];
            double elapsed = now - r.admitted();
            double[] shared = new double[types];
            for (double[] s : r.secondsWith.values()) for (int m = 0; m < types; m++) shared[m] += s[m];
            for (int m = 0; m < types; m++) {
                double wanted = x.alone()[k][m];
                if (wanted > 0) entries.add(new Entry(j, -1, m, wanted, priority(wanted, r.secondsOn(m) - shared[m], elapsed)));
            }
            for (Map.Entry<Integer, double[]> w : x.with().get(k).entrySet()) {
                for (int m = 0; m < types; m++) {
                    double wanted = w.getValue()[m];
                    if (wanted > 0) entries.add(new Entry(j, w.getKey(), m, wanted, priority(wanted, r.secondsWith(classType[w.getKey()], m), elapsed)));
                }
            }
        }
        entries.sort(Comparator.comparingDouble(Entry::priority).reversed()
                .thenComparing(Comparator.comparingDouble(Entry::wanted).reversed())
                .thenComparingInt(e -> active.get(e.job()).job().id())
                .thenComparingInt(Entry::partnerClass)
                .thenComparingInt(Entry::type));
        // candidates for each (class, partner class, type), best entry first
        Map<Long, List<Integer>> candidates = new HashMap<>();
        for (Entry e : entries) {
            if (e.partnerClass() >= 0) candidates.computeIfAbsent(key(x.classOf()[e.job()], e.partnerClass(), e.type(), classes, types), z -> new ArrayList<>()).add(e.job());
        }
        Map<Long, Integer> cursor = new HashMap<>();
        int[] free = mix.counts().clone();
        int[] placed = new int[n], partner = new int[n];
        Arrays.fill(placed, -1);
        Arrays.fill(partner, -1);
        for (Entry e : entries) {
            int j = e.job(), m = e.type(), g = active.get(j).job().gpus();
            if (placed[j] >= 0 || free[m] < g) continue;
            if (e.partnerClass() < 0) {
                placed[j] = m;
                free[m] -= g;
                continue;
            }
            long key = key(e.partnerClass(), x.classOf()[j], m, classes, types);
            List<Integer> list = candidates.get(key);
            if (list == null) continue;
            int from = cursor.getOrDefault(key, 0);
            while (from < list.size() && placed[list.get(from)] >= 0) from++; // placed ones never come back this round
            cursor.put(key, from);
            for (int i = from; i < list.size(); i++) {
                int other = list.get(i);
                if (other == j || placed[other] >= 0) continue;
                placed[j] = m;
                placed[other] = m;
                partner[j] = other;
                partner[other] = j;
                free[m] -= g;
                break;
            }
        }
        for (int j = 0; j < n; j++) {
            if (placed[j] >= 0) continue;
            HeteroJob job = active.get(j).job();
            for (int m = 0; m < types; m++) {
                if (free[m] >= job.gpus() && job.throughput()[m] > 0) {
                    placed[j] = m;
                    free[m] -= job.gpus();
                    break;
                }
            }
        }
        return new Plan(placed, partner);
    }

    private static double priority(double wanted, double received, double elapsed) {
        double share = elapsed > 0 ? received / elapsed : 0;
        return share <= 0 ? Double.POSITIVE_INFINITY : wanted / share;
    }

    private static long key(int cls, int partnerClass, int type, int classes, int types) {
        return ((long) cls * classes + partnerClass) * types + type;
    }
}
