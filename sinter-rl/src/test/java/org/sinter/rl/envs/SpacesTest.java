package org.sinter.rl.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.Generator;
import org.sinter.rl.spaces.Box;
import org.sinter.rl.spaces.Discrete;

class SpacesTest {
    @Test
    void discreteSamplesEveryValueAndOnlyThose() {
        Discrete d = new Discrete(3, -1);
        Generator g = new Generator(0);
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            int x = d.sample(g);
            assertTrue(d.contains(x));
            counts[x + 1]++;
        }
        for (int c : counts) assertTrue(c > 800 && c < 1200, java.util.Arrays.toString(counts));
        assertFalse(d.contains(2));
        assertFalse(d.contains(null));
        assertThrows(IllegalArgumentException.class, () -> new Discrete(0));
    }

    @Test
    void boxSamplesInsideAndRepeatsWithTheSeed() {
        Box b = new Box(new double[] {-1, 0, Double.NEGATIVE_INFINITY}, new double[] {1, 2, Double.POSITIVE_INFINITY});
        double[] x = b.sample(new Generator(7));
        assertTrue(b.contains(x));
        assertArrayEquals(x, b.sample(new Generator(7)), 0.0);
        assertFalse(b.contains(new double[] {0, 3, 0}));
        assertFalse(b.contains(new double[] {0, 1}));
        assertEquals(Box.of(-2, 2, 1), new Box(new double[] {-2}, new double[] {2}));
        assertThrows(IllegalArgumentException.class, () -> new Box(new double[] {1}, new double[] {0}));
    }
}
