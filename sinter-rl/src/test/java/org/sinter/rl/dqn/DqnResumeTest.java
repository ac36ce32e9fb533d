package org.sinter.rl.dqn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sinter.rl.ResumeChecks;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

/**
 * A DQN run stopped at a saved state (step 1,500 of 3,000, after learning began at 500 and with ε
 * still decaying) and resumed by a fresh trainer ends exactly where the uninterrupted run ends:
 * the same episode returns, end steps and weights of both networks, bit for bit. With the
 * variants, the priorities and the pending n-step starts must carry over too.
 */
class DqnResumeTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"", "dueling,nstep,per"})
    void aKilledAndResumedRunMatchesTheUninterruptedOne(String variants) throws IOException {
        DqnConfig config = DqnConfig.cartPole().withTotalTimesteps(3_000).withLearningStarts(500)
                .withVariants(variants.isEmpty() ? DqnVariants.NONE : DqnVariants.parse(variants));
        Dqn whole = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 5);
        TrainingResult expected = whole.train(Double.POSITIVE_INFINITY, 20, 500, null);

        Path state = dir.resolve("dqn.safetensors");
        Dqn first = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 5);
        assertThrows(ResumeChecks.Killed.class, () -> first.train(Double.POSITIVE_INFINITY, 20, 500, ResumeChecks.saveThenKillAt(3, () -> first.saveState(state))));
        Dqn resumed = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 5);
        resumed.resume(state);
        assertEquals(1_500, resumed.steps());
        TrainingResult actual = resumed.train(Double.POSITIVE_INFINITY, 20, 500, null);
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.episodeReturns(), actual.episodeReturns());
        assertEquals(expected.episodeEndSteps(), actual.episodeEndSteps());
        ResumeChecks.assertSameWeights(whole.qNetwork(), resumed.qNetwork());
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed", "variants"})
    void aStateFromAnotherRunIsRefusedNamingTheField(String differs) throws IOException {
        DqnConfig config = DqnConfig.cartPole().withTotalTimesteps(600).withLearningStarts(500);
        Path state = dir.resolve("dqn.safetensors");
        Dqn run = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 5);
        run.train(Double.POSITIVE_INFINITY, 20, 500, null);
        run.saveState(state);
        Dqn other = differs.equals("seed") ? new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 6)
                : new Dqn(Envs.makeDiscrete("CartPole-v1"), config.withVariants(DqnVariants.parse("per")), 5);
        var e = assertThrows(IllegalArgumentException.class, () -> other.resume(state));
        assertTrue(e.getMessage().contains("saved by a different run: rl." + (differs.equals("seed") ? "seed is 5, this run has 6" : "config")), e.getMessage());
    }
}
