package org.sinter.rl.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sinter.rl.envs.Envs;

class AsyncVectorEnvTest {
    @Test
    void aSeededRunGivesExactlySyncVectorEnvsTrajectories() {
        int n = 4;
        SyncVectorEnv<double[], Integer> sync = new SyncVectorEnv<>(() -> Envs.makeDiscrete("CartPole-v1"), n);
        try (AsyncVectorEnv<double[], Integer> async = new AsyncVectorEnv<>(() -> Envs.makeDiscrete("CartPole-v1"), n, 3)) {
            List<double[]> a = sync.reset(7), b = async.reset(7);
            for (int i = 0; i < n; i++) assertArrayEquals(a.get(i), b.get(i), 0.0);
            Random actions = new Random(1);
            int episodesEnded = 0;
            for (int t = 0; t < 400; t++) {
                List<Integer> act = new ArrayList<>();
                for (int i = 0; i < n; i++) act.add(actions.nextInt(2));
                VectorStep<double[]> s = sync.step(act), r = async.step(act);
                for (int i = 0; i < n; i++) {
                    String at = "step " + t + " copy " + i;
                    assertArrayEquals(s.observations().get(i), r.observations().get(i), 0.0, at);
                    assertEquals(s.rewards()[i], r.rewards()[i], at);
                    assertEquals(s.terminated()[i], r.terminated()[i], at);
                    assertEquals(s.truncated()[i], r.truncated()[i], at);
                    if (s.done(i)) {
                        episodesEnded++;
                        assertArrayEquals(s.finalObservations().get(i), r.finalObservations().get(i), 0.0, at);
                    } else {
                        assertEquals(null, r.finalObservations().get(i), at);
                    }
                }
            }
            assertTrue(episodesEnded > 10, "random CartPole episodes end within 400 steps, so auto-reset is exercised");
        }
    }

    @Test
    void wrongNumberOfActionsAndABadActionAreClearErrors() {
        try (AsyncVectorEnv<double[], Integer> v = new AsyncVectorEnv<>(() -> Envs.makeDiscrete("CartPole-v1"), 2)) {
            v.reset(0);
            var e = assertThrows(IllegalArgumentException.class, () -> v.step(List.of(0)));
            assertTrue(e.getMessage().contains("AsyncVectorEnv(CartPole-v1)"), e.getMessage());
            // An error inside a copy's thread reaches the caller as itself.
            assertThrows(RuntimeException.class, () -> v.step(List.of(0, 5)));
        }
    }
}
