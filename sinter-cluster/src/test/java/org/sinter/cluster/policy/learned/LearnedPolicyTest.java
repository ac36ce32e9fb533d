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
import org.sinter.cluster.bench.LearnedPolicyBench;
import org.sinter.cluster.trace.SyntheticTrace;

/**
 * The learned policy (DeepRM-style REINFORCE) learns from simulated episodes to schedule far better
 * than FIFO and close to SJF, on workloads it never saw; it saves and loads, and trains the same for
 * a seed. A small training (20 iterations of 4 episodes of 120 jobs, seconds); the default, longer one
 * is bench/cluster_learned.sh ({@code LearnedPolicyBench}).
 */
class LearnedPolicyTest {
    private static final ReinforceTrainer.Options SMALL = new ReinforceTrainer.Options(20, 4, 120, "8x8", 3.0, 1e-2, 32, 1);

    @Test
    void learnsToBeatFifoAndApproachSjfOnUnseenWorkloads(@TempDir Path dir) throws Exception {
        ReinforceTrainer.Result r = ReinforceTrainer.train(SMALL, System.out::println);
        double[] e = LearnedPolicyBench.evaluate(r.network(), SMALL, 3, 300);
        double learned = e[0], before = e[1], sjf = e[2], fifo = e[3];
        String numbers = "avg JCT over 3 unseen workloads: learned %.3f h, untrained %.3f h, SJF %.3f h, FIFO %.3f h".formatted(learned / 3600,
                before / 3600, sjf / 3600, fifo / 3600);
        System.out.println(numbers);
        // Its untrained start already picks among jobs that fit (within ~15% of SJF here): training must close most of that gap.
        assertTrue(before - learned > 0.6 * (before - sjf), "training closed most of the gap from its start to SJF: " + numbers);
        assertTrue(learned < 0.7 * fifo, numbers);
        assertTrue(learned < 1.1 * sjf, numbers);

        Path file = dir.resolve("policy.safetensors");
        r.network().save(file);
        SchedulingNetwork loaded = SchedulingNetwork.load(file, SMALL.hidden());
        ClusterSpec spec = ClusterSpec.parse("8x8");
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
