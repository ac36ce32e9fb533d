package org.sinter.privacy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.data.Batch;
import org.sinter.data.TensorDataset;

class PoissonDataLoaderTest {

    @Test
    void batchSizesAreBinomialAndEveryExampleIsSampledAtRateQ() {
        int n = 2000;
        var ds = new TensorDataset(Tensor.arange(n).to(DType.FLOAT32).reshape(n, 1), Tensor.arange(n));
        var loader = PoissonDataLoader.withExpectedBatchSize(ds, 50, new Generator(3));
        assertEquals(0.025, loader.sampleRate(), 1e-15);
        assertEquals(40, loader.size());
        int[] hits = new int[n];
        double sum = 0, sumSq = 0;
        int batches = 0;
        for (int epoch = 0; epoch < 25; epoch++) {
            for (Batch b : loader) {
                int size = b.input().size(0);
                sum += size;
                sumSq += (double) size * size;
                batches++;
                for (long idx : b.target().toLongArray()) hits[(int) idx]++;
            }
        }
        assertEquals(1000, batches);
        double mean = sum / batches, var = sumSq / batches - mean * mean;
        assertEquals(50, mean, 1.0, "mean batch size q·n");
        assertEquals(50 * (1 - 0.025), var, 8, "binomial variance n·q·(1-q)");
        // Each example is drawn in 1000 batches with probability q: about 25 times.
        double hitMean = 0;
        for (int h : hits) hitMean += h;
        hitMean /= n;
        assertEquals(25, hitMean, 0.5);
        int never = 0;
        for (int h : hits) if (h == 0) never++;
        assertTrue(never < 5, "examples never drawn: " + never);
    }

    @Test
    void anEmptyDrawIsAZeroRowBatchOfTheRightShape() {
        var ds = new TensorDataset(Tensor.zeros(3, 2, 5), Tensor.arange(3));
        var loader = new PoissonDataLoader(ds, 1e-9, new Generator(0));
        Batch b = loader.iterator().next();
        assertArrayEquals(new int[] {0, 2, 5}, b.input().shape());
        assertArrayEquals(new int[] {0}, b.target().shape());
        assertEquals(DType.INT64, b.target().dtype());
    }
}
