package org.sinter.rl.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.Tensor;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.a2c.A2c;
import org.sinter.rl.a2c.A2cConfig;
import org.sinter.rl.envs.Envs;
import org.sinter.rl.vector.VectorMode;

/** PPO and A2C learn the same, bit for bit, whichever way their environment copies are stepped. */
class VectorModesTest {
    private static void assertSameWeights(Map<String, Tensor> want, Map<String, Tensor> got) {
        assertEquals(want.keySet(), got.keySet());
        want.forEach((k, v) -> assertArrayEquals(v.contiguous().toFloatArray(), got.get(k).contiguous().toFloatArray(), k));
    }

    private record Run(TrainingResult result, Map<String, Tensor> weights) {}

    private static Run ppo(VectorMode vector) {
        PpoConfig config = PpoConfig.cartPole().withNumEnvs(2).withTotalTimesteps(1_024); // two updates of 2 copies × 256 steps
        try (Ppo ppo = new Ppo(() -> Envs.makeDiscrete("CartPole-v1"), config, 7, vector)) {
            return new Run(ppo.train(Double.POSITIVE_INFINITY, 20, null), ppo.model().stateDict());
        }
    }

    private static Run a2c(VectorMode vector) {
        try (A2c a2c = new A2c(() -> Envs.makeDiscrete("CartPole-v1"), A2cConfig.cartPole().withNumEnvs(3).withTotalTimesteps(1_500), 5, vector)) {
            return new Run(a2c.train(Double.POSITIVE_INFINITY, 20, 1_000, null), a2c.model().stateDict());
        }
    }

    private static Run continuousPpo(VectorMode vector) {
        PpoConfig config = PpoConfig.pendulum().withNumEnvs(2).withTotalTimesteps(2 * PpoConfig.pendulum().numSteps());
        try (ContinuousPpo ppo = new ContinuousPpo(() -> Envs.makeContinuous("Pendulum-v1"), config, 3, vector)) {
            return new Run(ppo.train(Double.POSITIVE_INFINITY, 10, null), ppo.model().stateDict());
        }
    }

    @Test
    @Timeout(240) // a hang guard: JVMs start, on a loaded machine
    void seededRunsAreTheSameSyncAsyncAndInProcesses() {
        Run sync = ppo(VectorMode.SYNC);
        assertTrue(sync.result().episodes() > 20, "episodes " + sync.result().episodes());
        for (VectorMode mode : new VectorMode[] {VectorMode.ASYNC, VectorMode.PROCESS}) {
            Run other = ppo(mode);
            assertEquals(sync.result().episodeReturns(), other.result().episodeReturns(), mode.toString());
            assertEquals(sync.result().steps(), other.result().steps(), mode.toString());
            assertSameWeights(sync.weights(), other.weights());
        }
        Run a2cSync = a2c(VectorMode.SYNC), a2cProcess = a2c(VectorMode.PROCESS);
        assertEquals(a2cSync.result().episodeReturns(), a2cProcess.result().episodeReturns());
        assertSameWeights(a2cSync.weights(), a2cProcess.weights());
        Run gaussianSync = continuousPpo(VectorMode.SYNC), gaussianProcess = continuousPpo(VectorMode.PROCESS);
        assertEquals(gaussianSync.result().episodeReturns(), gaussianProcess.result().episodeReturns());
        assertSameWeights(gaussianSync.weights(), gaussianProcess.weights());
    }
}
