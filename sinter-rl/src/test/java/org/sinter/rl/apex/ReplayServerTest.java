package org.sinter.rl.apex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.sinter.Generator;
import org.sinter.rl.dqn.PrioritizedReplayBuffer;
import org.sinter.rl.dqn.Replay;
import org.sinter.rl.dqn.ReplayBuffer;

class ReplayServerTest {
    private static final double ALPHA = 0.6, EPS = 1e-6;

    /** n rows whose observation is (i, -i) and action i % 2, with the given TD errors as a chunk. */
    static Replay.Batch rows(int from, int n) {
        ReplayBuffer b = new ReplayBuffer(n, 2);
        for (int i = from; i < from + n; i++) b.add(new double[] {i, -i}, i % 2, i * 0.5, new double[] {i + 1, -i - 1}, i % 5 == 4, 1 + i % 3);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return b.gather(idx, new float[n]);
    }

    @Test
    void withOneShardTheDrawIsPrioritizedReplaysDraw() {
        double[] td = {0.5, -2.0, 0.1, 3.0, -0.7, 1.2, 0.05, -4.0};
        ReplayServer server = new ReplayServer(1, 16, 2, ALPHA, EPS);
        server.add(rows(0, td.length), td, 3);
        PrioritizedReplayBuffer per = new PrioritizedReplayBuffer(16, 2, ALPHA, 0.4, EPS);
        Replay.Batch r = rows(0, td.length);
        int[] all = new int[td.length];
        for (int i = 0; i < td.length; i++) {
            per.add(new double[] {i, -i}, i % 2, i * 0.5, new double[] {i + 1, -i - 1}, i % 5 == 4, 1 + i % 3);
            all[i] = i;
        }
        per.updatePriorities(all, td);
        double[] u = {0.1, 0.9, 0.5, 0.33, 0.77};
        ReplayServer.Sample s = server.sample(u, 0.4);
        Replay.Batch p = per.sample(u, 0.4);
        assertArrayEquals(p.indices(), s.slots());
        assertArrayEquals(p.weights(), s.batch().weights());
        assertArrayEquals(p.observations(), s.batch().observations());
        assertArrayEquals(p.nextObservations(), s.batch().nextObservations());
        assertArrayEquals(p.actions(), s.batch().actions());
        assertArrayEquals(p.rewards(), s.batch().rewards());
        assertArrayEquals(p.terminated(), s.batch().terminated());
        assertArrayEquals(p.horizons(), s.batch().horizons());
        for (long v : s.versions()) assertEquals(3, v);
        assertEquals(td.length, r.size());
    }

    @Test
    void acrossShardsRowsAreDrawnInProportionToTheirPriority() {
        ReplayServer server = new ReplayServer(3, 30, 2, 1.0, 0);
        double[][] td = {{1, 2}, {3, 4}, {10, 0.5}};
        for (int k = 0; k < 3; k++) assertEquals(k, server.add(rows(2 * k, 2), td[k], 0));
        double total = 20.5;
        int[][] counts = new int[3][2];
        RandomGenerator random = new Generator(11).random();
        int draws = 0;
        for (int t = 0; t < 4_000; t++) {
            ReplayServer.Sample s = server.sample(8, random, 0.4);
            for (int j = 0; j < 8; j++) counts[s.shards()[j]][s.slots()[j]]++;
            draws += 8;
        }
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 2; i++) {
                double expected = td[k][i] / total, seen = (double) counts[k][i] / draws;
                assertEquals(expected, seen, 0.01, "shard " + k + " slot " + i);
                assertEquals(expected, server.probability(k, i), 1e-12);
            }
        }
    }

    @Test
    void importanceWeightsUseTheSizeAndSmallestPriorityOfAllShards() {
        ReplayServer server = new ReplayServer(2, 8, 2, 1.0, 0);
        server.add(rows(0, 2), new double[] {1, 4}, 0);
        server.add(rows(2, 2), new double[] {2, 8}, 0);
        // Total 15, N = 4: w_i = (N·p_i/15)^-β / (N·1/15)^-β = p_i^-β with the smallest priority 1.
        ReplayServer.Sample s = server.sample(new double[] {0.5, 0.5, 0.5, 0.5}, 0.5);
        for (int j = 0; j < 4; j++) {
            double p = new double[][] {{1, 4}, {2, 8}}[s.shards()[j]][s.slots()[j]];
            assertEquals(Math.pow(p, -0.5), s.batch().weights()[j], 1e-6, "row " + j);
        }
        // Point (j + 0.5)·15/4: 1.875 → shard 0 slot 1 (prefix 1..5), 5.625 → shard 1 slot 0 (5..7), 9.375 and 13.125 → shard 1 slot 1.
        assertArrayEquals(new int[] {0, 1, 1, 1}, s.shards());
        assertArrayEquals(new int[] {1, 0, 1, 1}, s.slots());
    }

    @Test
    void newPrioritiesChangeTheDraw() {
        ReplayServer server = new ReplayServer(2, 8, 2, 1.0, 0);
        server.add(rows(0, 2), new double[] {1, 1}, 0);
        server.add(rows(2, 2), new double[] {1, 1}, 0);
        ReplayServer.Sample s = server.sample(new double[] {0.5, 0.5, 0.5, 0.5}, 0.4);
        server.updatePriorities(s, new double[] {9, 1, 1, 1});
        assertEquals(9.0 / 12, server.probability(s.shards()[0], s.slots()[0]), 1e-12);
    }

    @Test
    void chunksGoToTheShardsInTurnAndBadInputIsRefused() {
        ReplayServer server = new ReplayServer(2, 4, 2, ALPHA, EPS);
        assertEquals(0, server.add(rows(0, 1), new double[] {1}, 0));
        assertEquals(1, server.add(rows(1, 1), new double[] {1}, 0));
        assertEquals(0, server.add(rows(2, 1), new double[] {1}, 0));
        assertEquals(2, server.size(0));
        assertEquals(3, server.size());
        var e = assertThrows(IllegalArgumentException.class, () -> server.add(rows(0, 2), new double[] {1}, 0));
        assertTrue(e.getMessage().contains("1 TD errors for 2 rows"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new ReplayServer(2, 4, 2, ALPHA, EPS).sample(new double[] {0.5}, 0.4));
        assertThrows(IllegalArgumentException.class, () -> new ReplayServer(3, 2, 2, ALPHA, EPS));
    }
}
