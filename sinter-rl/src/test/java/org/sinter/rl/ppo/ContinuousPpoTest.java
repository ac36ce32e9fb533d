package org.sinter.rl.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

class ContinuousPpoTest {
    private static final PpoConfig SMALL = new PpoConfig(2, 200, 1e-3, true, 0.9, 0.95, 4, 2, true, 0.2, true, 0.0, 0.5, 0.5, 16, 800);

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    @Test
    @Timeout(400) // a hang guard for a loaded machine, not a speed test
    void learnsPendulumFromItsRandomStart() {
        // Seed 1 of the Pendulum setting (its 200,000-step learning-rate schedule): the first episodes score about -1,250, a
        // random policy's level; the run stops once the last ten average -800 (seed 1 crosses it near 30,000 steps and
        // reaches -200 at 48,000); the bar allows 50,000.
        TrainingResult r = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), PpoConfig.pendulum(), 1).train(-800, 10, null);
        double first = mean(r.episodeReturns().subList(0, 10));
        assertTrue(first < -1000, "the untrained policy is near random: " + first);
        assertTrue(r.stepsToThreshold() > 0 && r.stepsToThreshold() <= 50_000, "steps to a last-10 mean of -800: " + r.stepsToThreshold());
        assertTrue(r.meanReturn() >= -800, "last-10 mean " + r.meanReturn());
    }

    @Test
    void seededRunsRepeatExactlyAndSeedsDiffer() {
        ContinuousPpo a = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), SMALL, 5);
        TrainingResult ra = a.train(Double.POSITIVE_INFINITY, 10, null);
        ContinuousPpo b = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), SMALL, 5);
        TrainingResult rb = b.train(Double.POSITIVE_INFINITY, 10, null);
        assertEquals(ra.episodeReturns(), rb.episodeReturns());
        assertEquals(4, ra.episodes()); // 2 copies × 400 steps, 200-step episodes
        a.model().stateDict().forEach((k, v) -> assertArrayEquals(v.contiguous().toFloatArray(), b.model().stateDict().get(k).contiguous().toFloatArray(), k));
        TrainingResult rc = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), SMALL, 6).train(Double.POSITIVE_INFINITY, 10, null);
        assertNotEquals(ra.episodeReturns(), rc.episodeReturns());
    }

    @Test
    void theModelCarriesTheObservationStatisticsItWasTrainedWith() {
        ContinuousPpo ppo = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), SMALL, 5);
        float[] before = ppo.model().stateDict().get("obs_var").toFloatArray();
        assertArrayEquals(new float[] {1, 1, 1}, before);
        ppo.train(Double.POSITIVE_INFINITY, 10, null);
        float[] mean = ppo.model().stateDict().get("obs_mean").toFloatArray(), var = ppo.model().stateDict().get("obs_var").toFloatArray();
        // cos θ and sin θ lie in [-1, 1] and θ̇ in [-8, 8]: their variances after 800 steps are positive and bounded so.
        for (int j = 0; j < 2; j++) assertTrue(var[j] > 0 && var[j] <= 1.0001 && Math.abs(mean[j]) <= 1, "dim " + j + ": " + mean[j] + ", " + var[j]);
        assertTrue(var[2] > 0 && var[2] <= 64, "θ̇ variance " + var[2]);
        assertNotEquals(1f, var[0]);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"}) // a discrete environment smuggled past the generic type, as a caller with raw types could
    void aDiscreteEnvironmentIsRefusedNamingIt() {
        java.util.function.Supplier cartPole = () -> Envs.makeDiscrete("CartPole-v1");
        var e = assertThrows(IllegalArgumentException.class, () -> new GaussianRollout(cartPole, 1, 8, 8, 0.9, 0.95, 1));
        assertTrue(e.getMessage().contains("CartPole-v1 needs Box observation and action spaces"), e.getMessage());
    }
}
