package org.sinter.cluster.policy.learned;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.cluster.policy.Policy;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SchedulerContext;

/**
 * A scheduling policy learned from simulated episodes (DeepRM, Mao et al., HotNets'16, the
 * course's AI-for-systems example): at each decision the first {@link #CANDIDATES} waiting jobs that
 * fit now (in arrival order) are scored by a {@link SchedulingNetwork}, and the policy starts the
 * best (or, while training, one drawn from the softmax of the scores); it decides again until no
 * waiting job fits. Work-conserving and non-preemptive, as DeepRM. While training it records each
 * decision's features and choice for {@link ReinforceTrainer}.
 */
public final class LearnedPolicy implements Policy {
    public static final int CANDIDATES = 16;
    /** Jobs looked at per decision to find the candidates: a bound on a pass over a long queue. */
    private static final int SCAN = 4 * CANDIDATES;

    /** One decision: the candidates' features ({@code count} rows of the padded block), the chosen row, when. */
    record Decision(float[] features, int count, int chosen, double time) {}

    private final SchedulingNetwork net;
    private final Random sampling;
    private final List<Decision> decisions;

    /** Greedy: always the best-scored candidate. */
    public LearnedPolicy(SchedulingNetwork net) {
        this(net, null, null);
    }

    /** Sampling from the policy with {@code sampling}, recording each decision into {@code decisions} (training). */
    LearnedPolicy(SchedulingNetwork net, Random sampling, List<Decision> decisions) {
        this.net = net;
        this.sampling = sampling;
        this.decisions = decisions;
    }

    @Override public String name() { return "learned"; }

    @Override public double queueRank(JobState waiting) { return waiting.job.arrival(); }

    @Override
    public void schedule(SchedulerContext ctx) {
        while (true) {
            List<JobState> candidates = candidates(ctx);
            if (candidates.isEmpty()) return;
            int k = candidates.size();
            float[] features = new float[CANDIDATES * CandidateFeatures.COUNT];
            for (int i = 0; i < k; i++) CandidateFeatures.write(features, i * CandidateFeatures.COUNT, candidates.get(i), i, k, ctx);
            float[] scores;
            try (var _ = Sinter.noGrad()) {
                float[] rows = java.util.Arrays.copyOf(features, k * CandidateFeatures.COUNT);
                scores = net.scores(Tensor.of(rows, k, CandidateFeatures.COUNT)).toFloatArray();
            }
            int chosen = sampling == null ? argmax(scores) : sample(scores);
            if (decisions != null) decisions.add(new Decision(features, k, chosen, ctx.now()));
            if (!ctx.tryStart(candidates.get(chosen))) throw new IllegalStateException("learned: candidate job " + candidates.get(chosen).job.id() + " did not fit");
        }
    }

    /** The first waiting jobs, in arrival order, that fit now. */
    private static List<JobState> candidates(SchedulerContext ctx) {
        List<JobState> out = new ArrayList<>();
        int scanned = 0;
        for (JobState j = ctx.nextWaiting(null, ctx.freeGpus()); j != null && out.size() < CANDIDATES && scanned < SCAN;
             j = ctx.nextWaiting(j, ctx.freeGpus())) {
            scanned++;
            if (ctx.fitsAfterPreempting(j, List.of())) out.add(j);
        }
        return out;
    }

    private static int argmax(float[] s) {
        int best = 0;
        for (int i = 1; i < s.length; i++) if (s[i] > s[best]) best = i;
        return best;
    }

    private int sample(float[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : s) max = Math.max(max, v);
        double[] p = new double[s.length];
        double sum = 0;
        for (int i = 0; i < s.length; i++) sum += p[i] = Math.exp(s[i] - max);
        double u = sampling.nextDouble() * sum;
        for (int i = 0; i < p.length; i++) if ((u -= p[i]) <= 0) return i;
        return p.length - 1;
    }
}
