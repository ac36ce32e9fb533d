package org.sinter.rl.impala;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * IMPALA's inline run (actors taking turns in the learner's thread) repeats exactly, and one stopped
 * at a saved state after its second report and resumed by a fresh trainer ends bit for bit where the
 * uninterrupted run ends. A threaded run's state holds the learner only (its actors are mid-unroll):
 * resumed, the learner's books continue and its actors start new episodes.
 */
class ImpalaResumeTest {
    private static final ImpalaConfig CONFIG = ImpalaConfig.cartPole(2).withTotalTimesteps(2_400); // 30 updates of 4 × 20 steps

    @TempDir
    Path dir;

    @Test
    void anInlineRunRepeatsAndResumesBitForBit() throws IOException {
        Impala whole = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        TrainingResult expected = whole.trainInline(Double.POSITIVE_INFINITY, 20, 500, null);
        Impala again = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        assertEquals(expected.episodeReturns(), again.trainInline(Double.POSITIVE_INFINITY, 20, 500, null).episodeReturns());
        ResumeChecks.assertSameWeights(whole.model(), again.model());
        assertArrayEquals(new long[] {60, 60}, whole.counters().trajectoriesPerActor());
        assertEquals(30, whole.counters().updates());

        Path state = dir.resolve("state.safetensors");
        Impala first = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        assertThrows(ResumeChecks.Killed.class, () -> first.trainInline(Double.POSITIVE_INFINITY, 20, 500, ResumeChecks.saveThenKillAt(2, () -> first.saveState(state))));
        Impala resumed = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 3);
        resumed.resume(state);
        assertEquals(1_120, resumed.steps()); // reports come with the first update 500 steps past the last: 560, 1,120
        TrainingResult actual = resumed.trainInline(Double.POSITIVE_INFINITY, 20, 500, null);
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.episodeReturns(), actual.episodeReturns());
        assertEquals(expected.episodeEndSteps(), actual.episodeEndSteps());
        ResumeChecks.assertSameWeights(whole.model(), resumed.model());
        assertArrayEquals(whole.counters().trajectoriesPerActor(), resumed.counters().trajectoriesPerActor());
        assertEquals(whole.counters().meanStaleness(), resumed.counters().meanStaleness());
        assertEquals(whole.counters().updates(), resumed.counters().updates());
    }

    @Test
    void aThreadedRunResumesWithTheLearnersBooksAndFreshEpisodes() throws IOException {
        ImpalaConfig config = ImpalaConfig.cartPole(1).withTotalTimesteps(1_600);
        Path state = dir.resolve("threads.safetensors");
        Impala first = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), config, 5);
        assertThrows(ResumeChecks.Killed.class, () -> first.train(Double.POSITIVE_INFINITY, 20, 400, ResumeChecks.saveThenKillAt(2, () -> first.saveState(state))));
        Impala resumed = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), config, 5);
        resumed.resume(state);
        long at = resumed.steps();
        assertTrue(at >= 800 && at < 1_600, "resumed at " + at);
        var saved = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), config, 5);
        saved.resume(state);
        ResumeChecks.assertSameWeights(saved.model(), resumed.model());
        TrainingResult r = resumed.train(Double.POSITIVE_INFINITY, 20, 400, null);
        assertEquals(1_600, r.steps());
        assertEquals(20, resumed.counters().updates(), "updates continue from the saved count: 1,600 / 80");
        assertEquals(20, resumed.counters().trajectoriesPerActor()[0] / 4);
        assertTrue(r.episodeEndSteps().stream().filter(s -> s <= at).count() > 0, "the saved episodes are kept");
    }

    @Test
    void aStateFromAnotherRunIsRefusedNamingTheField() throws IOException {
        Path state = dir.resolve("state.safetensors");
        Impala run = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), ImpalaConfig.cartPole(2).withTotalTimesteps(160), 3);
        run.trainInline(Double.POSITIVE_INFINITY, 20, 500, null);
        run.saveState(state);
        Impala otherSeed = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), ImpalaConfig.cartPole(2).withTotalTimesteps(160), 4);
        var e = assertThrows(IllegalArgumentException.class, () -> otherSeed.resume(state));
        assertTrue(e.getMessage().contains("rl.seed is 3, this run has 4"), e.getMessage());
        Impala otherActors = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), ImpalaConfig.cartPole(3).withTotalTimesteps(160), 3);
        e = assertThrows(IllegalArgumentException.class, () -> otherActors.resume(state));
        assertTrue(e.getMessage().contains("rl.config is ImpalaConfig[numActors=2"), e.getMessage());
    }
}
