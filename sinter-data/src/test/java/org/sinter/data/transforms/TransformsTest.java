package org.sinter.data.transforms;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.data.Example;
import org.sinter.data.Image;

class TransformsTest {
    /** A 1 x 3 x 4 image with values 1..12. */
    static Tensor ramp() {
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) v[i] = i + 1;
        return Tensor.of(v, 1, 3, 4);
    }

    @Test
    void toTensorScalesBytesToUnitRange() {
        Image img = new Image(new byte[] {0, (byte) 255, (byte) 128, 51, 1, 2}, 2, 1, 3);
        Tensor t = new ToTensor().apply(img, new Generator(0));
        assertArrayEquals(new int[] {2, 1, 3}, t.shape());
        assertArrayEquals(new float[] {0f, 1f, 128 / 255f, 0.2f, 1 / 255f, 2 / 255f}, t.toFloatArray(), 1e-7f);
        assertEquals(128, img.get(0, 0, 2));
    }

    @Test
    void normalizeIsPerChannel() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 10, 20, 30, 40}, 2, 2, 2);
        Tensor y = new Normalize(new double[] {1, 10}, new double[] {2, 10}).apply(x, new Generator(0));
        assertArrayEquals(new float[] {0, 0.5f, 1, 1.5f, 0, 1, 2, 3}, y.toFloatArray(), 1e-6f);
        Tensor batch = x.unsqueeze(0);
        assertArrayEquals(new int[] {1, 2, 2, 2}, new Normalize(new double[] {1, 10}, new double[] {2, 10}).apply(batch).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[] {0}, new double[] {1}).apply(x));
        assertTrue(e.getMessage().contains("C = 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new double[] {0}, new double[] {0}));
    }

    @Test
    void randomCropWithFullPaddedSizeIsZeroPadding() {
        Tensor y = new RandomCrop(5, 6, 1).apply(ramp(), new Generator(0));
        assertArrayEquals(new int[] {1, 5, 6}, y.shape());
        float[] expected = {
            0, 0, 0, 0, 0, 0,
            0, 1, 2, 3, 4, 0,
            0, 5, 6, 7, 8, 0,
            0, 9, 10, 11, 12, 0,
            0, 0, 0, 0, 0, 0};
        assertArrayEquals(expected, y.toFloatArray());
    }

    @Test
    void randomCropIsAWindowOfThePaddedImageAndReproducible() {
        RandomCrop crop = new RandomCrop(3, 4, 2);
        Tensor padded = ramp().pad(2, 2, 2, 2);
        boolean[] offsetsSeen = new boolean[5 * 5];
        for (long seed = 0; seed < 200; seed++) {
            Tensor y = crop.apply(ramp(), new Generator(seed));
            assertTrue(y.equal(crop.apply(ramp(), new Generator(seed))), "same seed, same crop");
            int found = -1;
            for (int top = 0; top <= 4 && found < 0; top++) {
                for (int left = 0; left <= 4; left++) {
                    if (padded.narrow(1, top, 3).narrow(2, left, 4).equal(y)) {
                        found = top * 5 + left;
                        break;
                    }
                }
            }
            assertTrue(found >= 0, "crop is a window of the padded image");
            offsetsSeen[found] = true;
        }
        int distinct = 0;
        for (boolean b : offsetsSeen) if (b) distinct++;
        assertTrue(distinct >= 15, "crop positions vary: " + distinct);
        var e = assertThrows(IllegalArgumentException.class, () -> new RandomCrop(9, 0).apply(ramp()));
        assertTrue(e.getMessage().contains("larger"), e.getMessage());
    }

    @Test
    void horizontalFlip() {
        Tensor x = ramp();
        Tensor flipped = new RandomHorizontalFlip(1.0).apply(x, new Generator(0));
        assertArrayEquals(new float[] {4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9}, flipped.toFloatArray());
        assertSame(x, new RandomHorizontalFlip(0.0).apply(x, new Generator(0)));
        int flips = 0;
        RandomHorizontalFlip half = new RandomHorizontalFlip(0.5);
        for (long seed = 0; seed < 400; seed++) {
            Tensor y = half.apply(x, new Generator(seed));
            assertTrue(y.equal(half.apply(x, new Generator(seed))));
            if (y != x) flips++;
        }
        assertTrue(flips > 150 && flips < 250, "about half flipped: " + flips);
    }

    @Test
    void composeAndChainingShareTheGenerator() {
        Transform<Image, Tensor> pipeline = new ToTensor()
                .andThen(Compose.of(new RandomCrop(3, 1), new RandomHorizontalFlip(0.5)))
                .andThen(new Normalize(new double[] {0.5}, new double[] {0.5}));
        Image img = new Image(new byte[] {10, 20, 30, 40, 50, 60, 70, 80, 90}, 1, 3, 3);
        Tensor a = pipeline.apply(img, new Generator(42)), b = pipeline.apply(img, new Generator(42));
        assertTrue(a.equal(b));
        assertArrayEquals(new int[] {1, 3, 3}, a.shape());
        Example e = Transform.onInput(new RandomHorizontalFlip(1)).apply(Example.of(ramp(), 3), new Generator(0));
        assertEquals(3, e.label());
        assertEquals(4f, e.input().toFloatArray()[0]);
    }
}
