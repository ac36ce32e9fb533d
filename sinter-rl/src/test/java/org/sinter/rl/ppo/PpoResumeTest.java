package org.sinter.rl.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.nn.Module;
import org.sinter.rl.ResumeChecks;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * A PPO run that is stopped after its second update, at a saved state, and resumed by a fresh
 * trainer ends exactly where the uninterrupted run ends: the same episode returns, step count and
 * weights, bit for bit (the sampling stream, the environments' physics and random streams, Adam's
 * moments and the learning-rate schedule all continue).
 */
class PpoResumeTest {
    private static final PpoConfig CONFIG = PpoConfig.cartPole().withTotalTimesteps(5 * 512);

    @TempDir
    Path dir;

    @Test
    void aKilledAndResumedRunMatchesTheUninterruptedOne() throws IOException {
        Ppo whole = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        TrainingResult expected = whole.train(Double.POSITIVE_INFINITY, 20, null);

        Path state = dir.resolve("state.safetensors");
        Ppo first = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        assertThrows(ResumeChecks.Killed.class, () -> first.train(Double.POSITIVE_INFINITY, 20, ResumeChecks.saveThenKillAt(2, () -> first.saveState(state))));

        Ppo resumed = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        resumed.resume(state);
        assertEquals(2 * 512, resumed.steps());
        TrainingResult actual = resumed.train(Double.POSITIVE_INFINITY, 20, null);
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.episodeReturns(), actual.episodeReturns());
        assertEquals(expected.episodeEndSteps(), actual.episodeEndSteps());
        ResumeChecks.assertSameWeights(whole.model(), resumed.model());
    }

    @Test
    void aKilledAndResumedContinuousRunMatchesTheUninterruptedOneWithItsNormalization() throws IOException {
        // 2 copies × 150 steps per update, 5 updates: the kill after update 2 falls in mid-episode (step 300 of 200-step
        // episodes is 100 steps into the second), so the physics, random streams, partial returns and statistics must all carry over.
        PpoConfig config = new PpoConfig(2, 150, 1e-3, true, 0.9, 0.95, 4, 2, true, 0.2, true, 0.0, 0.5, 0.5, 16, 5 * 300);
        ContinuousPpo whole = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), config, 6);
        TrainingResult expected = whole.train(Double.POSITIVE_INFINITY, 10, null);

        Path state = dir.resolve("continuous.safetensors");
        ContinuousPpo first = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), config, 6);
        assertThrows(ResumeChecks.Killed.class, () -> first.train(Double.POSITIVE_INFINITY, 10, ResumeChecks.saveThenKillAt(2, () -> first.saveState(state))));
        ContinuousPpo resumed = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), config, 6);
        resumed.resume(state);
        TrainingResult actual = resumed.train(Double.POSITIVE_INFINITY, 10, null);
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.episodeReturns(), actual.episodeReturns());
        ResumeChecks.assertSameWeights(whole.model(), resumed.model());
    }

    @Test
    void aStateFromAnotherRunIsRefusedNamingTheField() throws IOException {
        Path state = dir.resolve("state.safetensors");
        Ppo run = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        run.train(Double.POSITIVE_INFINITY, 20, null);
        run.saveState(state);
        Ppo otherSeed = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> otherSeed.resume(state));
        assertTrue(e.getMessage().contains("saved by a different run: rl.seed is 3, this run has 4"), e.getMessage());
        Ppo otherEnv = new Ppo(() -> Envs.makeDiscrete("Acrobot-v1"), CONFIG, 3);
        e = assertThrows(IllegalArgumentException.class, () -> otherEnv.resume(state));
        assertTrue(e.getMessage().contains("rl.env is CartPole-v1, this run has Acrobot-v1"), e.getMessage());
    }
}
