package org.sinter.rl.apex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sinter.rl.ResumeChecks;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.remote.Placement;

/**
 * Ape-X's inline run stopped at a saved state after its second report and resumed by a fresh trainer
 * ends bit for bit where the uninterrupted run ends: evaluation returns, updates, behaviour returns,
 * replay size and weights (the replay's rows and priorities, the actors' networks, streams,
 * environments and pending n-step starts, and the learner's stream all carry over). A threaded
 * run's state holds the learner and replay: resumed, its books continue and its actors start anew.
 */
class ApexResumeTest {
    private static final ApexConfig CONFIG = ApexConfig.cartPole(2).withTotalTimesteps(3_000).withLearningStarts(1_000).withEvaluation(2, 1_000);

    @TempDir
    Path dir;

    @Test
    @Timeout(300) // a hang guard for a loaded machine
    void anInlineRunResumesBitForBit() throws IOException {
        Apex whole = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 4);
        TrainingResult expected = whole.trainInline(Double.POSITIVE_INFINITY, 20, 1_000, null);

        Path state = dir.resolve("state.safetensors");
        Apex first = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 4);
        assertThrows(ResumeChecks.Killed.class, () -> first.trainInline(Double.POSITIVE_INFINITY, 20, 1_000, ResumeChecks.saveThenKillAt(2, () -> first.saveState(state))));
        Apex resumed = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), CONFIG, 4);
        resumed.resume(state);
        assertEquals(2_000, resumed.steps());
        TrainingResult actual = resumed.trainInline(Double.POSITIVE_INFINITY, 20, 1_000, null);
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.episodeReturns(), actual.episodeReturns());
        assertEquals(6, actual.episodeReturns().size(), "3 evaluations of 2 episodes, 2 of them before the resume");
        Apex.Counters w = whole.counters(), r = resumed.counters();
        assertEquals(w.updates(), r.updates());
        assertEquals(w.replaySize(), r.replaySize());
        assertArrayEquals(w.behaviourReturns(), r.behaviourReturns());
        assertArrayEquals(w.stepsPerActor(), r.stepsPerActor());
        assertEquals(w.meanStaleness(), r.meanStaleness());
        assertEquals(w.meanSampleAge(), r.meanSampleAge());
        ResumeChecks.assertSameWeights(whole.qNetwork(), resumed.qNetwork());
    }

    @Test
    @Timeout(300)
    void aThreadedRunResumesWithItsLearnerAndReplay() throws IOException {
        ApexConfig config = ApexConfig.cartPole(1).withTotalTimesteps(2_000).withLearningStarts(500).withEvaluation(1, 500);
        Path state = dir.resolve("threads.safetensors");
        Apex first = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), config, 6);
        assertThrows(ResumeChecks.Killed.class, () -> first.train(Double.POSITIVE_INFINITY, 20, 500, ResumeChecks.saveThenKillAt(2, () -> first.saveState(state))));
        Apex resumed = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), config, 6);
        resumed.resume(state);
        long at = resumed.steps();
        int rows = resumed.replay().size();
        assertTrue(at >= 1_000 && at < 2_000 && rows > 0, "resumed at " + at + " with " + rows + " rows");
        TrainingResult result = resumed.train(Double.POSITIVE_INFINITY, 20, 500, null);
        assertTrue(result.steps() >= 2_000, "steps " + result.steps());
        assertTrue(resumed.counters().replaySize() > rows, "the replay kept its rows and grew");
        assertTrue(resumed.counters().updates() >= (at - 500) / 4, "updates continue from the saved count: " + resumed.counters().updates());
    }

    @Test
    void statesFromAnotherRunOrWithAReplayProcessAreRefused() throws IOException {
        Path state = dir.resolve("state.safetensors");
        ApexConfig small = ApexConfig.cartPole(1).withTotalTimesteps(200).withLearningStarts(100).withEvaluation(1, 100);
        Apex run = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), small, 3);
        run.trainInline(Double.POSITIVE_INFINITY, 20, 100, null);
        run.saveState(state);
        Apex otherSeed = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), small, 4);
        var e = assertThrows(IllegalArgumentException.class, () -> otherSeed.resume(state));
        assertTrue(e.getMessage().contains("rl.seed is 3, this run has 4"), e.getMessage());
        try (Apex remote = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), small, 3, Placement.PROCESSES)) {
            var p = assertThrows(IllegalStateException.class, () -> remote.resume(state));
            assertTrue(p.getMessage().contains("a replay in another process cannot be restored"), p.getMessage());
        }
    }
}
