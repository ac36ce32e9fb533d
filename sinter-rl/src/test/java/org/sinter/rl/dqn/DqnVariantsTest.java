package org.sinter.rl.dqn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sinter.Generator;
import org.sinter.Sinter;
import org.sinter.Tensor;
import org.sinter.rl.TrainingResult;
import org.sinter.rl.envs.Envs;

@Timeout(300) // a hang guard, not a speed check
class DqnVariantsTest {
    @Test
    void sumTreeKeepsSumsAndMinimaAndFindsPrefixes() {
        SumTree t = new SumTree(5); // 8 leaves, 3 unused
        double[] p = {1, 0, 2, 0.5, 3};
        for (int i = 0; i < p.length; i++) t.set(i, p[i]);
        assertEquals(6.5, t.total(), 1e-12);
        assertEquals(0, t.min(), 0);
        // prefixes: [0,1) → 0, [1,3) → 2 (slot 1 has priority 0), [3,3.5) → 3, [3.5,6.5) → 4
        assertEquals(0, t.find(0));
        assertEquals(0, t.find(0.999));
        assertEquals(2, t.find(1.0));
        assertEquals(2, t.find(2.999));
        assertEquals(3, t.find(3.0));
        assertEquals(4, t.find(3.5));
        assertEquals(4, t.find(6.5), "at the total: the last leaf with a positive priority");
        t.set(4, 0.25);
        assertEquals(3.75, t.total(), 1e-12);
        t.set(1, 0.1);
        assertEquals(0.1, t.min(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> t.set(0, -1));
        assertThrows(IndexOutOfBoundsException.class, () -> t.set(5, 1));
    }

    @Test
    void sumTreeSamplesInProportionToPriority() {
        SumTree t = new SumTree(3);
        t.set(0, 1);
        t.set(1, 3);
        t.set(2, 6);
        int[] counts = new int[3];
        RandomGenerator g = new Generator(1).random();
        for (int k = 0; k < 100_000; k++) counts[t.find(g.nextDouble() * t.total())]++;
        assertEquals(0.1, counts[0] / 1e5, 0.01);
        assertEquals(0.3, counts[1] / 1e5, 0.01);
        assertEquals(0.6, counts[2] / 1e5, 0.01);
    }

    /** A replay that records what it is given. */
    private static final class Recording implements Replay {
        final List<double[]> rows = new ArrayList<>(); // obs[0], action, reward, next[0], terminated, horizon

        @Override
        public void add(double[] o, int a, double r, double[] next, boolean terminated, int horizon) {
            rows.add(new double[] {o[0], a, r, next[0], terminated ? 1 : 0, horizon});
        }

        @Override
        public Batch sample(int batchSize, RandomGenerator random, double progress) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int size() {
            return rows.size();
        }
    }

    @Test
    void nStepReturnsAreDiscountedSumsAndEpisodeEndsFlushShorterOnes() {
        Recording rec = new Recording();
        NStepAccumulator acc = new NStepAccumulator(3, 0.5, rec);
        // Episode 1: s0..s4, rewards 1, 2, 4, 8, terminated at the 4th step (s3 → s4).
        acc.add(new double[] {0}, 0, 1, new double[] {1}, false, false);
        acc.add(new double[] {1}, 1, 2, new double[] {2}, false, false);
        assertEquals(0, rec.rows.size(), "nothing before n steps");
        acc.add(new double[] {2}, 0, 4, new double[] {3}, false, false);
        acc.add(new double[] {3}, 1, 8, new double[] {4}, true, true);
        // Episode 2: one step, truncated.
        acc.add(new double[] {10}, 1, 5, new double[] {11}, false, true);
        double[][] expected = {
                {0, 0, 1 + 0.5 * 2 + 0.25 * 4, 3, 0, 3},  // s0 → s3, 3 steps
                {1, 1, 2 + 0.5 * 4 + 0.25 * 8, 4, 1, 3},  // s1 → s4 (terminal)
                {2, 0, 4 + 0.5 * 8, 4, 1, 2},             // s2 → s4, flushed with 2 steps
                {3, 1, 8, 4, 1, 1},                       // s3 → s4, 1 step
                {10, 1, 5, 11, 0, 1},                     // truncated: still bootstraps, after 1 step
        };
        assertEquals(expected.length, rec.rows.size());
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], rec.rows.get(i), 1e-12, "row " + i);
    }

    @Test
    void duelingHeadsCombineAsValuePlusCentredAdvantage() {
        Sinter.manualSeed(3);
        DuelingQNetwork q = new DuelingQNetwork(4, 3, 16);
        float[] out = q.forward(Tensor.of(new float[] {0.1f, -0.2f, 0.3f, 0.05f}, 1, 4)).toFloatArray();
        var sd = q.stateDict();
        // By hand: h = relu(W x + b); V = v·h + c; A = U h + d; Q = V + A − mean(A).
        float[] w = sd.get("trunk.0.weight").toFloatArray(), b = sd.get("trunk.0.bias").toFloatArray();
        float[] vw = sd.get("value.weight").toFloatArray(), vb = sd.get("value.bias").toFloatArray();
        float[] aw = sd.get("advantage.weight").toFloatArray(), ab = sd.get("advantage.bias").toFloatArray();
        double[] x = {0.1, -0.2, 0.3, 0.05}, h = new double[16], adv = new double[3];
        for (int i = 0; i < 16; i++) {
            double s = b[i];
            for (int k = 0; k < 4; k++) s += w[i * 4 + k] * x[k];
            h[i] = Math.max(0, s);
        }
        double v = vb[0], mean = 0;
        for (int i = 0; i < 16; i++) v += vw[i] * h[i];
        for (int a = 0; a < 3; a++) {
            adv[a] = ab[a];
            for (int i = 0; i < 16; i++) adv[a] += aw[a * 16 + i] * h[i];
            mean += adv[a] / 3;
        }
        for (int a = 0; a < 3; a++) assertEquals(v + adv[a] - mean, out[a], 1e-5);
    }

    @Test
    void prioritizedReplayFavoursLargeErrorsAndNewTransitionsGetTheMaximum() {
        PrioritizedReplayBuffer buf = new PrioritizedReplayBuffer(4, 1, 1.0, 0.4, 1e-6);
        for (int i = 0; i < 4; i++) buf.add(new double[] {i}, 0, 0, new double[] {i}, false, 1);
        for (int i = 0; i < 4; i++) assertEquals(0.25, buf.probability(i), 1e-12, "all new: equal");
        buf.updatePriorities(new int[] {0, 1, 2, 3}, new double[] {1, -9, 0, 0});
        assertEquals(0.9, buf.probability(1), 1e-6, "|δ| decides, not its sign");
        assertEquals(0.1, buf.probability(0), 1e-6);
        buf.add(new double[] {4}, 0, 0, new double[] {4}, false, 1); // overwrites slot 0 with the largest priority seen (9)
        assertEquals(0.5, buf.probability(0), 1e-6);
        assertEquals(0.4, buf.beta(0), 1e-12);
        assertEquals(0.7, buf.beta(0.5), 1e-12);
        assertEquals(1.0, buf.beta(2), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> DqnVariants.parse("dueling,noisy"));
        assertTrue(e.getMessage().contains("unknown DQN variant 'noisy'"), e.getMessage());
        assertEquals(new DqnVariants(true, 5, true, 0.6, 0.4, 1e-6), DqnVariants.parse("per, nstep5 ,dueling"));
        assertEquals("dueling,nstep3,per", DqnVariants.rainbowLite().toString());
    }

    @Test
    void seededRainbowLiteRunsRepeatExactly() {
        DqnConfig config = DqnConfig.cartPole().withTotalTimesteps(3_000).withLearningStarts(1_000).withVariants(DqnVariants.rainbowLite());
        Dqn a = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 4), b = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 4);
        assertEquals(a.train(Double.POSITIVE_INFINITY, 20, 1_000, null).episodeReturns(), b.train(Double.POSITIVE_INFINITY, 20, 1_000, null).episodeReturns());
        assertArrayEquals(a.qNetwork().stateDict().get("advantage.weight").toFloatArray(), b.qNetwork().stateDict().get("advantage.weight").toFloatArray());
    }

    @Test
    void rainbowLiteLearnsCartPole() {
        DqnConfig config = DqnConfig.cartPole().withTotalTimesteps(30_000).withLearningStarts(1_000).withVariants(DqnVariants.rainbowLite());
        TrainingResult r = new Dqn(Envs.makeDiscrete("CartPole-v1"), config, 4).train(Double.POSITIVE_INFINITY, 20, 1_000, null);
        double start = r.episodeReturns().subList(0, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(start < 40, "starts near random (~22): " + start);
        assertTrue(r.meanReturn() > 80, "last-20 mean after 30,000 steps: " + r.meanReturn());
    }
}
