package org.sinter.rl.dqn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

class DqnTest {
    @Test
    void epsilonDecaysLinearlyThenStaysFlat() {
        DqnConfig c = DqnConfig.cartPole().withTotalTimesteps(1000);
        assertEquals(1.0, c.epsilon(0), 1e-12);
        assertEquals(1.0 - 0.95 * 0.5, c.epsilon(250), 1e-12);
        assertEquals(0.05, c.epsilon(500), 1e-12);
        assertEquals(0.05, c.epsilon(900), 1e-12);
    }

    @Test
    @Timeout(240) // a hang guard, not a speed test: generous for a loaded machine
    void learnsCartPoleWellAboveARandomPolicy() {
        // A random policy averages about 22; after 40,000 steps (ε reaching 0.05 at 20,000) double DQN does far better.
        DqnConfig config = DqnConfig.cartPole().withTotalTimesteps(40_000).withLearningStarts(2_000);
        TrainingResult r = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 1).train(Double.POSITIVE_INFINITY, 20, 10_000, null);
        assertEquals(40_000, r.steps());
        assertTrue(r.meanReturn() > 100, "mean return of the last 20 episodes: " + r.meanReturn());
    }

    @Test
    void seededRunsRepeatExactly() {
        DqnConfig config = DqnConfig.cartPole().withTotalTimesteps(3_000).withLearningStarts(500);
        TrainingResult a = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 3).train(Double.POSITIVE_INFINITY, 20, 1000, null);
        TrainingResult b = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 3).train(Double.POSITIVE_INFINITY, 20, 1000, null);
        assertEquals(a.episodeReturns(), b.episodeReturns());
    }
}
