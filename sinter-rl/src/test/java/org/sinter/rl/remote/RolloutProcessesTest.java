package org.sinter.rl.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.apex.Apex;
import org.sinter.rl.apex.ApexConfig;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.impala.Impala;
import org.sinter.rl.impala.ImpalaConfig;

/**
 * IMPALA and Ape-X with two actor processes on CartPole: experience reaches the learner from both
 * processes, and the learner's weights reach both (each process acted with weights from a later
 * update than the initial ones). The time bound covers two JVM starts on a loaded machine.
 */
class RolloutProcessesTest {
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void apexActorProcessesSendExperienceAndGetWeights() {
        // 3 000 steps after learning starts: on a loaded machine one JVM may start seconds after the other.
        ApexConfig config = ApexConfig.cartPole(2).withTotalTimesteps(4_000).withLearningStarts(1_000).withEvaluation(1, 4_000);
        Apex apex = new Apex(() -> Envs.makeDiscrete("CartPole-v1"), config, 3);
        TrainingResult r = apex.train(Placement.PROCESSES, Double.POSITIVE_INFINITY, 20, 1_000, null);
        Apex.Counters c = apex.counters();
        assertTrue(c.envSteps() >= 4_000 && r.steps() == c.envSteps(), "env steps " + c.envSteps());
        assertEquals(c.envSteps(), Arrays.stream(c.stepsPerActor()).sum());
        for (long steps : c.stepsPerActor()) assertTrue(steps > 0 && steps % config.chunkSize() == 0, "whole chunks from each process: " + steps);
        assertTrue(c.updates() > 0 && c.replaySize() > 0, "updates " + c.updates() + ", replay " + c.replaySize());
        for (long v : c.policyVersionPerActor()) assertTrue(v > 0, "each process acted with broadcast weights: " + Arrays.toString(c.policyVersionPerActor()));
        for (double ret : c.behaviourReturns()) assertTrue(ret >= 1 && ret <= 500, "CartPole returns: " + ret);
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void impalaActorProcessesSendTrajectoriesAndGetWeights() {
        ImpalaConfig config = ImpalaConfig.cartPole(2).withTotalTimesteps(2_000);
        Impala impala = new Impala(() -> Envs.makeDiscrete("CartPole-v1"), config, 3);
        TrainingResult r = impala.train(Placement.PROCESSES, Double.POSITIVE_INFINITY, 20, 1_000, null);
        Impala.Counters c = impala.counters();
        assertEquals(c.updates() * config.batchTrajectories() * config.unrollLength(), c.envSteps());
        assertEquals(c.envSteps(), r.steps());
        for (long n : c.trajectoriesPerActor()) assertTrue(n > 0, "trajectories from each process: " + Arrays.toString(c.trajectoriesPerActor()));
        for (long v : c.policyVersionPerActor()) assertTrue(v > 0, "each process acted with broadcast weights: " + Arrays.toString(c.policyVersionPerActor()));
        assertTrue(r.episodes() > 0 && r.episodeReturns().stream().allMatch(x -> x >= 1 && x <= 500), "CartPole returns " + r.episodeReturns());
    }

    @Test
    void processesNeedARegisteredEnvironment() {
        Apex apex = new Apex(() -> org.sinter.rl.TestCartPole.named("MyCartPole"), ApexConfig.cartPole(1), 1);
        var e = assertThrows(IllegalArgumentException.class, () -> apex.train(Placement.PROCESSES, 0, 20, 1_000, null));
        assertTrue(e.getMessage().contains("MyCartPole is not one of"), e.getMessage());
    }
}
