package org.sinter.rl.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.rl.Env;
import org.sinter.rl.StepResult;

class CartPoleTest {
    @Test
    void firstStepFromRestMatchesTheEquationsWorkedByHand() {
        // From rest, pushing right: temp = F/(m_c+m_p) = 100/11; the denominator l(4/3 − m_p/(m_c+m_p)) = 41/66,
        // so θ̈ = −(100/11)(66/41) = −600/41 and ẍ = 100/11 + m_p l (600/41)/(m_c+m_p) = 4400/451.
        // Euler: x and θ move with the old (zero) velocities.
        CartPole env = new CartPole();
        env.reset(0);
        env.setState(0, 0, 0, 0);
        StepResult<double[]> r = env.step(1);
        assertArrayEquals(new double[] {0, 0.02 * 4400 / 451, 0, -0.02 * 600 / 41}, env.state(), 1e-15);
        assertEquals(1.0, r.reward());
        assertFalse(r.terminated());
        assertFalse(r.truncated());
    }

    @Test
    void threeStepsMatchAnIndependentTranscriptionOfGymnasium() {
        // Expected values from tools-free Python floats running Gymnasium's cartpole.py equations.
        CartPole env = new CartPole();
        env.reset(0);
        env.setState(0.01, -0.02, 0.03, 0.04);
        double[][] expected = {
            {0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081},
            {0.013093583914951107, -0.020868848948191993, 0.025938625640799837, 0.0591679999394166},
            {0.012676206935987267, 0.1738717748734813, 0.02712198563958817, -0.22521957255967326}};
        int[] actions = {1, 0, 1};
        for (int t = 0; t < 3; t++) {
            StepResult<double[]> r = env.step(actions[t]);
            assertArrayEquals(expected[t], env.state(), 1e-12, "step " + t);
            for (int i = 0; i < 4; i++) assertEquals((float) expected[t][i], r.observation()[i], 0.0, "observations are float32");
        }
    }

    @Test
    void terminatesPastTheAngleAndPositionThresholdsAndRefusesFurtherSteps() {
        CartPole env = new CartPole();
        env.reset(0);
        env.setState(0, 0, CartPole.THETA_THRESHOLD_RADIANS - 1e-4, 1.0);
        StepResult<double[]> r = env.step(1);
        assertTrue(r.terminated());
        assertEquals(1.0, r.reward(), "the terminating step is rewarded too (v1)");
        assertThrows(IllegalStateException.class, () -> env.step(0));
        env.reset(1);
        env.setState(2.4, 1.0, 0, 0);
        assertTrue(env.step(1).terminated());
        env.reset(1);
        env.setState(2.39, 0.1, 0, 0);
        assertFalse(env.step(1).terminated(), "x = 2.392 is inside the bound");
    }

    @Test
    void seededResetRepeatsExactlyAndDrawsWithinFiveHundredths() {
        CartPole a = new CartPole(), b = new CartPole();
        double[] first = a.reset(42).observation();
        assertArrayEquals(first, b.reset(42).observation(), 0.0);
        for (double v : a.state()) assertTrue(Math.abs(v) <= 0.05);
        double[] second = a.reset().observation();
        assertArrayEquals(second, b.reset().observation(), 0.0, "unseeded resets continue the same stream");
        assertFalse(java.util.Arrays.equals(first, second));
        assertFalse(java.util.Arrays.equals(first, new CartPole().reset(43).observation()));
    }

    @Test
    void invalidActionNamesTheEnvironmentAndTheSpace() {
        CartPole env = new CartPole();
        env.reset(0);
        var e = assertThrows(IllegalArgumentException.class, () -> env.step(2));
        assertTrue(e.getMessage().contains("CartPole-v1") && e.getMessage().contains("Discrete(2)"), e.getMessage());
    }

    @Test
    void timeLimitTruncatesAtFiveHundredSteps() {
        Env<double[], Integer> env = Envs.makeDiscrete("CartPole-v1");
        env.reset(3);
        TimeLimit<double[], Integer> limit = (TimeLimit<double[], Integer>) env;
        CartPole inner = (CartPole) limit.unwrapped();
        StepResult<double[]> r = null;
        for (int t = 0; t < 500; t++) {
            inner.setState(0, 0, 0, 0); // hold the pole upright so only the limit can end the episode
            r = env.step(t % 2);
            assertFalse(r.terminated());
            assertEquals(t == 499, r.truncated(), "step " + t);
        }
        assertTrue(r.done());
        assertThrows(IllegalStateException.class, () -> env.step(0));
        env.reset();
        assertFalse(env.step(0).done());
    }
}
