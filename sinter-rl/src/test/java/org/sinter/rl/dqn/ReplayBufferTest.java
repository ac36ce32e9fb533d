package org.sinter.rl.dqn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sinter.Generator;

class ReplayBufferTest {
    @Test
    void overwritesTheOldestAndSamplesWholeTransitions() {
        ReplayBuffer b = new ReplayBuffer(3, 2);
        for (int i = 0; i < 5; i++) b.add(new double[] {i, -i}, i % 2, 10 * i, new double[] {i + 1, -i - 1}, i == 4);
        assertEquals(3, b.size());
        Replay.Batch batch = b.sample(200, new Generator(0).random());
        Set<Integer> seen = new HashSet<>();
        for (int j = 0; j < batch.size(); j++) {
            int i = (int) batch.observations()[2 * j];
            seen.add(i);
            assertEquals(-i, batch.observations()[2 * j + 1]);
            assertEquals(i + 1, batch.nextObservations()[2 * j]);
            assertEquals(i % 2, batch.actions()[j]);
            assertEquals(10 * i, batch.rewards()[j]);
            assertEquals(i == 4 ? 1f : 0f, batch.terminated()[j]);
        }
        assertEquals(Set.of(2, 3, 4), seen, "transitions 0 and 1 were overwritten");
    }

    @Test
    void refusesWrongShapesAndEmptySampling() {
        ReplayBuffer b = new ReplayBuffer(4, 2);
        assertThrows(IllegalStateException.class, () -> b.sample(1, new Generator(0).random()));
        var e = assertThrows(IllegalArgumentException.class, () -> b.add(new double[3], 0, 0, new double[2], false));
        assertTrue(e.getMessage().contains("2 entries"), e.getMessage());
    }
}
