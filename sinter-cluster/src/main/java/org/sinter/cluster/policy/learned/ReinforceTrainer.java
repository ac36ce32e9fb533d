package org.sinter.cluster.policy.learned;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.sinter.Tensor;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.Job;
import org.sinter.cluster.metrics.Summary;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.Sjf;
import org.sinter.cluster.sim.JobState;
import org.sinter.cluster.sim.SimulationResult;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.SyntheticTrace;
import org.sinter.optim.Adam;

/**
 * Trains a {@link LearnedPolicy} with REINFORCE as DeepRM did: each iteration draws a fresh
 * workload (generated, Philly-shaped), plays several episodes of it with the current policy
 * sampling its choices, and scores each decision by the job-time still to come after it (the
 * integral of the number of jobs in the system from the decision on: what average JCT sums),
 * minus the mean of that over the episodes at the same instant (DeepRM's time-based baseline).
 * One Adam step per iteration on all decisions. Deterministic for a seed.
 */
public final class ReinforceTrainer {
    /**
     * @param iterations     workloads to learn from
     * @param rollouts       episodes per workload (the baseline averages over them)
     * @param jobs           jobs per workload
     * @param cluster        the simulated cluster, e.g. {@code 8x8}
     * @param load           offered load of the generated arrivals
     */
    public record Options(int iterations, int rollouts, int jobs, String cluster, double load, double lr, int hidden, long seed) {
        public static Options defaults() {
            return new Options(40, 6, 200, "8x8", 3.0, 1e-2, 32, 1);
        }
    }

    /** The trained network and, per iteration, the episodes' mean average JCT and SJF's on the same workload (seconds). */
    public record Result(SchedulingNetwork network, double[] learnedAvgJct, double[] sjfAvgJct) {}

    private ReinforceTrainer() {}

    public static Result train(Options o, Consumer<String> log) {
        org.sinter.Sinter.manualSeed(o.seed());
        SchedulingNetwork net = new SchedulingNetwork(o.hidden());
        Adam opt = new Adam(net.module().parameters(), o.lr());
        ClusterSpec spec = ClusterSpec.parse(o.cluster());
        Random rnd = new Random(o.seed());
        double[] learned = new double[o.iterations()], sjf = new double[o.iterations()];
        for (int it = 0; it < o.iterations(); it++) {
            List<Job> jobs = SyntheticTrace.generate(o.jobs(), spec.totalGpus(), spec.totalGpus(), o.load(), o.seed() * 1_000_003L + it);
            sjf[it] = Summary.of(Simulator.run(jobs, spec, new Sjf(), new ConsolidatePlacement(), 0, null), 0).avgJct();
            List<List<LearnedPolicy.Decision>> episodes = new ArrayList<>();
            List<SimulationResult> results = new ArrayList<>();
            for (int r = 0; r < o.rollouts(); r++) {
                List<LearnedPolicy.Decision> d = new ArrayList<>();
                results.add(Simulator.run(jobs, spec, new LearnedPolicy(net, new Random(rnd.nextLong()), d), new ConsolidatePlacement(), 0, null));
                episodes.add(d);
            }
            double mean = 0;
            for (SimulationResult r : results) mean += Summary.of(r, 0).avgJct() / results.size();
            learned[it] = mean;
            step(net, opt, episodes, results);
            if (log != null && (it % 10 == 9 || it == o.iterations() - 1)) {
                log.accept(String.format(java.util.Locale.ROOT, "iteration %d: average JCT %.4f h (SJF %.4f h on the same jobs)", it + 1, mean / 3600, sjf[it] / 3600));
            }
        }
        return new Result(net, learned, sjf);
    }

    private static void step(SchedulingNetwork net, Adam opt, List<List<LearnedPolicy.Decision>> episodes, List<SimulationResult> results) {
        int total = episodes.stream().mapToInt(List::size).sum();
        if (total == 0) return;
        int k = LearnedPolicy.CANDIDATES, f = CandidateFeatures.COUNT;
        float[] x = new float[total * k * f], mask = new float[total * k], advantage = new float[total];
        long[] chosen = new long[total];
        int d = 0;
        for (int e = 0; e < episodes.size(); e++) {
            for (LearnedPolicy.Decision dec : episodes.get(e)) {
                System.arraycopy(dec.features(), 0, x, d * k * f, k * f);
                for (int i = dec.count(); i < k; i++) mask[d * k + i] = -1e9f; // padding is never chosen
                chosen[d] = dec.chosen();
                double baseline = 0;
                for (SimulationResult r : results) baseline += jobTimeAfter(r, dec.time()) / results.size();
                advantage[d] = (float) (baseline - jobTimeAfter(results.get(e), dec.time())); // less job-time to come is better
                d++;
            }
        }
        normalise(advantage);
        Tensor logits = net.scores(Tensor.of(x, total, k, f)).add(Tensor.of(mask, total, k));
        Tensor logp = logits.logSoftmax(1).gather(1, Tensor.of(chosen, total, 1)).squeeze(1);
        Tensor loss = logp.mul(Tensor.of(advantage, total)).mean().neg();
        opt.zeroGrad();
        loss.backward();
        opt.step();
    }

    /** Job-seconds in the system from {@code t} to the end of the episode: the part of the JCT sum still ahead. */
    static double jobTimeAfter(SimulationResult r, double t) {
        double s = 0;
        for (JobState j : r.jobs()) s += Math.max(0, j.finish() - Math.max(j.job.arrival(), t));
        return s;
    }

    private static void normalise(float[] a) {
        double mean = 0, sq = 0;
        for (float v : a) mean += v / a.length;
        for (float v : a) sq += (v - mean) * (v - mean) / a.length;
        double sd = Math.sqrt(sq) + 1e-8;
        for (int i = 0; i < a.length; i++) a[i] = (float) ((a[i] - mean) / sd);
    }

    /** Average JCT of the greedy policy and of SJF on {@code jobs} (seconds). */
    public static double[] evaluate(SchedulingNetwork net, List<Job> jobs, ClusterSpec spec) {
        double learned = Summary.of(Simulator.run(jobs, spec, new LearnedPolicy(net), new ConsolidatePlacement(), 0, null), 0).avgJct();
        double sjf = Summary.of(Simulator.run(jobs, spec, new Sjf(), new ConsolidatePlacement(), 0, null), 0).avgJct();
        return new double[] {learned, sjf};
    }

}
