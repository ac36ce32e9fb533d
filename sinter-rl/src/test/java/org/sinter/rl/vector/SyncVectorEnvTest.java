package org.sinter.rl.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sinter.rl.envs.CartPole;
import org.sinter.rl.envs.Envs;

class SyncVectorEnvTest {
    @Test
    void copiesAreSeededWithSeedPlusIndexLikeSingleEnvironments() {
        SyncVectorEnv<double[], Integer> v = new SyncVectorEnv<>(() -> Envs.makeDiscrete("CartPole-v1"), 3);
        List<double[]> obs = v.reset(10);
        for (int i = 0; i < 3; i++) assertArrayEquals(new CartPole().reset(10 + i).observation(), obs.get(i), 0.0);
    }

    @Test
    void autoResetsAnEndedCopyInTheSameStepAndKeepsItsFinalObservation() {
        SyncVectorEnv<double[], Integer> v = new SyncVectorEnv<>(() -> Envs.makeDiscrete("CartPole-v1"), 2);
        v.reset(0);
        // Always pushing right topples the pole within a few dozen steps.
        CartPole reference = new CartPole();
        reference.reset(0);
        int episodeLength = 0;
        while (!reference.step(1).terminated()) episodeLength++;
        episodeLength++;
        VectorStep<double[]> step = null;
        for (int t = 0; t < episodeLength; t++) {
            step = v.step(Collections.nCopies(2, 1));
            if (t < episodeLength - 1) assertNull(step.finalObservations().get(0), "step " + t);
        }
        assertTrue(step.terminated()[0]);
        assertNotNull(step.finalObservations().get(0));
        assertArrayEquals(reference.state(), step.finalObservations().get(0), 1e-6);
        double[] next = step.observations().get(0);
        for (double x : next) assertTrue(Math.abs(x) <= 0.05, "the returned observation starts a new episode");
        // The copy keeps running after its automatic reset.
        assertEquals(2, v.step(List.of(0, 0)).observations().size());
    }

    @Test
    void wrongNumberOfActionsIsAnError() {
        SyncVectorEnv<double[], Integer> v = new SyncVectorEnv<>(() -> Envs.makeDiscrete("CartPole-v1"), 2);
        v.reset(0);
        var e = assertThrows(IllegalArgumentException.class, () -> v.step(List.of(0)));
        assertTrue(e.getMessage().contains("CartPole-v1"), e.getMessage());
    }
}
