package org.sinter.automl.examples;

import org.sinter.Generator;
import org.sinter.Tensor;
import org.sinter.data.transforms.Transform;

/**
 * Cutout (DeVries and Taylor 2017): zeroes one {@code size × size} square of a {@code [C, H, W]} image, centred
 * on a uniformly drawn pixel and clipped at the border (so near an edge less is cut), the augmentation of Lab 8's
 * search space. Applied after normalisation, as in the paper, so the square is the data's mean.
 */
public final class Cutout implements Transform<Tensor, Tensor> {
    private final int size;

    public Cutout(int size) {
        if (size < 1) throw new IllegalArgumentException("Cutout: size must be >= 1, got " + size);
        this.size = size;
    }

    @Override
    public Tensor apply(Tensor image, Generator gen) {
        int[] shape = image.shape();
        if (shape.length != 3) throw new IllegalArgumentException("Cutout: expected a [C, H, W] image, got shape " + java.util.Arrays.toString(shape));
        int c = shape[0], h = shape[1], w = shape[2];
        var random = gen.random();
        int cy = random.nextInt(h), cx = random.nextInt(w);
        int y0 = Math.max(0, cy - size / 2), y1 = Math.min(h, cy - size / 2 + size);
        int x0 = Math.max(0, cx - size / 2), x1 = Math.min(w, cx - size / 2 + size);
        float[] pixels = image.toFloatArray().clone(); // the array may be the tensor's own storage
        for (int ch = 0; ch < c; ch++)
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++) pixels[(ch * h + y) * w + x] = 0f;
        return Tensor.of(pixels, shape);
    }
}
