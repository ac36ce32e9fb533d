package org.sinter.rl.a2c;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.rl.ResumeChecks;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * An A2C run stopped at a saved state after its second progress report (2,000 steps, in the middle
 * of episodes) and resumed by a fresh trainer ends exactly where the uninterrupted run ends: the
 * same episode returns, end steps, step count and weights, bit for bit (sampling stream, the
 * environments' physics and streams, partial returns and RMSprop's averages all carry over).
 */
class A2cResumeTest {
    private static final A2cConfig CONFIG = A2cConfig.cartPole().withTotalTimesteps(3_200);

    @TempDir
    Path dir;

    @Test
    void aKilledAndResumedRunMatchesTheUninterruptedOne() throws IOException {
        A2c whole = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        TrainingResult expected = whole.train(Double.POSITIVE_INFINITY, 20, 1_000, null);

        Path state = dir.resolve("state.safetensors");
        A2c first = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        assertThrows(ResumeChecks.Killed.class, () -> first.train(Double.POSITIVE_INFINITY, 20, 1_000, ResumeChecks.saveThenKillAt(2, () -> first.saveState(state))));

        A2c resumed = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        resumed.resume(state);
        assertEquals(2_000, resumed.steps());
        TrainingResult actual = resumed.train(Double.POSITIVE_INFINITY, 20, 1_000, null);
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.episodeReturns(), actual.episodeReturns());
        assertEquals(expected.episodeEndSteps(), actual.episodeEndSteps());
        assertTrue(expected.episodeReturns().size() > 40, "episodes " + expected.episodeReturns().size());
        ResumeChecks.assertSameWeights(whole.model(), resumed.model());
    }

    @Test
    void aStateFromAnotherRunIsRefusedNamingTheField() throws IOException {
        Path state = dir.resolve("state.safetensors");
        A2c run = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), A2cConfig.cartPole().withTotalTimesteps(400), 3);
        run.train(Double.POSITIVE_INFINITY, 20, 1_000, null);
        run.saveState(state);
        A2c otherSeed = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), A2cConfig.cartPole().withTotalTimesteps(400), 4);
        var e = assertThrows(IllegalArgumentException.class, () -> otherSeed.resume(state));
        assertTrue(e.getMessage().contains("saved by a different run: rl.seed is 3, this run has 4"), e.getMessage());
        A2c otherSettings = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), A2cConfig.cartPole().withNumEnvs(4).withTotalTimesteps(400), 3);
        e = assertThrows(IllegalArgumentException.class, () -> otherSettings.resume(state));
        assertTrue(e.getMessage().contains("rl.config is A2cConfig[numEnvs=8"), e.getMessage());
    }
}
