package org.sinter.rl.apex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.rl.Env;
import org.sinter.rl.ResetResult;
import org.sinter.rl.StepResult;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.spaces.Space;

class ApexTest {
    /** A small run: 2 actors, learning after 1,000 rows, greedy evaluations of 2 episodes every 1,000 steps. */
    private static ApexConfig small(int actors, long steps) {
        return ApexConfig.cartPole(actors).withTotalTimesteps(steps).withLearningStarts(1_000).withEvaluation(2, 1_000);
    }

    @Test
    void actorEpsilonsFollowThePaper() {
        ApexConfig c = ApexConfig.cartPole(4);
        assertEquals(0.4, c.epsilon(0), 1e-15);
        assertEquals(Math.pow(0.4, 1 + 7.0 / 3), c.epsilon(1), 1e-15);
        assertEquals(Math.pow(0.4, 1 + 14.0 / 3), c.epsilon(2), 1e-15);
        assertEquals(Math.pow(0.4, 8), c.epsilon(3), 1e-15);
        assertEquals(0.4, ApexConfig.cartPole(1).epsilon(0));
        assertThrows(IndexOutOfBoundsException.class, () -> c.epsilon(4));
    }

    @Test
    void inlineSeededRunsRepeatExactly() {
        Apex a = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), small(2, 3_000), 4);
        TrainingResult ra = a.trainInline(Double.POSITIVE_INFINITY, 20, 1_000, null);
        Apex b = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), small(2, 3_000), 4);
        TrainingResult rb = b.trainInline(Double.POSITIVE_INFINITY, 20, 1_000, null);
        assertEquals(ra.episodeReturns(), rb.episodeReturns());
        assertEquals(a.counters().updates(), b.counters().updates());
        assertArrayEquals(a.counters().behaviourReturns(), b.counters().behaviourReturns());
        a.qNetwork().stateDict().forEach((k, v) -> assertArrayEquals(v.contiguous().toFloatArray(), b.qNetwork().stateDict().get(k).contiguous().toFloatArray(), k));
        Apex c = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), small(2, 3_000), 5);
        c.trainInline(Double.POSITIVE_INFINITY, 20, 1_000, null);
        assertNotEquals(a.counters().behaviourReturns()[0], c.counters().behaviourReturns()[0]);
    }

    @Test
    void inlineBookkeepingHoldsTheReplayRatio() {
        ApexConfig config = small(2, 3_000);
        Apex apex = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), config, 4);
        TrainingResult r = apex.trainInline(Double.POSITIVE_INFINITY, 20, 1_000, null);
        Apex.Counters c = apex.counters();
        assertEquals(3_000, c.envSteps());
        assertEquals(r.steps(), c.envSteps());
        assertArrayEquals(new long[] {1_500, 1_500}, c.stepsPerActor());
        // One update per 4 steps after the first 1,000, plus the first: (3,000 - 1,000)/4 + 1.
        assertEquals(501, c.updates());
        // 3 evaluations (at 1,000, 2,000, 3,000 steps) of 2 greedy episodes each.
        assertEquals(6, r.episodes());
        // n-step rows trail the steps by at most n - 1 per actor.
        assertTrue(c.replaySize() <= 3_000 && c.replaySize() >= 3_000 - 2 * 2, "replay " + c.replaySize());
        // Weights are published every 10 updates and picked up every 400 actor steps: a chunk's policy is at most ~(400/50)·2·... behind.
        assertTrue(c.meanStaleness() >= 0 && c.meanStaleness() <= c.maxStaleness(), c.meanStaleness() + " vs " + c.maxStaleness());
        assertTrue(c.maxStaleness() > 0 && c.maxStaleness() <= 200, "max staleness " + c.maxStaleness());
    }

    @Test
    @Timeout(400) // a hang guard for a loaded machine, not a speed test
    void inlineApexLearnsCartPole() {
        // Seed 1, 2 actors (ε 0.4 and 0.0007), CartPole's settings: the greedy evaluations start near a random policy's ~20 and
        // the last 20 evaluation episodes average above 150 well within 40,000 steps (seed 1 measured: 163 at 20,000).
        Apex apex = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), ApexConfig.cartPole(2).withTotalTimesteps(40_000), 1);
        TrainingResult r = apex.trainInline(150, 20, 5_000, null);
        assertTrue(r.episodeReturns().getFirst() < 100, "first greedy episode " + r.episodeReturns().getFirst());
        assertTrue(r.stepsToThreshold() > 0, "greedy mean after 40,000 steps: " + r.meanReturn());
    }

    @Test
    @Timeout(300) // a hang guard, not a speed test
    void threadedRunKeepsItsBooks() {
        ApexConfig config = small(2, 4_000);
        Apex apex = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), config, 2);
        TrainingResult r = apex.train(Double.POSITIVE_INFINITY, 20, 1_000, null);
        Apex.Counters c = apex.counters();
        assertTrue(c.envSteps() >= 4_000, "env steps " + c.envSteps());
        assertEquals(r.steps(), c.envSteps());
        // Each actor's steps are whole chunks; the actors' sum is at least what the learner had seen (a chunk may land after its last look).
        long sum = 0;
        for (long s : c.stepsPerActor()) {
            assertEquals(0, s % config.chunkSize(), "steps " + s);
            sum += s;
        }
        assertTrue(sum >= c.envSteps(), sum + " vs " + c.envSteps());
        // The learner never runs ahead of the replay ratio.
        assertTrue(c.updates() >= 1 && c.updates() <= (c.envSteps() - config.learningStarts()) / config.stepsPerUpdate() + 1, "updates " + c.updates());
        assertTrue(c.meanStaleness() >= 0 && c.meanStaleness() <= c.maxStaleness());
        assertTrue(r.episodes() >= 2 * 3, "evaluation episodes " + r.episodes());
        for (double ret : r.episodeReturns()) assertTrue(ret >= 8 && ret <= 500, "CartPole return " + ret);
    }

    @Test
    @Timeout(120) // a hang guard: the failure must end the run, not stall it
    void anActorsFailureEndsTheRunWithItsMessage() {
        boolean[] first = {true};
        Apex apex = new Apex(() -> {
            if (first[0]) {
                first[0] = false;
                return Envs.makeDiscrete("CartPole-v1");
            }
            return org.sinter.rl.TestCartPole.failingAt(5);
        }, small(2, 4_000), 2);
        var e = assertThrows(IllegalStateException.class, () -> apex.train(Double.POSITIVE_INFINITY, 20, 1_000, null));
        assertTrue(e.getMessage().contains("simulator crashed"), e.getMessage());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"}) // a continuous environment smuggled past the generic type
    void continuousActionsAreRefused() {
        java.util.function.Supplier pendulum = () -> Envs.makeContinuous("Pendulum-v1");
        var e = assertThrows(IllegalArgumentException.class, () -> new Apex(pendulum, small(1, 1_000), 1));
        assertTrue(e.getMessage().contains("Pendulum-v1 needs a Box observation space and a Discrete action space"), e.getMessage());
    }
}
