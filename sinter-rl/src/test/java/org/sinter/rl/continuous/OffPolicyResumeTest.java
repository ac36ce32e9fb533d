package org.sinter.rl.continuous;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.rl.ResumeChecks;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * DDPG, TD3 and SAC stopped at a saved state (step 450 of 700 on Pendulum: 50 steps into the
 * third episode, 250 updates in) and resumed by a fresh trainer end exactly where the uninterrupted
 * run ends: episode returns, the acting network and (SAC) the temperature, bit for bit.
 */
class OffPolicyResumeTest {
    private static final OffPolicyConfig SMALL = OffPolicyConfig.pendulum("sac").withTotalTimesteps(700).withLearningStarts(200).withHidden(32, 32)
            .withBatchSize(32);

    @TempDir
    Path dir;

    private static OffPolicyTrainer create(String algo, long seed) {
        return TrainContinuous.create(algo, Envs.makeContinuous("Pendulum-v1"), OffPolicyConfig.pendulum(algo).withTotalTimesteps(SMALL.totalTimesteps())
                .withLearningStarts(SMALL.learningStarts()).withHidden(SMALL.hidden()).withBatchSize(SMALL.batchSize()), seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ddpg", "td3", "sac"})
    void aKilledAndResumedRunMatchesTheUninterruptedOne(String algo) throws IOException {
        OffPolicyTrainer whole = create(algo, 2);
        TrainingResult expected = whole.train(Double.POSITIVE_INFINITY, 10, 150, null);

        Path state = dir.resolve(algo + ".safetensors");
        OffPolicyTrainer first = create(algo, 2);
        assertThrows(ResumeChecks.Killed.class, () -> first.train(Double.POSITIVE_INFINITY, 10, 150, ResumeChecks.saveThenKillAt(3, () -> first.saveState(state))));
        OffPolicyTrainer resumed = create(algo, 2);
        resumed.resume(state);
        assertEquals(450, resumed.steps());
        TrainingResult actual = resumed.train(Double.POSITIVE_INFINITY, 10, 150, null);
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.episodeReturns(), actual.episodeReturns());
        ResumeChecks.assertSameWeights(whole.policy(), resumed.policy());
        if (whole instanceof Sac s) assertEquals(s.alpha(), ((Sac) resumed).alpha());
    }

    @Test
    void aStateOfAnotherAlgorithmIsRefused() throws IOException {
        Path state = dir.resolve("td3.safetensors");
        OffPolicyTrainer td3 = create("td3", 2);
        td3.train(Double.POSITIVE_INFINITY, 10, 150, null);
        td3.saveState(state);
        var e = assertThrows(IllegalArgumentException.class, () -> create("ddpg", 2).resume(state));
        assertTrue(e.getMessage().contains("saved by a different run: rl.algorithm is Td3, this run has Ddpg"), e.getMessage());
    }
}
