package org.sinter.cluster.policy.learned;

import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * What the learned policy sees of one candidate (a waiting job that fits now), DeepRM's view in
 * numbers: the job's GPU count, duration and GPU-seconds (durations are known, as DeepRM and the
 * oracle policies assume), how long it has waited, the share of the free GPUs it would take, its
 * place among the candidates, and the cluster's free share and queue length. All log-scaled to
 * about [0, 1], so one small network serves clusters and traces of any size.
 */
final class CandidateFeatures {
    static final int COUNT = 8;

    private CandidateFeatures() {}

    static void write(float[] out, int offset, JobState j, int position, int candidates, SchedulerContext ctx) {
        double now = ctx.now();
        out[offset] = (float) (log2(j.job.gpus()) / 6);
        out[offset + 1] = (float) (Math.log10(j.remaining()) / 6);
        out[offset + 2] = (float) (Math.log10(j.remaining() * j.job.gpus()) / 7);
        out[offset + 3] = (float) (Math.log10(1 + now - j.job.arrival()) / 6);
        out[offset + 4] = (float) ((double) j.job.gpus() / Math.max(1, ctx.freeGpus()));
        out[offset + 5] = (float) ((double) position / Math.max(1, candidates));
        out[offset + 6] = (float) ((double) ctx.freeGpus() / ctx.totalGpus());
        out[offset + 7] = (float) (Math.log10(1 + ctx.waitingCount()) / 4);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
