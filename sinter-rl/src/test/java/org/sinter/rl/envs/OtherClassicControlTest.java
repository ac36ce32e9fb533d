package org.sinter.rl.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.rl.Env;
import org.sinter.rl.StepResult;

/** Acrobot, MountainCar (both) and Pendulum against an independent transcription of Gymnasium's equations. */
class OtherClassicControlTest {
    @Test
    void acrobotRk4StepsMatchTheBookDynamics() {
        Acrobot env = new Acrobot();
        env.reset(0);
        env.setState(0.05, -0.03, 0.02, -0.01);
        StepResult<double[]> r = env.step(2);
        assertArrayEquals(new double[] {0.033939211630615466, 0.0101677904243258, -0.17583183080297707, 0.40177497965573855}, env.state(), 1e-12);
        assertEquals(-1.0, r.reward());
        assertFalse(r.terminated());
        env.step(0);
        assertArrayEquals(new double[] {0.01007034752194928, 0.05437330724527259, -0.05687869878066677, 0.029454121158960622}, env.state(), 1e-12);
        double[] observation = env.step(1).observation();
        double[] s = env.state();
        assertArrayEquals(new double[] {(float) Math.cos(s[0]), (float) Math.sin(s[0]), (float) Math.cos(s[1]), (float) Math.sin(s[1]), (float) s[2], (float) s[3]},
                observation, 0.0);
    }

    @Test
    void acrobotTerminatesAboveTheBarWithRewardZeroAndWrapsAngles() {
        Acrobot env = new Acrobot();
        env.reset(0);
        env.setState(Math.PI, 0, 0, 0); // both links straight up: height 2 > 1, and stays there for one step
        StepResult<double[]> r = env.step(1);
        assertTrue(r.terminated());
        assertEquals(0.0, r.reward());
        assertEquals(Math.PI - 0.5, Acrobot.wrap(-Math.PI - 0.5 + 2 * Math.PI * 2, -Math.PI, Math.PI), 1e-12);
    }

    @Test
    void mountainCarStepsAndTheInelasticLeftWall() {
        MountainCar env = new MountainCar();
        env.reset(0);
        env.setState(-0.5, 0);
        double[][] expected = {{-0.49917684300416926, 0.0008231569958307428}, {-0.49753668667935325, 0.0016401563248160246},
            {-0.4970917969323474, 0.00044488974700586273}};
        int[] actions = {2, 2, 0};
        for (int t = 0; t < 3; t++) {
            assertEquals(-1.0, env.step(actions[t]).reward());
            assertArrayEquals(expected[t], env.state(), 1e-15, "step " + t);
        }
        env.setState(-1.19, -0.05);
        env.step(0);
        assertArrayEquals(new double[] {-1.2, 0}, env.state(), 0.0);
        env.setState(0.49, 0.02);
        assertTrue(env.step(1).terminated());
        double[] start = env.reset(9).observation();
        assertTrue(start[0] >= -0.6 && start[0] < -0.4 && start[1] == 0);
    }

    @Test
    void continuousMountainCarClipsTheForceButChargesTheGivenAction() {
        ContinuousMountainCar env = new ContinuousMountainCar();
        env.reset(0);
        env.setState(-0.5, 0);
        StepResult<double[]> r = env.step(new double[] {3.0});
        double v = 1.0 * 0.0015 - 0.0025 * Math.cos(-1.5);
        assertArrayEquals(new double[] {-0.5 + v, v}, env.state(), 1e-15);
        assertEquals(-0.9, r.reward(), 1e-15);
        env.setState(0.44, 0.02);
        StepResult<double[]> goal = env.step(new double[] {0.5});
        assertTrue(goal.terminated());
        assertEquals(100 - 0.025, goal.reward(), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> env.step(new double[] {0, 1}));
        assertTrue(e.getMessage().contains("MountainCarContinuous-v0"), e.getMessage());
    }

    @Test
    void pendulumStepsRewardTheStateBeforeTheStepAndClipTorque() {
        Pendulum env = new Pendulum();
        env.reset(0);
        env.setState(3.0, 0.5);
        StepResult<double[]> r = env.step(new double[] {1.5});
        assertArrayEquals(new double[] {3.041542000302245, 0.8308400060449004}, env.state(), 1e-12);
        assertEquals(-9.02725, r.reward(), 1e-12);
        r = env.step(new double[] {-3.0});
        assertArrayEquals(new double[] {3.071829643732646, 0.6057528686080214}, env.state(), 1e-12);
        assertEquals(-9.324007251167052, r.reward(), 1e-12);
        assertEquals(-Math.PI + 0.1, Pendulum.angleNormalize(Math.PI + 0.1), 1e-12);
        assertEquals(Math.PI - 0.1, Pendulum.angleNormalize(-Math.PI - 0.1), 1e-12);
    }

    @Test
    void pendulumNeverTerminatesAndTruncatesAtTwoHundred() {
        Env<double[], double[]> env = Envs.makeContinuous("Pendulum-v1");
        env.reset(5);
        for (int t = 0; t < 200; t++) {
            StepResult<double[]> r = env.step(new double[] {0});
            assertFalse(r.terminated());
            assertEquals(t == 199, r.truncated());
        }
    }

    @Test
    void makeKnowsTheIdsAndRejectsOthers() {
        for (String id : new String[] {"CartPole-v1", "Acrobot-v1", "MountainCar-v0"}) assertEquals(id, Envs.makeDiscrete(id).id());
        for (String id : new String[] {"MountainCarContinuous-v0", "Pendulum-v1"}) assertEquals(id, Envs.makeContinuous(id).id());
        var e = assertThrows(IllegalArgumentException.class, () -> Envs.makeDiscrete("Pendulum-v1"));
        assertTrue(e.getMessage().contains("Pendulum-v1"));
    }
}
