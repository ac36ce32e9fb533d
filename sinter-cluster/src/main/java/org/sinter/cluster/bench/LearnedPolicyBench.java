package org.sinter.cluster.bench;

import java.util.List;
import java.util.Locale;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.Job;
import org.sinter.cluster.metrics.Summary;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.policy.learned.ReinforceTrainer;
import org.sinter.cluster.policy.learned.SchedulingNetwork;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.SyntheticTrace;

/**
 * The learned policy's long run (what {@code LearnedPolicyTest} checks on a smaller scale): trains
 * with the default options (40 iterations of 6 episodes of 200 jobs on 8x8 at load 3, about a minute)
 * and reports the average JCT on five 400-job workloads the training never drew, beside its untrained
 * starting point, SJF and FIFO, and the share of the untrained-to-SJF gap the training closed.
 * Usage: {@code LearnedPolicyBench [ITERATIONS]} (bench/cluster_learned.sh runs it).
 */
public final class LearnedPolicyBench {
    private LearnedPolicyBench() {}

    public static void main(String[] args) {
        ReinforceTrainer.Options d = ReinforceTrainer.Options.defaults();
        ReinforceTrainer.Options o = args.length > 0
                ? new ReinforceTrainer.Options(Integer.parseInt(args[0]), d.rollouts(), d.jobs(), d.cluster(), d.load(), d.lr(), d.hidden(), d.seed()) : d;
        long start = System.nanoTime();
        ReinforceTrainer.Result r = ReinforceTrainer.train(o, System.out::println);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        double[] e = evaluate(r.network(), o, 5, 400);
        System.out.printf(Locale.ROOT, "%s: trained in %.1f s; avg JCT over 5 unseen 400-job workloads: learned %.2f h, untrained %.2f h, SJF %.2f h, FIFO %.2f h;"
                + " gap to SJF closed %.0f%%%n", o, trainSeconds, e[0] / 3600, e[1] / 3600, e[2] / 3600, e[3] / 3600, 100 * (e[1] - e[0]) / (e[1] - e[2]));
    }

    /**
     * Average JCT (seconds) of the trained network, of the untrained network the trainer started
     * from, of SJF and of FIFO, over {@code workloads} generated workloads of {@code jobs} jobs whose
     * seeds (777 on) the training never draws.
     */
    public static double[] evaluate(SchedulingNetwork trained, ReinforceTrainer.Options o, int workloads, int jobs) {
        ClusterSpec spec = ClusterSpec.parse(o.cluster());
        org.sinter.Sinter.manualSeed(o.seed());
        SchedulingNetwork untrained = new SchedulingNetwork(o.hidden()); // the trainer's starting point
        double[] sum = new double[4];
        for (int w = 0; w < workloads; w++) {
            List<Job> trace = SyntheticTrace.generate(jobs, spec.totalGpus(), spec.totalGpus(), o.load(), 777 + w);
            double[] e = ReinforceTrainer.evaluate(trained, trace, spec);
            sum[0] += e[0];
            sum[2] += e[1];
            sum[1] += ReinforceTrainer.evaluate(untrained, trace, spec)[0];
            sum[3] += Summary.of(Simulator.run(trace, spec, new Fifo(), new ConsolidatePlacement(), 0, null), 0).avgJct();
        }
        for (int i = 0; i < 4; i++) sum[i] /= workloads;
        return sum;
    }
}
