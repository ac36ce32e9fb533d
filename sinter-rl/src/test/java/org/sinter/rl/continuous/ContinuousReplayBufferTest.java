package org.sinter.rl.continuous;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sinter.Generator;

class ContinuousReplayBufferTest {
    @Test
    void storesRowsAndOverwritesTheOldestWhenFull() {
        ContinuousReplayBuffer b = new ContinuousReplayBuffer(3, 2, 1);
        for (int i = 0; i < 5; i++) b.add(new double[] {i, -i}, new double[] {0.5 * i}, 10 * i, new double[] {i + 1, -i - 1}, i == 4);
        assertEquals(3, b.size());
        Set<Float> rewards = new HashSet<>();
        ContinuousReplayBuffer.Batch s = b.sample(200, new Generator(1).random());
        for (int j = 0; j < s.size(); j++) {
            float r = s.rewards()[j];
            rewards.add(r);
            int i = (int) (r / 10);
            // every field of a row belongs to the same transition
            assertArrayEquals(new float[] {i, -i}, new float[] {s.observations()[2 * j], s.observations()[2 * j + 1]});
            assertArrayEquals(new float[] {i + 1, -i - 1}, new float[] {s.nextObservations()[2 * j], s.nextObservations()[2 * j + 1]});
            assertEquals(0.5f * i, s.actions()[j]);
            assertEquals(i == 4 ? 1f : 0f, s.terminated()[j]);
        }
        assertEquals(Set.of(20f, 30f, 40f), rewards, "transitions 0 and 1 were overwritten");
    }

    @Test
    void samplingIsSeeded() {
        ContinuousReplayBuffer b = new ContinuousReplayBuffer(100, 1, 2);
        for (int i = 0; i < 100; i++) b.add(new double[] {i}, new double[] {i, i}, i, new double[] {i}, false);
        assertArrayEquals(b.sample(16, new Generator(5).random()).rewards(), b.sample(16, new Generator(5).random()).rewards());
    }

    @Test
    void badInputNamesTheBufferAndTheSizes() {
        ContinuousReplayBuffer b = new ContinuousReplayBuffer(4, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.add(new double[] {1, 2, 3}, new double[] {1, 2}, 0, new double[] {1, 2, 3}, false));
        assertTrue(e.getMessage().contains("ContinuousReplayBuffer") && e.getMessage().contains("1 entries"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> b.sample(1, new Generator(1).random()));
        assertThrows(IllegalArgumentException.class, () -> new ContinuousReplayBuffer(0, 3, 1));
    }
}
