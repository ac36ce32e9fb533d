package org.sinter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class GeneratorStateTest {
    @Test
    void streamMatchesTheJdkAlgorithm() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MAX_VALUE}) {
            RandomGenerator jdk = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
            RandomGenerator ours = new Generator(seed).random();
            for (int i = 0; i < 200; i++) {
                assertEquals(jdk.nextLong(), ours.nextLong());
                assertEquals(jdk.nextFloat(), ours.nextFloat());
                assertEquals(jdk.nextDouble(), ours.nextDouble());
                assertEquals(jdk.nextGaussian(), ours.nextGaussian());
                assertEquals(jdk.nextInt(17), ours.nextInt(17));
                assertEquals(jdk.nextLong(-5, 1L << 40), ours.nextLong(-5, 1L << 40));
            }
        }
    }

    @Test
    void stateRestoresTheExactStream() {
        Generator g = new Generator(123);
        g.randn(DType.FLOAT32, 37);
        long[] state = g.state();
        Tensor a = g.randn(DType.FLOAT64, 5, 3);
        Tensor p = g.randperm(10);

        Generator other = new Generator(999);
        other.setState(state);
        assertArrayEquals(a.toDoubleArray(), other.randn(DType.FLOAT64, 5, 3).toDoubleArray());
        assertArrayEquals(p.toLongArray(), other.randperm(10).toLongArray());
        assertEquals(123, other.initialSeed());
        assertArrayEquals(g.state(), other.state());
    }

    @Test
    void badStateIsRejected() {
        Generator g = new Generator(1);
        assertThrows(IllegalArgumentException.class, () -> g.setState(new long[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> g.setState(new long[] {1, 2, 3, 4, 5}));
    }
}
