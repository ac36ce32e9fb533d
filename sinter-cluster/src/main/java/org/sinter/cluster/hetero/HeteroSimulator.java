package org.sinter.cluster.hetero;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The round-based simulator of a heterogeneous cluster, the way Gavel's own simulator works: time
 * moves in rounds (Gavel's default, 6 minutes); a job that arrives waits for the next round boundary;
 * at each boundary the policy places every active job on a GPU type or leaves it waiting, and a
 * placed job advances at its gang's steps/s on that type for the round, finishing mid-round when its
 * steps run out (its GPUs then idle until the boundary). Moving between rounds costs nothing (as in
 * Gavel's simulator, checkpoints at round ends are assumed free). Deterministic: no clocks, and
 * randomness only where a policy is seeded.
 */
public final class HeteroSimulator {
    public static final double GAVEL_ROUND_SECONDS = 360;

    private HeteroSimulator() {}

    /** Told after every round: jobs finished, jobs in all, simulated time. */
    public interface Progress {
        void update(int finished, int total, double now);
    }

    public static HeteroResult run(List<HeteroJob> jobs, GpuMix mix, HeteroPolicy policy, double roundSeconds, Progress progress) {
        if (!(roundSeconds > 0) || Double.isInfinite(roundSeconds)) throw new IllegalArgumentException("round length must be > 0 seconds, got " + roundSeconds);
        List<HeteroJob> byArrival = new ArrayList<>(jobs);
        byArrival.sort(Comparator.comparingDouble(HeteroJob::arrival).thenComparingInt(HeteroJob::id));
        int largest = 0;
        for (int c : mix.counts()) largest = Math.max(largest, c);
        for (HeteroJob j : byArrival) {
            if (j.gpus() > largest) throw new IllegalArgumentException(j.origin() + ": needs " + j.gpus() + " GPUs of one type, the largest pool has " + largest);
            if (j.throughput().length != mix.typeCount()) throw new IllegalArgumentException(j.origin() + ": " + j.throughput().length + " throughputs for " + mix.typeCount() + " GPU types");
        }
        List<RoundJob> finished = new ArrayList<>(jobs.size());
        List<RoundJob> active = new ArrayList<>();
        int next = 0, rounds = 0;
        long typeChanges = 0, sharedJobRounds = 0, placedJobRounds = 0;
        double now = byArrival.isEmpty() ? 0 : byArrival.get(0).arrival();
        double busyGpuSeconds = 0, start = now;
        boolean changed = true;
        while (next < byArrival.size() || !active.isEmpty()) {
            while (next < byArrival.size() && byArrival.get(next).arrival() <= now) {
                active.add(new RoundJob(byArrival.get(next++), now, mix.typeCount()));
                changed = true;
            }
            if (active.isEmpty()) {
                // idle until the round boundary at or after the next arrival
                double arrival = byArrival.get(next).arrival();
                now += Math.ceil((arrival - now) / roundSeconds) * roundSeconds;
                continue;
            }
            int[] placed = policy.assign(active, mix, now, changed);
            int[] partner = policy.partners();
            changed = false;
            checkFits(placed, partner, active, mix, policy);
            boolean anyPlaced = false;
            double[] ranOf = new double[active.size()];
            for (int j = 0; j < active.size(); j++) {
                RoundJob r = active.get(j);
                int m = placed[j];
                if (m >= 0 && r.lastType >= 0 && m != r.lastType) { r.typeChanges++; typeChanges++; }
                r.lastType = m;
                if (m >= 0) {
                    anyPlaced = true;
                    // sharing: the pair's measured rate for the whole round (also after the partner
                    // finishes mid-round: the plan holds until the boundary)
                    String with = partner != null && partner[j] >= 0 ? active.get(partner[j]).job.type() : null;
                    double rate = with == null ? r.job.throughput()[m] : r.job.colocatedThroughput(with, m);
                    double need = r.remaining / rate;
                    double ran;
                    if (need <= roundSeconds) {
                        ran = need;
                        r.remaining = 0;
                        r.completion = now + need;
                    } else {
                        ran = roundSeconds;
                        r.remaining -= rate * roundSeconds;
                    }
                    ranOf[j] = ran;
                    r.secondsOn[m] += ran;
                    placedJobRounds++;
                    if (with != null) {
                        r.secondsWith.computeIfAbsent(with, k -> new double[mix.typeCount()])[m] += ran;
                        sharedJobRounds++;
                    }
                }
                // company for finish-time fairness: jobs in the system while this one is
                double inRound = Double.isNaN(r.completion) ? roundSeconds : r.completion - now;
                r.companyIntegral += active.size() * inRound;
            }
            // busy GPU-seconds: a pair's GPUs count once, for as long as either of the two ran
            for (int j = 0; j < active.size(); j++) {
                int p = partner == null ? -1 : partner[j];
                if (p < 0) busyGpuSeconds += ranOf[j] * active.get(j).job.gpus();
                else if (p > j) busyGpuSeconds += Math.max(ranOf[j], ranOf[p]) * active.get(j).job.gpus();
            }
            if (!anyPlaced) throw new IllegalStateException(policy.name() + " placed none of " + active.size() + " active jobs at t=" + now + " on an idle cluster");
            rounds++;
            now += roundSeconds;
            List<RoundJob> still = new ArrayList<>(active.size());
            for (RoundJob r : active) {
                if (r.remaining <= 0) { finished.add(r); changed = true; } else still.add(r);
            }
            active = still;
            if (progress != null) progress.update(finished.size(), byArrival.size(), now);
        }
        finished.sort(Comparator.comparingInt(r -> r.job.id()));
        double makespanEnd = start;
        for (RoundJob r : finished) makespanEnd = Math.max(makespanEnd, r.completion);
        return new HeteroResult(policy.name(), mix, finished, start, makespanEnd, busyGpuSeconds, rounds, typeChanges, policy.solves(),
                placedJobRounds == 0 ? 0 : (double) sharedJobRounds / placedJobRounds);
    }

    private static void checkFits(int[] placed, int[] partner, List<RoundJob> active, GpuMix mix, HeteroPolicy policy) {
        if (placed.length != active.size()) throw new IllegalStateException(policy.name() + " placed " + placed.length + " jobs, " + active.size() + " are active");
        if (partner != null && partner.length != active.size()) throw new IllegalStateException(policy.name() + " paired " + partner.length + " jobs, " + active.size() + " are active");
        int[] used = new int[mix.typeCount()];
        for (int j = 0; j < placed.length; j++) {
            int p = partner == null ? -1 : partner[j];
            if (p >= 0) {
                HeteroJob a = active.get(j).job, b = active.get(p).job;
                if (p == j || partner[p] != j || placed[p] != placed[j] || placed[j] < 0 || a.gpus() != b.gpus()
                        || a.colocatedThroughput(b.type(), placed[j]) <= 0 || b.colocatedThroughput(a.type(), placed[j]) <= 0) {
                    throw new IllegalStateException(policy.name() + " paired jobs " + a.id() + " and " + b.id() + " that cannot share GPUs of type " + placed[j]);
                }
                if (p < j) continue; // the pair's GPUs are counted once
            }
            if (placed[j] >= 0) used[placed[j]] += active.get(j).job.gpus();
        }
        for (int m = 0; m < used.length; m++) {
            if (used[m] > mix.counts()[m]) throw new IllegalStateException(policy.name() + " placed " + used[m] + " GPUs of " + mix.types().get(m) + ", the cluster has " + mix.counts()[m]);
        }
    }
}
