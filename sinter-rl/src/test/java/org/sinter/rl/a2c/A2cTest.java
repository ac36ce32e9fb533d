package org.sinter.rl.a2c;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.Tensor;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

@Timeout(300) // a hang guard, not a speed check
class A2cTest {
    @Test
    void aSeededRunLearnsCartPole() {
        A2c a2c = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), A2cConfig.cartPole().withTotalTimesteps(20_000), 1);
        TrainingResult r = a2c.train(Double.POSITIVE_INFINITY, 20, 1_000, null);
        assertEquals(20_000, r.steps());
        double first = r.episodeReturns().subList(0, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(first < 40, "starts near random (~22): " + first);
        assertTrue(r.meanReturn() > 100, "last-20 mean after 20,000 steps: " + r.meanReturn());
    }

    @Test
    void seededRunsRepeatExactly() {
        List<Double> first = null;
        float[] weights = null;
        for (int run = 0; run < 2; run++) {
            A2c a2c = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), A2cConfig.cartPole().withTotalTimesteps(3_000), 5);
            TrainingResult r = a2c.train(Double.POSITIVE_INFINITY, 20, 1_000, null);
            float[] w = a2c.model().actor.parameters().stream().map(Tensor::toFloatArray).reduce(new float[0], A2cTest::concat);
            if (run == 0) {
                first = r.episodeReturns();
                weights = w;
            } else {
                assertEquals(first, r.episodeReturns());
                assertArrayEquals(weights, w);
            }
        }
    }

    @Test
    void stopsAtTheThresholdAndRefusesContinuousActions() {
        A2c a2c = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), A2cConfig.cartPole().withTotalTimesteps(20_000), 1);
        TrainingResult r = a2c.train(30, 5, 1_000, null);
        assertTrue(r.stepsToThreshold() > 0 && r.steps() < 20_000, r.toString());
        @SuppressWarnings({"unchecked", "rawtypes"}) // a continuous-action env where a discrete one is declared: what A2c must refuse
        java.util.function.Supplier<org.sinter.rl.Env<double[], Integer>> pendulum = (java.util.function.Supplier) () -> Envs.makeContinuous("Pendulum-v1");
        var e = assertThrows(IllegalArgumentException.class, () -> new A2c(pendulum, A2cConfig.cartPole(), 1));
        assertTrue(e.getMessage().startsWith("A2c: Pendulum-v1 needs a Box observation space and a Discrete action space"), e.getMessage());
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
