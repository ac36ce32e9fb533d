package org.sinter.rl.vector;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            Random actions = new Random(1);
            int episodesEnded = VectorChecks.assertSameTrajectories(sync, async, 7, 400, () -> actions.nextInt(2));
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
