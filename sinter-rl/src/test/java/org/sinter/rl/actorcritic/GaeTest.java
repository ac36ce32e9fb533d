package org.sinter.rl.actorcritic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GaeTest {
    @Test
    void advantagesFollowTheRecursionAndStopAtEpisodeEnds() {
        double g = 0.9, l = 0.5;
        double[][] rewards = {{1}, {2}, {3}};
        double[][] values = {{0.5}, {1.0}, {1.5}};
        boolean[][] dones = {{false}, {true}, {false}};
        double[] next = {2.0};
        double[][] adv = Gae.advantages(rewards, values, dones, next, g, l);
        double d2 = 3 + g * 2.0 - 1.5;           // bootstraps from the value after the rollout
        double d1 = 2 - 1.0;                      // episode ended: no bootstrap, no carry-over
        double d0 = 1 + g * 1.0 - 0.5;
        assertEquals(d2, adv[2][0], 1e-12);
        assertEquals(d1, adv[1][0], 1e-12);
        assertEquals(d0 + g * l * d1, adv[0][0], 1e-12);
    }
}
