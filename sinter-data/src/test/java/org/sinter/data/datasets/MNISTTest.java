package org.sinter.data.datasets;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.sinter.DType;
import org.sinter.data.Batch;
import org.sinter.data.DataLoader;
import org.sinter.data.Example;
import org.sinter.data.Image;

/** Checks the bundled MNIST against well-known facts about the original files. */
class MNISTTest {
    @Test
    void trainingSet() {
        ImageDataset train = MNIST.train();
        assertEquals(60_000, train.size());
        int[] first = new int[10];
        for (int i = 0; i < 10; i++) first[i] = train.label(i);
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, first);
        assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, train.classCounts());
        assertArrayEquals(new int[] {1, 28, 28}, train.imageShape());
        Image img = train.image(0);
        assertEquals(0, img.get(0, 0, 0));
        assertEquals(3, img.get(0, 5, 12));     // first non-zero pixel of the first "5"
        assertEquals(126, img.get(0, 5, 16));
        long sum = 0;
        for (byte b : img.pixels()) sum += b & 0xFF;
        assertEquals(27_525, sum);
        assertSame(train, MNIST.train(), "decoded once and cached");
    }

    @Test
    void pixelMeanMatchesTheUsualNormalizationConstant() {
        ImageDataset train = MNIST.train();
        double sum = 0;
        int images = 0;
        for (int i = 0; i < train.size(); i += 7, images++) { // every 7th image (every 10th happens to be darker)
            for (byte b : train.image(i).pixels()) sum += b & 0xFF;
        }
        double mean = sum / (images * 784.0) / 255;
        assertEquals(MNIST.MEAN, mean, 0.002);
    }

    @Test
    void testSetAndExamples() {
        ImageDataset test = MNIST.test();
        assertEquals(10_000, test.size());
        int[] first = new int[10];
        for (int i = 0; i < 10; i++) first[i] = test.label(i);
        assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, first);
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, test.classCounts());
        Example e = test.get(0);
        assertEquals(7, e.label());
        assertArrayEquals(new int[] {1, 28, 28}, e.input().shape());
        assertEquals(84 / 255f, e.input().toFloatArray()[7 * 28 + 6], 1e-7f);
        Batch b = DataLoader.builder(test).batchSize(16).build().iterator().next();
        assertArrayEquals(new int[] {16, 1, 28, 28}, b.input().shape());
        assertEquals(DType.INT64, b.target().dtype());
        assertArrayEquals(new long[] {7, 2, 1, 0}, java.util.Arrays.copyOf(b.target().toLongArray(), 4));
        assertEquals(10, test.classes().size());
    }
}
