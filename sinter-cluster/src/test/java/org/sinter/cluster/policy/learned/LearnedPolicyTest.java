package org.sinter.cluster.policy.learned;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.cluster.ClusterSpec;
import org.sinter.cluster.Job;
import org.sinter.cluster.metrics.Summary;
import org.sinter.cluster.placement.ConsolidatePlacement;
import org.sinter.cluster.policy.Fifo;
import org.sinter.cluster.sim.Simulator;
import org.sinter.cluster.trace.SyntheticTrace;

/**
 * The learned policy (DeepRM-style REINFORCE) learns from simulated episodes to schedule far
 * better than FIFO and close to SJF, on workloads it never saw; it saves and loads, and trains the
 * same for a seed.
 */
class LearnedPolicyTest {
    private static final ReinforceTrainer.Options SMALL = new ReinforceTrainer.Options(40, 6, 200, "8x8", 3.0, 1e-2, 32, 1);

    @Test
    void learnsToBeatFifoAndApproachSjfOnUnseenWorkloads(@TempDir Path dir) throws Exception {
        ReinforceTrainer.Result r = ReinforceTrainer.train(SMALL, System.out::println);
        ClusterSpec spec = ClusterSpec.parse("8x8");
        org.sinter.Sinter.manualSeed(SMALL.seed());
        SchedulingNetwork untrained = new SchedulingNetwork(SMALL.hidden()); // the trainer's starting point
        double learned = 0, sjf = 0, fifo = 0, before = 0;
        for (int w = 0; w < 5; w++) {
            List<Job> jobs = SyntheticTrace.generate(400, 64, 64, 3.0, 777 + w); // seeds the training never drew
            double[] e = ReinforceTrainer.evaluate(r.network(), jobs, spec);
            learned += e[0];
            sjf += e[1];
            before += ReinforceTrainer.evaluate(untrained, jobs, spec)[0];
            fifo += Summary.of(Simulator.run(jobs, spec, new Fifo(), new ConsolidatePlacement(), 0, null), 0).avgJct();
        }
        String numbers = "avg JCT over 5 unseen workloads: learned %.2f h, untrained %.2f h, SJF %.2f h, FIFO %.2f h".formatted(learned / 5 / 3600,
                before / 5 / 3600, sjf / 5 / 3600, fifo / 5 / 3600);
        System.out.println(numbers);
        assertTrue(learned < 0.9 * before, "training improved on its starting point: " + numbers);
        assertTrue(learned < 0.7 * fifo, numbers);
        assertTrue(learned < 1.15 * sjf, numbers);

        Path file = dir.resolve("policy.safetensors");
        r.network().save(file);
        SchedulingNetwork loaded = SchedulingNetwork.load(file, SMALL.hidden());
        List<Job> jobs = SyntheticTrace.generate(300, 64, 64, 3.0, 999);
        assertArrayEquals(ReinforceTrainer.evaluate(r.network(), jobs, spec), ReinforceTrainer.evaluate(loaded, jobs, spec), 0.0);
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void trainingIsDeterministicForASeed() {
        var tiny = new ReinforceTrainer.Options(3, 2, 60, "4x8", 1.2, 3e-3, 8, 5);
        ReinforceTrainer.Result a = ReinforceTrainer.train(tiny, null), b = ReinforceTrainer.train(tiny, null);
        assertArrayEquals(a.learnedAvgJct(), b.learnedAvgJct(), 0.0);
        assertEquals(3, a.sjfAvgJct().length);
    }
}
