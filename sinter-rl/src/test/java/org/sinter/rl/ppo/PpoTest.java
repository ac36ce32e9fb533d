package org.sinter.rl.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

class PpoTest {
    @Test
    @Timeout(240) // a hang guard, not a speed test: generous for a loaded machine
    void learnsCartPoleWellAboveARandomPolicy() {
        // A random policy averages about 22 steps per episode; 30,720 steps of PPO should at least triple that.
        PpoConfig config = PpoConfig.cartPole().withTotalTimesteps(30_720);
        TrainingResult r = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), config, 1).train(Double.POSITIVE_INFINITY, 20, null);
        assertEquals(30_720, r.steps());
        assertTrue(r.meanReturn() > 100, "mean return of the last 20 episodes: " + r.meanReturn());
        List<Double> returns = r.episodeReturns();
        double firstTen = returns.subList(0, 10).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(firstTen < 60, "the untrained policy is near random: " + firstTen);
    }

    @Test
    void seededRunsRepeatExactly() {
        PpoConfig config = PpoConfig.cartPole().withTotalTimesteps(1024);
        TrainingResult a = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), config, 7).train(Double.POSITIVE_INFINITY, 20, null);
        TrainingResult b = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), config, 7).train(Double.POSITIVE_INFINITY, 20, null);
        assertEquals(a.episodeReturns(), b.episodeReturns());
        TrainingResult c = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), config, 8).train(Double.POSITIVE_INFINITY, 20, null);
        assertTrue(!a.episodeReturns().equals(c.episodeReturns()));
    }

    @Test
    void aBatchThatDoesNotSplitIntoMinibatchesIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PpoConfig(4, 10, 1e-3, true, 0.99, 0.95, 3, 1, true, 0.2, true, 0, 0.5, 0.5, 8, 100));
        assertTrue(e.getMessage().contains("minibatches"), e.getMessage());
    }
}
