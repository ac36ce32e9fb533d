package org.sinter.rl.continuous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.Tensor;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * Short seeded Pendulum-v1 runs of DDPG, TD3 and SAC: each learns (a uniformly random policy
 * scores about −1,200 a episode; the last episodes of a short run score far better), and a seeded
 * run repeats exactly. The timeouts are hang guards for a shared, slow machine, not speed checks.
 */
class ContinuousControlTest {
    /**
     * Faster-learning settings than the measured ones, so that a few thousand steps show learning:
     * learning rates 1e-3, τ = 0.02, batch 128, 500 random steps, 64-64 networks.
     */
    private static OffPolicyConfig small(String algorithm, long steps) {
        OffPolicyConfig d = OffPolicyConfig.defaults(algorithm);
        return new OffPolicyConfig(1e-3, 1e-3, 100_000, 0.99, 0.02, 128, 500, d.policyFrequency(), 1, d.explorationNoise(), d.policyNoise(),
                d.noiseClip(), d.alpha(), d.autotune(), new int[] {64, 64}, steps);
    }

    private static TrainingResult run(String algorithm, long steps, long seed) {
        OffPolicyTrainer t = TrainContinuous.create(algorithm, Envs.makeContinuous("Pendulum-v1"), small(algorithm, steps), seed);
        return t.train(Double.POSITIVE_INFINITY, 5, 1_000, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ddpg", "td3", "sac"})
    @Timeout(value = 400, unit = TimeUnit.SECONDS)
    void learnsPendulumInAShortSeededRun(String algorithm) {
        TrainingResult r = run(algorithm, 6_000, 3);
        List<Double> returns = r.episodeReturns();
        assertEquals(30, returns.size(), "200-step episodes");
        double first = (returns.get(0) + returns.get(1)) / 2; // random actions (warm-up)
        double last = r.meanReturn();
        System.out.printf("%s: first episodes %.1f, last 5 %.1f%n", algorithm, first, last);
        assertTrue(first < -800, algorithm + ": the warm-up episodes should score like random actions, got " + first);
        assertTrue(last > -400, algorithm + ": after 6,000 steps the last 5 episodes should average above -400, got " + last);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ddpg", "td3", "sac"})
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aSeededRunRepeatsExactly(String algorithm) {
        OffPolicyConfig config = small(algorithm, 1_000).withLearningStarts(200);
        OffPolicyTrainer a = TrainContinuous.create(algorithm, Envs.makeContinuous("Pendulum-v1"), config, 7);
        OffPolicyTrainer b = TrainContinuous.create(algorithm, Envs.makeContinuous("Pendulum-v1"), config, 7);
        OffPolicyTrainer c = TrainContinuous.create(algorithm, Envs.makeContinuous("Pendulum-v1"), config, 8);
        TrainingResult ra = a.train(Double.POSITIVE_INFINITY, 5, 1_000, null), rb = b.train(Double.POSITIVE_INFINITY, 5, 1_000, null);
        TrainingResult rc = c.train(Double.POSITIVE_INFINITY, 5, 1_000, null);
        assertEquals(ra.episodeReturns(), rb.episodeReturns());
        assertNotEquals(ra.episodeReturns(), rc.episodeReturns());
        var wa = a.policy().stateDict();
        var wb = b.policy().stateDict();
        for (String k : wa.keySet()) assertArrayEquals(wa.get(k).toFloatArray(), wb.get(k).toFloatArray(), k);
        double[] obs = {1, 0, 0.5};
        assertArrayEquals(a.act(obs), b.act(obs));
    }

    @Test
    void greedyActionsStayInsideTheBox() {
        OffPolicyTrainer t = TrainContinuous.create("sac", Envs.makeContinuous("MountainCarContinuous-v0"), small("sac", 10), 1);
        double[] a = t.act(new double[] {-0.5, 0.01});
        assertEquals(1, a.length);
        assertTrue(a[0] >= -1 && a[0] <= 1, "action " + a[0]);
    }

    @Test
    void refusesDiscreteEnvironmentsAndUnknownAlgorithms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sac(new DiscreteAsContinuous(), OffPolicyConfig.sac(), 1));
        assertTrue(e.getMessage().contains("Box action space"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OffPolicyConfig.defaults("a3c"));
    }

    @Test
    void deterministicActorScalesIntoTheBox() {
        DeterministicActor actor = new DeterministicActor(2, new org.sinter.rl.spaces.Box(new double[] {0}, new double[] {4}), 4);
        float[] a = actor.forward(Tensor.of(new float[] {100, -100, -100, 100, 0, 0}, 3, 2)).toFloatArray();
        for (float v : a) assertTrue(v >= 0 && v <= 4, "action " + v);
    }
}
