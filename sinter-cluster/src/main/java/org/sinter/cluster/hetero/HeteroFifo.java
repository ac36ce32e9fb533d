package org.sinter.cluster.hetero;

import java.util.List;
import java.util.Random;

/**
 * FIFO on a heterogeneous cluster, never preempting: running jobs keep their GPUs, and waiting jobs,
 * in arrival order, start on any type with room for their gang. {@code fifo} is heterogeneity-agnostic
 * (a seeded random choice among the types with room, as a scheduler blind to GPU types would land);
 * {@code fifo-perf} takes the type with room on which the job runs fastest.
 */
public final class HeteroFifo implements HeteroPolicy {
    private final boolean fastestType;
    private final Random random;

    public HeteroFifo(boolean fastestType, long seed) {
        this.fastestType = fastestType;
        this.random = new Random(seed);
    }

    @Override
    public String name() {
        return fastestType ? "fifo-perf" : "fifo";
    }

    @Override
    public int[] assign(List<RoundJob> active, GpuMix mix, double now, boolean jobSetChanged) {
        int[] free = mix.counts().clone();
        int[] placed = new int[active.size()];
        for (int j = 0; j < active.size(); j++) {
            placed[j] = active.get(j).lastType();
            if (placed[j] >= 0) free[placed[j]] -= active.get(j).job().gpus();
        }
        int[] room = new int[free.length];
        for (int j = 0; j < active.size(); j++) {
            if (placed[j] >= 0) continue;
            HeteroJob job = active.get(j).job();
            int n = 0;
            for (int m = 0; m < free.length; m++) if (free[m] >= job.gpus() && job.throughput()[m] > 0) room[n++] = m;
            if (n == 0) continue;
            int chosen = room[0];
            if (fastestType) {
                for (int k = 1; k < n; k++) if (job.throughput()[room[k]] > job.throughput()[chosen]) chosen = room[k];
            } else {
                chosen = room[random.nextInt(n)];
            }
            placed[j] = chosen;
            free[chosen] -= job.gpus();
        }
        return placed;
    }
}
