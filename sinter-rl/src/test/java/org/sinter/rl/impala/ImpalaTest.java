package org.sinter.rl.impala;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.rl.Env;
import org.sinter.rl.ResetResult;
import org.sinter.rl.StepResult;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.spaces.Space;

/**
 * The actor/learner system's bookkeeping, which holds however the threads interleave (a run's
 * returns do not repeat exactly, so they are not asserted here; docs/rl.md has measured runs).
 */
@Timeout(300) // a hang guard, not a speed check
class ImpalaTest {
    @Test
    void countersAddUpAndEveryActorFeedsTheLearner() {
        ImpalaConfig config = ImpalaConfig.cartPole(2).withTotalTimesteps(4_000);
        Impala impala = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), config, 3);
        float[] before = impala.model().actor.parameters().getFirst().toFloatArray();
        TrainingResult r = impala.train(Double.POSITIVE_INFINITY, 20, 1_000, null);
        Impala.Counters c = impala.counters();
        int perUpdate = config.unrollLength() * config.batchTrajectories();
        assertEquals(4_000, r.steps(), "whole updates of 4 × 20 steps up to the budget");
        assertEquals(r.steps(), c.envSteps());
        assertEquals(r.steps() / perUpdate, c.updates());
        assertEquals(c.updates() * config.batchTrajectories(), Arrays.stream(c.trajectoriesPerActor()).sum());
        assertEquals(2, c.trajectoriesPerActor().length);
        assertTrue(c.meanStaleness() >= 0 && c.meanStaleness() <= c.maxStaleness(), c.toString());
        assertTrue(r.episodes() > 0, "CartPole episodes end within 4,000 steps of a fresh policy");
        for (double ret : r.episodeReturns()) assertTrue(ret >= 1 && ret <= 500, "a CartPole return: " + ret);
        assertFalse(Arrays.equals(before, impala.model().actor.parameters().getFirst().toFloatArray()), "the learner updated the policy");
    }

    @Test
    void anActorThatFailsStopsTheRunWithItsError() {
        AtomicInteger made = new AtomicInteger();
        Impala impala = new Impala(() -> made.getAndIncrement() == 0 ? Envs.makeDiscrete("CartPole-v1") : org.sinter.rl.TestCartPole.failingAt(5), ImpalaConfig.cartPole(1), 1);
        var e = assertThrows(IllegalStateException.class, () -> impala.train(Double.POSITIVE_INFINITY, 20, 1_000, null));
        assertTrue(e.getMessage().contains("an actor failed") && e.getMessage().contains("simulator crashed"), e.getMessage());
    }

    @Test
    void refusesContinuousActions() {
        @SuppressWarnings({"unchecked", "rawtypes"}) // a continuous-action env where a discrete one is declared: what Impala must refuse
        java.util.function.Supplier<Env<double[], Integer>> pendulum = (java.util.function.Supplier) () -> Envs.makeContinuous("Pendulum-v1");
        var e = assertThrows(IllegalArgumentException.class, () -> new Impala(pendulum, ImpalaConfig.cartPole(1), 1));
        assertTrue(e.getMessage().startsWith("Impala: Pendulum-v1 needs"), e.getMessage());
    }
}
